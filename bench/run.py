"""Run every benchmark against PostgreSQL and print each figure beside its floor and target.

    bin/bench                     # generate a fresh 15-year, 10,000-entry case and run everything
    bin/bench --reuse             # reuse the benchmark database if it already holds the case
    bin/bench --runs 7 --skip-5000 --load-seconds 10

The benchmark database (default bench_chronology, on the PostgreSQL server of BENCH_DATABASE_URL,
else DATABASE_URL, else postgresql://postgres@127.0.0.1:5432) is dropped and made again unless
--reuse is given. Every figure is the median of --runs runs, and every floor is measured in the
same run. Speed targets are reported here, never asserted by the tests.

The load test starts gunicorn on 127.0.0.1 only and runs wrk against it for a fixed time;
both stop by themselves (gunicorn is terminated when wrk finishes or on any error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CASE_REF = "BENCH-15Y"
FAMILY_REF = "BENCH-GENO"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Row:
    name: str
    value: str
    floor: str
    target: str
    note: str = ""


def server_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
    if not url.startswith("postgres"):
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    return url


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def make_database(name: str, reuse: bool) -> bool:
    """Create the benchmark database (dropping an old one unless reusing). True when it already existed."""
    import psycopg

    if not name.startswith("bench_"):
        raise SystemExit("The benchmark database name must start with bench_ (it is dropped and made again).")
    with psycopg.connect(with_db(server_url(), "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and reuse:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def median_time(fn, runs: int, warmup: int = 1):
    """Median wall time of fn over `runs` runs after `warmup` unmeasured ones, and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def say(message: str) -> None:
    print(f"  .. {message}", flush=True)


# --- the case ---------------------------------------------------------------------------------


def ensure_data(args) -> None:
    from bench.generate import generate_case, generate_family
    from cases.models import Case

    if not Case.objects.filter(reference=CASE_REF).exists():
        started = time.perf_counter()
        generate_case(entries=args.entries, via=args.via, reference=CASE_REF, progress=say)
        say(f"15-year case generated in {time.perf_counter() - started:.0f} s")
    if not Case.objects.filter(reference=FAMILY_REF).exists():
        started = time.perf_counter()
        generate_family(size=200, reference=FAMILY_REF)
        say(f"200-person family generated in {time.perf_counter() - started:.0f} s")


def lead_token(case) -> tuple[object, str]:
    from accounts.tokens import api_token_issue

    user = case.lead_professional
    _, token = api_token_issue(user=user)
    return user, token


# --- 1. the merged chronology API and export ---------------------------------------------------

# The floor reads exactly the columns the JSON export reads (chronology.exporters.JSON_COLUMNS).


