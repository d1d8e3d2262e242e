"""Benchmark: a meeting pack with 1,000 chronology rows, WeasyPrint against headless Chromium.

    .venv/bin/python bench/pack_bench.py [--rows 1000]

Builds a synthetic case (a temporary SQLite database unless DATABASE_URL is set), runs the pack
job as a worker would (context, template, WeasyPrint, atomic store), and prints pages, seconds
and peak memory for each phase; then prints the same HTML printed to PDF by headless Chromium,
in the same run. Figures are printed, never asserted. CPU seconds include the forked child that
lays out the second part of a long chronology. Target: 1,000 rows in 5 s and 400 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--save-html", help="Also write the pack's HTML to this file.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pack-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(work / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from django.contrib.staticfiles import finders
    from pypdf import PdfReader

    from accounts.models import Role, User
    from agencies.models import Agency, AgencyKind
    from bench.pack_data import add_entries, populate_family
    from cases.models import Case, CaseAgency
    from reporting.models import Pack
    from reporting.packs.pdf.context import build_pack_context
    from reporting.packs.pdf.parts import full_html
    from reporting.packs.pdf.render import pack_to_pdf
    from reporting.packs.services import pack_build

    stamp = int(time.time())
    kinds = [
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        AgencyKind.HEALTH_VISITING,
        AgencyKind.SCHOOL,
        AgencyKind.POLICE,
        AgencyKind.GP,
        AgencyKind.SUBSTANCE_MISUSE,
    ]
    agencies = [Agency.objects.create(name=f"Bench {kind.label} {stamp}", kind=kind) for kind in kinds]
    sw = User.objects.create(
        username=f"bench_sw_{stamp}", full_name="Bench Social Worker", agency=agencies[0], role=Role.SOCIAL_WORKER
    )
    case = Case.objects.create(
        reference=f"BENCH-{stamp}",
        title="Marlow family (benchmark)",
        lead_agency=agencies[0],
        lead_professional=sw,
        legal_status="child_protection",
        opened_on=dt.date(2020, 1, 1),
    )
    for agency in agencies:
        CaseAgency.objects.create(case=case, agency=agency)
    today = dt.date(2026, 11, 1)
    people = populate_family(case, sw, today=today)
    start, end = dt.date(2025, 1, 1), dt.date(2026, 10, 31)
    add_entries(case, args.rows, people=people, agencies=agencies, recorder=sw, start=start, end=end)

    def new_pack() -> Pack:
        return Pack.objects.create(
            case=case, kind="strategy", date_from=start, date_to=end, min_significance="low", generated_by=sw
        )

    def cpu_seconds() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def clock() -> tuple[float, float]:
        return time.perf_counter(), cpu_seconds()

    def since(mark: tuple[float, float]) -> str:
        wall, cpu = time.perf_counter() - mark[0], cpu_seconds() - mark[1]
        return f"{wall:6.2f} s wall, {cpu:6.2f} s CPU"

    # The whole job as a worker runs it (context, template, WeasyPrint, atomic store, audit), first,
    # so the process's peak resident memory is the job's.
    job_pack = new_pack()
    mark = clock()
    job_pack = pack_build(pack_id=job_pack.pk)
    job_time = since(mark)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    # The same work again, phase by phase.
    pack = new_pack()
    mark = clock()
    context = build_pack_context(pack)
    context_time = since(mark)
    mark = clock()
    html = full_html(context)
    template_time = since(mark)
    if args.save_html:
        Path(args.save_html).write_text(html, encoding="utf-8")
    mark = clock()
    rendered = pack_to_pdf(context)
    pdf_time = since(mark)

    load = os.getloadavg()[0]
    print(
        f"Pack benchmark: {context['provenance']['entry_count']} chronology rows, {len(context['people'])} people, "
        f"{len(context['flags'])} flags, genogram and ecomap; {os.cpu_count()} cores, load average {load:.1f}"
    )
    print("WeasyPrint 70.0")
    print(f"  whole job (pack_build)         {job_time}  ({job_pack.status}, {job_pack.page_count} pages)")
    print(
        f"  peak RSS during the job         {rss_self:.0f} MiB this process, {rss_child:.0f} MiB its forked child"
        " (the child shares the parent's pages until it writes to them)"
    )
    print(f"  context (queries, flags, SVG)  {context_time}")
    print(f"  template to HTML               {template_time}  ({len(html) / 1024:.0f} KiB)")
    print(
        f"  HTML to PDF                    {pdf_time}  "
        f"({rendered.page_count} pages, {len(rendered.content) / 1024:.0f} KiB)"
    )

    # The same HTML, printed by headless Chromium.
    chromium = shutil.which(args.chromium)
    if not chromium:
        print(f"Chromium: {args.chromium} not found, skipped")
        return
    site = work / "html"
    (site / "css").mkdir(parents=True)
    shutil.copy(finders.find("css/print-pack.css"), site / "css" / "print-pack.css")
    page = site / "pack.html"
    page.write_text(html, encoding="utf-8")
    out = work / "chromium.pdf"
    wall = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    argv = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    process = subprocess.Popen(
        [*argv, f"--print-to-pdf={out}", page.as_uri()], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak_tree = 0
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_rss_kib(process.pid))
        time.sleep(0.05)
        if time.perf_counter() - wall > 600:
            process.kill()
            raise SystemExit("Chromium took more than 10 minutes")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - wall
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    pages = len(PdfReader(str(out)).pages)
    print("Headless Chromium print to PDF (the same HTML and CSS)")
    print(
        f"  HTML to PDF                    {wall:6.2f} s wall, {cpu:6.2f} s CPU  ({pages} pages, "
        f"{out.stat().st_size / 1024:.0f} KiB)"
    )
    print(f"  peak RSS of its process tree (sampled every 50 ms) {peak_tree / 1024:.0f} MiB")
    print(
        "  (Chromium draws the page-margin boxes, marking and page numbers, but not string-set running strings:"
        " its pages lack the case reference and the name of who generated the pack)"
    )
    shutil.rmtree(work, ignore_errors=True)


# --- The pack figures of bin/bench (bench/run.py calls bench_packs) --------------------------------


def _build_in_child(pack_id: int, media: Path) -> tuple[float, float, float, int, dict]:
    """Build a requested pack in a fresh process (bench.pack_one) with its own media folder, so
    its layout cache is the one in `media`. Returns (seconds to build, peak RSS of the largest
    process in MB (wait4), peak RSS summed over its process tree in MB (sampled every 20 ms), pages,
    the build's audit detail)."""
    import json

    # The layout process's time limit is raised so a busy machine gives a figure, not a failure.
    env = {"PACK_BUILD_TIME_LIMIT_SECONDS": "3600", **os.environ, "MEDIA_ROOT": str(media)}
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "bench.pack_one", "build", str(pack_id)],
            stdout=out,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
            env=env,
        )
        peak_tree = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss_kib(proc.pid))
            time.sleep(0.02)
        out.seek(0)
        result = json.loads(out.read().decode().strip().splitlines()[-1])
    if result["status"] != "done":
        raise RuntimeError(f"pack {pack_id} {result['status']}: {result['error']}")
    detail = {**result.get("detail", {}), "cpu_seconds": usage.ru_utime + usage.ru_stime}
    return result["seconds"], usage.ru_maxrss / 1024, peak_tree / 1024, result["pages"], detail


