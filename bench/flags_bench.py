"""Pattern flags on a big case: 10,000 entries, 60 people, 12 agencies, 15 years.

    .venv/bin/python -m bench.flags_bench [--runs 7] [--reference BENCH-15Y]

Uses a scratch database: BENCH_DATABASE_URL (default sqlite:////tmp/flags_bench.sqlite3; for
PostgreSQL, e.g. postgresql://postgres@127.0.0.1:5432/flags_bench, an existing empty database).
The case is generated once by bench/generate.py (services and realistic bulk rows) and reused;
--reference picks another case already there (BENCH-15Y in bin/bench's bench_chronology database).

Prints the median and spread of several runs, with query counts, for:
  - loading the snapshot alone (the floor: its fixed queries and building the frozen records),
  - running the rules over a loaded snapshot (no queries),
  - flags_for_case end to end (snapshot, rule settings, reviews, engine).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], list[float], int, Any]:
    """Wall-clock and this process's CPU seconds per run, the query count of a run, and the result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm caches and imports once
    seconds = []
    cpu = []
    result = None
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = fn()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        queries = len(ctx.captured_queries)
    return seconds, cpu, queries, result


def line(label: str, seconds: list[float], cpu: list[float], queries: int) -> str:
    median = statistics.median(seconds) * 1000
    return (
        f"{label:<36} median {median:7.1f} ms  min {min(seconds) * 1000:7.1f} ms  "
        f"max {max(seconds) * 1000:7.1f} ms  (CPU median {statistics.median(cpu) * 1000:6.1f} ms)  queries {queries}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reference", default="BENCH-FLAGS", help="the case to use (generated when missing)")
    args = parser.parse_args(argv)

    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/flags_bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.generate import END, generate_case
    from cases.models import Case
    from reporting.flags.engine import evaluate
    from reporting.flags.loader import load_snapshot
    from reporting.flags.selectors import effective_params, flags_for_case

    call_command("migrate", verbosity=0)
    case = Case.objects.filter(reference=args.reference).first()
    if case is None:
        print("Generating the case (once): 10,000 entries, 60 people, 12 agencies ...", flush=True)
        started = time.perf_counter()
        case = generate_case(reference=args.reference, progress=lambda m: print(f"  {m}", flush=True)).case
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    at = END
    entries = case.entries.count()
    people = case.people.count()
    agencies = case.entries.values("agency").distinct().count()

    load_s, load_c, load_q, snapshot = timed(lambda: load_snapshot(case, at), args.runs)
    params = effective_params(case)
    # A fresh copy each run, so the snapshot's own caches (sorted entries, flattened text) are rebuilt.
    rules_s, rules_c, rules_q, _ = timed(lambda: evaluate(dataclasses.replace(snapshot), at, params), args.runs)
    full_s, full_c, full_q, case_flags = timed(lambda: flags_for_case(case, at), args.runs)

    print(f"\nPattern flags benchmark ({connection.vendor}, {args.runs} runs each, as of {at.isoformat()})")
    print(f"Case {case.reference}: {entries} entries, {people} people, {agencies} agencies\n")
    print(line("load snapshot alone (floor)", load_s, load_c, load_q))
    print(line("every rule over the loaded snapshot", rules_s, rules_c, rules_q))
    print(line("flags_for_case (end to end)", full_s, full_c, full_q))
    rules = sorted({f.rule for f in case_flags})
    print(f"\n{len(case_flags)} flags from {len(rules)} rules: {', '.join(rules)}")
    target = statistics.median(full_s) < 1.0
    print(f"Target under 1 s for the whole evaluation (wall-clock median): {'met' if target else 'NOT met'}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            f"Note: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall-clock figures are inflated."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