def bench_chronology(case, runs: int) -> list[Row]:
    import orjson
    from django.db.models import Q
    from django.test import Client

    from chronology.exporters import JSON_COLUMNS as FLOOR_COLUMNS
    from chronology.models import ChronologyEntry
    from chronology.selectors import OLDEST_FIRST
    from core.pagination import cursor_after

    user, token = lead_token(case)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    ordered = ChronologyEntry.objects.filter(case=case).order_by("occurred_on", "sequence", "id")
    total = ordered.count()
    middle = ordered[total // 2]
    cursor = cursor_after(OLDEST_FIRST, middle)
    url = f"/api/v1/cases/{case.pk}/entries/?page_size=100&cursor={cursor}"

    def page():
        response = api.get(url)
        assert response.status_code == 200, response.content[:300]
        return response

    on, seq, pk = middle.occurred_on, middle.sequence, middle.pk
    after = Q(occurred_on__gt=on) | Q(occurred_on=on, sequence__gt=seq) | Q(occurred_on=on, sequence=seq, pk__gt=pk)

    def page_floor():
        return orjson.dumps(list(ordered.filter(after).values(*FLOOR_COLUMNS)[:100]))

    page_s, response = median_time(page, runs)
    floor_s, _ = median_time(page_floor, runs)
    rows = [
        Row(
            "API: cursor page of 100 entries",
            ms(page_s),
            ms(floor_s),
            "p95 <= 50 ms at 8 clients (load test)",
            f"{len(response.json()['results'])} rows",
        )
    ]

    web = Client()
    web.force_login(user)
    export_url = f"/cases/{case.pk}/chronology/export.json"
    fmt = "json"
    if web.get(export_url).status_code == 404:
        export_url, fmt = f"/cases/{case.pk}/chronology/export.csv", "csv"

    def export():
        response = web.get(export_url)
        assert response.status_code == 200, response.status_code
        return b"".join(response) if response.streaming else response.content

    def export_floor():
        return orjson.dumps(list(ordered.values(*FLOOR_COLUMNS)))

    export_s, body = median_time(export, max(runs // 2, 3))
    export_floor_s, _ = median_time(export_floor, max(runs // 2, 3))
    rows.append(
        Row(
            f"Export: whole chronology ({fmt})",
            ms(export_s),
            ms(export_floor_s),
            "<= 2x floor",
            f"{total} entries, {len(body) / 1e6:.1f} MB, {export_s / export_floor_s:.2f}x floor",
        )
    )
    return rows


# --- 2. flags -----------------------------------------------------------------------------------


def bench_flags(case, at: dt.date, runs: int) -> list[Row]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.flags.loader import load_snapshot
    from reporting.flags.selectors import flags_for_case

    flags_s, flags = median_time(lambda: flags_for_case(case, at), runs)
    floor_s, snapshot = median_time(lambda: load_snapshot(case, at), runs)
    with CaptureQueriesContext(connection) as queries:
        flags_for_case(case, at)
    return [
        Row(
            "Flags: whole case",
            ms(flags_s),
            f"{ms(floor_s)} (snapshot)",
            "<= 300 ms, constant queries",
            f"{len(flags)} flags over {len(snapshot.entries)} entries, {len(queries)} queries",
        )
    ]


# --- 3. genogram --------------------------------------------------------------------------------


def bench_genogram(family_case, at: dt.date, runs: int) -> list[Row]:
    from bench.genogram_bench import big_family
    from genogram.drawings import genogram_image
    from genogram.genogram_drawing import genogram_dot_source, render_genogram
    from genogram.graphviz import run_graphviz
    from genogram.selectors import family_snapshot

    # bench/genogram_bench.py's in-memory family: second partnerships, half-siblings, households.
    blended = big_family(200)
    blended_source = genogram_dot_source(blended, at)
    blended_s, blended_svg = median_time(lambda: render_genogram(blended, at, "svg"), runs)
    blended_floor_s, _ = median_time(lambda: run_graphviz("dot", "svg", blended_source), runs)
    rows = [
        Row(
            f"Genogram: {len(blended.people)}-person blended family (SVG)",
            ms(blended_s),
            f"{ms(blended_floor_s)} (dot alone)",
            "<= 300 ms",
            f"bench/genogram_bench.py's family, in memory; {len(blended_svg) / 1e3:.0f} kB SVG",
        )
    ]

    def draw():
        return genogram_image(family_case, at, "svg")

    source = genogram_dot_source(family_snapshot(family_case), at)
    people = family_case.people.count()
    draw_s, svg = median_time(draw, runs)
    floor_s, _ = median_time(lambda: run_graphviz("dot", "svg", source), runs)
    return [
        *rows,
        Row(
            f"Genogram: {people}-person family (SVG)",
            ms(draw_s),
            f"{ms(floor_s)} (dot alone)",
            "<= 300 ms",
            f"read from the database (genogram_image); {len(svg) / 1e3:.0f} kB SVG",
        ),
    ]


# --- 4. packs -----------------------------------------------------------------------------------


def _run_child(argv: list[str]) -> tuple[float, int, str]:
    """Run a child process; return its wall time, its peak RSS in MB (from wait4) and its stdout."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)  # noqa: S603
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return seconds, usage.ru_maxrss // 1024, text


def _run_chromium(argv: list[str], limit: float = 600) -> tuple[float, float]:
    """Chromium's wall time and the peak memory (MB) of its whole process tree, sampled every 50 ms
    with bench/pack_bench.py's tree_rss_kib (its renderers are not all waited for by wait4)."""
    from bench.pack_bench import tree_rss_kib

    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    peak = 0
    try:
        while proc.poll() is None:
            peak = max(peak, tree_rss_kib(proc.pid))
            if time.perf_counter() - started > limit:
                raise RuntimeError("Chromium took longer than 10 minutes")
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return time.perf_counter() - started, peak / 1024


def _period_for(case, rows: int) -> tuple[dt.date, dt.date, int]:
    from chronology.models import ChronologyEntry

    live = ChronologyEntry.objects.filter(case=case, retracted=False).order_by("-occurred_on", "-sequence", "-id")
    last = live.first().occurred_on
    start = live[rows - 1].occurred_on
    return start, last, live.filter(occurred_on__gte=start).count()


def bench_pack(case, rows: int, runs: int) -> list[Row]:
    from pypdf import PdfReader

    from reporting.packs.services import pack_request

    start, end, count = _period_for(case, rows)
    samples, memory, pages = [], [], 0
    for _ in range(runs):
        pack = pack_request(
            acting_user=case.lead_professional, case=case, kind="strategy", date_from=start, date_to=end
        )
        seconds, rss, text = _run_child([sys.executable, "-m", "bench.pack_one", "build", str(pack.pk)])
        result = json.loads(text.strip().splitlines()[-1])
        if result["status"] != "done":
            raise RuntimeError(f"pack {pack.pk} {result['status']}: {result['error']}")
        samples.append(result["seconds"])
        memory.append(rss)
        pages = result["pages"]
    target = "<= 5 s, <= 400 MB" if rows <= 1000 else "<= 60 s, <= 1 GB"
    floor = "Chromium not found"
    if Path(CHROMIUM).exists():
        with tempfile.TemporaryDirectory() as tmp:
            html, pdf = Path(tmp, "pack.html"), Path(tmp, "pack.pdf")
            _run_child([sys.executable, "-m", "bench.pack_one", "html", str(pack.pk), str(html)])
            chrome, chrome_mem = [], []
            for _ in range(runs):
                seconds, rss = _run_chromium(
                    [
                        CHROMIUM,
                        *CHROMIUM_FLAGS,
                        f"--user-data-dir={tmp}/profile",
                        f"--print-to-pdf={pdf}",
                        "--no-pdf-header-footer",
                        html.as_uri(),
                    ]
                )
                chrome.append(seconds)
                chrome_mem.append(rss)
            chrome_pages = len(PdfReader(str(pdf)).pages) if pdf.exists() else 0
            floor = (
                f"{statistics.median(chrome):.1f} s, {chrome_pages} pages, "
                f"{statistics.median(chrome_mem):.0f} MB (Chromium, RSS summed over its processes)"
            )
    return [
        Row(
            f"Pack: strategy, {count} chronology rows",
            f"{statistics.median(samples):.1f} s, {pages} pages, {statistics.median(memory):.0f} MB peak",
            floor,
            target,
            f"median of {runs}" + (" (one run: it takes minutes)" if runs == 1 else ""),
        )
    ]


# --- 5. load test ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def bench_load(case, runs: int, seconds: int, clients: int, db_url: str) -> list[Row]:
    from chronology.models import ChronologyEntry
    from chronology.selectors import OLDEST_FIRST
    from core.pagination import cursor_after

    wrk = shutil.which("wrk")
    if not wrk:
        return [Row("Load test", "wrk not installed", "-", "-", "bin/bench installs it with apt-get")]
    _, token = lead_token(case)
    ids = ChronologyEntry.objects.filter(case=case).order_by("occurred_on", "sequence", "id")
    total = ids.count()
    # Twenty different cursor pages spread over the case, and the first page.
    paths = [f"/api/v1/cases/{case.pk}/entries/?page_size=100"]
    # The second floor: a plain DRF list of the same rows (bench/floor_urls.py), page for page.
    plain_paths = [f"/bench-floor/cases/{case.pk}/entries/"]
    for i in range(1, 20):
        entry = ids[total * i // 20]
        paths.append(f"/api/v1/cases/{case.pk}/entries/?page_size=100&cursor={cursor_after(OLDEST_FIRST, entry)}")
        plain_paths.append(f"/bench-floor/cases/{case.pk}/entries/?from={entry.occurred_on.isoformat()}")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "WEB_CONCURRENCY": "4",
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        # As in production: requests append audit rows pending and one sealer process chains them
        # (celery beat's audit.seal there; `manage.py seal_audit --every 1` here, on the same cores).
        "AUDIT_SEAL_AFTER_REQUEST": "0",
    }
    results: list[dict] = []
    floors: list[dict] = []
    plain_floors: list[dict] = []
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        gunicorn = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "4",
                "--preload",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        sealer = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "seal_audit", "--every", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            _wait_for(port, time.monotonic() + 30)
            wrk_env = {**os.environ, "WRK_TOKEN": token, "WRK_PATHS": listing.name}
            base = f"http://127.0.0.1:{port}"
            # Warm the four workers (connections, lazy imports), unmeasured.
            subprocess.run(  # noqa: S603
                [
                    wrk,
                    "-t2",
                    f"-c{clients}",
                    "-d4s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(ROOT / "bench" / "wrk_pages.lua"),
                    base,
                ],
                env=wrk_env,
                capture_output=True,
                timeout=30,
                check=False,
            )

            def measure(paths_file: str) -> dict:
                done = subprocess.run(  # noqa: S603
                    [
                        wrk,
                        "-t2",
                        f"-c{clients}",
                        f"-d{seconds}s",
                        "--timeout",
                        "5s",
                        "-s",
                        str(ROOT / "bench" / "wrk_pages.lua"),
                        base,
                    ],
                    env={**wrk_env, "WRK_PATHS": paths_file},
                    capture_output=True,
                    text=True,
                    timeout=seconds + 30,
                    check=False,
                )
                line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_RESULT ")), None)
                if line is None:
                    raise RuntimeError(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")
                return json.loads(line[len("WRK_RESULT ") :])

            # The floor: the same server, token and middleware on a small API list with no case
            # data (the agencies), so the figure shows what the page itself costs.
            with (
                tempfile.NamedTemporaryFile("w", suffix=".txt") as small,
                tempfile.NamedTemporaryFile("w", suffix=".txt") as plain,
            ):
                small.write("/api/v1/agencies/\n")
                small.flush()
                plain.write("\n".join(plain_paths) + "\n")
                plain.flush()
                for _ in range(runs):
                    results.append(measure(listing.name))
                    floors.append(measure(small.name))
                    plain_floors.append(measure(plain.name))
        finally:
            for process in (gunicorn, sealer):
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
    # Every read left an audit row: seal what is still pending and verify the whole chain.
    from audit.sealer import audit_seal
    from audit.selectors import audit_chain_report

    audit_seal()
    chain = audit_chain_report()
    rps = statistics.median(r["rps"] for r in results)
    p50 = statistics.median(r["p50_ms"] for r in results)
    p95 = statistics.median(r["p95_ms"] for r in results)
    bad = sum(r["errors"] for r in results)
    floor = (
        f"{statistics.median(r['rps'] for r in floors):.0f} req/s, "
        f"p50 {statistics.median(r['p50_ms'] for r in floors):.1f} ms, "
        f"p95 {statistics.median(r['p95_ms'] for r in floors):.1f} ms (agencies list); "
        f"{statistics.median(r['rps'] for r in plain_floors):.0f} req/s, "
        f"p50 {statistics.median(r['p50_ms'] for r in plain_floors):.1f} ms, "
        f"p95 {statistics.median(r['p95_ms'] for r in plain_floors):.1f} ms (plain DRF page of the same rows)"
    )
    return [
        Row(
            f"Load: page of 100, {clients} clients, gunicorn x4",
            f"{rps:.0f} req/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms",
            floor,
            ">= 200 req/s, p95 <= 50 ms",
            f"median of {runs} x {seconds} s runs, {bad} errors; audit chain "
            + (f"verified over {chain.checked} rows after the load" if chain.ok else f"BROKEN: {chain.problem}"),
        )
    ]


# --- the table ------------------------------------------------------------------------------------


def print_table(rows: list[Row], runs: int) -> None:
    headers = ("benchmark", "figure", "floor (same run)", "target", "notes")
    table = [headers] + [(r.name, r.value, r.floor, r.target, r.note) for r in rows]
    widths = [max(len(str(line[i])) for line in table) for i in range(len(headers))]
    print()
    print(f"Figures are medians of {runs} runs unless the notes say otherwise; floors measured in the same run.")
    for n, line in enumerate(table):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="bench_chronology", help="benchmark database name (must start with bench_)")
    parser.add_argument("--reuse", action="store_true", help="reuse the database if it already holds the case")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--via", choices=("bulk", "services"), default="bulk", help="how entries are written")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is printed)")
    parser.add_argument("--pack-runs", type=int, default=3)
    parser.add_argument("--skip-5000", action="store_true", help="skip the 5,000-row pack (about a minute)")
    parser.add_argument("--pack-chromium", action="store_true", help="also print the 1,000-row pack with Chromium")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--load-seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", default="", help="comma-separated: chronology,flags,review,mywork,genogram,pack,load")
    args = parser.parse_args(argv)

    db_url = with_db(server_url(), args.db)
    existed = make_database(args.db, args.reuse)
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    # Packs are requested here and built by bench.pack_one in their own processes.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.pop("REDIS_URL", None)
    # The generator writes thousands of entries: no flag evaluation after each (bench.mywork_bench
    # measures that refresh on its own).
    os.environ["NOTIFY_FLAGS_ON_WRITE"] = "0"
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")
    logging.getLogger("django.request").setLevel(logging.ERROR)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import END
    from cases.models import Case

    print(f"Benchmark database {args.db} ({'reused' if existed else 'new'}) on {urlsplit(db_url).hostname}")
    call_command("migrate", verbosity=0)
    ensure_data(args)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    case = Case.objects.select_related("lead_professional").get(reference=CASE_REF)
    family = Case.objects.get(reference=FAMILY_REF)
    only = set(filter(None, args.only.split(",")))

    def want(name: str) -> bool:
        return not only or name in only

    rows: list[Row] = []
    if want("chronology"):
        say("chronology API and export")
        rows += bench_chronology(case, args.runs)
    if want("flags"):
        say("flags")
        rows += bench_flags(case, END, args.runs)
    if want("review"):
        from bench.review_bench import bench_review

        say("review analysis")
        rows += bench_review(case, END, args.runs)
    if want("mywork"):
        from bench.mywork_bench import bench_mywork

        say("my work for 200 cases; the flag refresh of an entry write")
        rows += bench_mywork(case, END, args.runs)
    if want("genogram"):
        say("genogram")
        rows += bench_genogram(family, END, args.runs)
    if want("pack"):
        say("packs: 1,000 rows cold, re-printed unchanged and after 10 new entries; 5,000 rows cold")
        from bench.pack_bench import bench_packs

        rows += bench_packs(case, args.pack_runs, with_5000=not args.skip_5000)
        if args.pack_chromium:
            rows += bench_pack(case, 1000, args.pack_runs)
    if want("load") and not args.skip_load:
        say("load test (gunicorn on 127.0.0.1, wrk)")
        rows += bench_load(case, min(args.runs, 3), args.load_seconds, args.clients, db_url)
    print_table(rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