def _plain_in_child(pack_id: int) -> tuple[float, int]:
    """Plain WeasyPrint on the same pack as one HTML document, in one process: (seconds, pages)."""
    import json

    text = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.pack_one", "plain", str(pack_id)],
        capture_output=True,
        cwd=ROOT,
        check=True,
        text=True,
    ).stdout
    result = json.loads(text.strip().splitlines()[-1])
    return result["seconds"], result["pages"]


def bench_packs(case, runs: int, *, with_5000: bool) -> list:
    """The pack figures: cold 1,000 rows, the unchanged re-print, the re-print after 10 new entries,
    cold 5,000 rows, and pages per second beside plain WeasyPrint on the same HTML (the floor)."""
    import statistics

    from bench.run import Row, _period_for
    from chronology.models import ChronologyEntry
    from reporting.packs.services import pack_request

    def request(start: dt.date, end: dt.date) -> int:
        pack = pack_request(
            acting_user=case.lead_professional, case=case, kind="strategy", date_from=start, date_to=end
        )
        return pack.pk

    def summary(figures: list[float]) -> str:
        return f"{statistics.median(figures):.1f} s" + (
            f" (of {len(figures)}: {', '.join(f'{f:.1f}' for f in figures)})" if len(figures) > 1 else ""
        )

    class Rows(list):
        def append(self, row) -> None:  # noqa: ANN001
            print(f"  .. {row.name}: {row.value} | floor {row.floor} | target {row.target} | {row.note}", flush=True)
            super().append(row)

    rows: list = Rows()
    media = Path(tempfile.mkdtemp(prefix="pack-bench-media-"))
    cache_dir = media / "cache" / "pack-parts"
    try:
        start, end, count = _period_for(case, 1000)
        # Cold: an empty layout cache before every run.
        cold, largest, tree, pages = [], [], [], 0
        for _ in range(runs):
            shutil.rmtree(cache_dir, ignore_errors=True)
            seconds, big, summed, pages, detail = _build_in_child(request(start, end), media)
            cold.append(seconds)
            largest.append(big)
            tree.append(summed)
        parts = len(detail.get("parts_laid_out", []))
        plain_seconds, plain_pages = _plain_in_child(request(start, end))
        rows.append(
            Row(
                f"Pack: strategy, {count} rows, cold (empty layout cache)",
                f"{summary(cold)}, {pages} pages, peak {statistics.median(largest):.0f} MB largest process, "
                f"{statistics.median(tree):.0f} MB summed over its processes",
                f"plain WeasyPrint, one process, same HTML: {plain_seconds:.1f} s, {plain_pages} pages",
                "<= 15 s, <= 400 MB",
                f"{parts} parts laid out on {os.cpu_count()} cores",
            )
        )
        rows.append(
            Row(
                f"Pack: pages per second, {count} rows cold",
                f"{pages / statistics.median(cold):.1f} pages/s",
                f"{plain_pages / plain_seconds:.1f} pages/s (plain WeasyPrint, same HTML)",
                "-",
                "the floor is WeasyPrint laying out the whole pack as one document",
            )
        )
        # Unchanged re-print: every part but the cover comes from the cache.
        warm, reused = [], 0
        for _ in range(runs):
            seconds, _, _, _, detail = _build_in_child(request(start, end), media)
            warm.append(seconds)
            reused = len(detail.get("parts_reused", []))
        rows.append(
            Row(
                f"Pack: {count} rows, re-print unchanged",
                f"{summary(warm)}",
                f"cold {statistics.median(cold):.1f} s",
                "<= 2 s",
                f"{reused} parts from the cache, the cover laid out",
            )
        )
        # After 10 new entries: a print of the period showing ten entries it did not show before. Each
        # run withdraws a different ten of the period's latest entries (retracted, so not printed) for
        # the measured build: the chunks they fall in and any flags part that changed have never been
        # laid out, as for ten new entries; everything else comes from the cache. They come back after.
        latest = list(
            ChronologyEntry.objects.filter(case=case, retracted=False, occurred_on__gte=start, occurred_on__lte=end)
            .order_by("-occurred_on", "-sequence", "-id")
            .values_list("pk", flat=True)[: 10 * runs]
        )
        after, laid = [], []
        for run in range(runs):
            ten = latest[10 * run : 10 * run + 10]
            try:
                ChronologyEntry.objects.filter(pk__in=ten).update(retracted=True)
                seconds, _, _, _, detail = _build_in_child(request(start, end), media)
            finally:
                ChronologyEntry.objects.filter(pk__in=ten).update(retracted=False)
            after.append(seconds)
            laid = detail.get("parts_laid_out", [])
        rows.append(
            Row(
                f"Pack: {count} rows, re-print after 10 new entries",
                f"{summary(after)}",
                f"cold {statistics.median(cold):.1f} s",
                "<= 5 s",
                f"laid out: {', '.join(laid)}",
            )
        )
        if with_5000:
            start, end, count = _period_for(case, 5000)
            shutil.rmtree(cache_dir, ignore_errors=True)
            seconds, big, summed, pages, detail = _build_in_child(request(start, end), media)
            rows.append(
                Row(
                    f"Pack: strategy, {count} rows, cold (empty layout cache)",
                    f"{seconds:.1f} s, {pages} pages, peak {big:.0f} MB largest process, "
                    f"{summed:.0f} MB summed over its processes",
                    f"{pages / seconds:.1f} pages/s",
                    "<= 60 s, <= 1 GB",
                    f"one run; {len(detail.get('parts_laid_out', []))} parts laid out",
                )
            )
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return rows


if __name__ == "__main__":
    main()
