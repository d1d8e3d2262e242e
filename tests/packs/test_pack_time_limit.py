"""Every pack build has a hard time limit: the layout runs in a child process that is killed when
PACK_BUILD_TIME_LIMIT_SECONDS passes, on a worker and in the embedded default alike. The pack is
then failed with a reason a chair can act on. Real WeasyPrint throughout."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from audit.models import AuditEvent
from reporting.packs.pdf import parts
from reporting.packs.pdf.render import LayoutTimeLimitExceeded, pack_to_pdf_bounded
from tests.packs.conftest import pdf_pages

pytestmark = pytest.mark.django_db

# An unbroken run this long takes WeasyPrint several seconds to lay out (its line breaking is
# quadratic in the length of a word): a slow pack without thousands of rows.
SLOW_DETAIL = "Q" * 15000


def _children() -> set[int]:
    """Live (not zombie) children of this test process, from /proc."""
    found = set()
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _wait_for_no_children(before: set[int]) -> set[int]:
    deadline = time.monotonic() + 5
    while (left := _children() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture
def slow_case(case, add_entry):
    for day in range(1, 3):
        add_entry(case, dt.date(2026, 2, day), f"Pasted text {day}", detail=SLOW_DETAIL)
    return case


def test_pack_past_its_time_limit_is_failed_with_a_reason_a_chair_understands(build, users, slow_case, settings):
    settings.PACK_BUILD_TIME_LIMIT_SECONDS = 1
    before = _children()
    started = time.monotonic()
    pack = build(users.chair, slow_case, kind="conference")
    elapsed = time.monotonic() - started

    assert pack.status == "failed"
    assert pack.error == (
        "The pack took longer than 1 second to build and was stopped. "
        "Narrow the period or raise the minimum significance, then try again."
    )
    assert not pack.file
    assert pack.finished_at is not None
    assert elapsed < 10, elapsed
    assert not _wait_for_no_children(before), "the layout process outlived its time limit"
    failed = AuditEvent.objects.get(action="pack.failed", object_id=str(pack.pk))
    assert failed.detail["time_limit_seconds"] == 1


def test_time_limit_also_stops_a_chronology_laid_out_in_parts_across_processes(
    build, users, case, add_entry, settings, monkeypatch
):
    monkeypatch.setattr(parts, "CHUNK_MAX_ROWS", 2)
    for day in range(1, 7):
        add_entry(case, dt.date(2026, 3, day), f"Pasted text {day}", detail="Q" * 8000)
    settings.PACK_BUILD_TIME_LIMIT_SECONDS = 1
    before = _children()
    running = {int(p.name) for p in Path("/proc").glob("[0-9]*")}
    started = time.monotonic()
    pack = build(users.sw, case)
    assert pack.status == "failed"
    assert pack.error.startswith("The pack took longer than 1 second to build and was stopped.")
    assert time.monotonic() - started < 10
    # The part laid out by the layout process's own child dies with it.
    assert not _wait_for_no_children(before)
    time.sleep(0.5)
    assert not [p for p in Path("/proc").glob("[0-9]*") if _is_orphaned_layout(p, before | running)]


def _is_orphaned_layout(proc: Path, before: set[int]) -> bool:
    """A live process forked from a test process (same command line) whose parent is gone: it was
    handed to init. A child of this or of another test worker (pytest-xdist workers share the
    command line) still has its parent, and the workers themselves were there before the test."""
    try:
        cmdline = (proc / "cmdline").read_bytes()
        stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        parent = Path(f"/proc/{stat[1]}/cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    mine = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
    return (
        int(proc.name) != os.getpid()
        and cmdline == mine
        and parent != mine
        and stat[0] != "Z"
        and int(proc.name) not in before
    )


def test_a_pack_within_its_time_limit_builds_as_before(build, users, case, add_entry, settings):
    add_entry(case, dt.date(2026, 2, 1), "Home visit", detail="Seen at home.")
    settings.PACK_BUILD_TIME_LIMIT_SECONDS = 120
    pack = build(users.sw, case)
    assert pack.status == "done", pack.error
    assert pack.attempts == 1


def test_layout_beats_its_heartbeat_while_it_waits(case):
    beats: list[float] = []
    started = time.monotonic()
    with pytest.raises(LayoutTimeLimitExceeded):
        pack_to_pdf_bounded(
            {"entries": [_row(SLOW_DETAIL)] * 3},
            seconds=2.5,
            heartbeat=lambda: beats.append(time.monotonic()),
            heartbeat_seconds=0.5,
        )
    assert time.monotonic() - started < 5
    assert len(beats) >= 3, beats


def test_layout_returns_the_pdf_within_its_limit(case):
    rendered = pack_to_pdf_bounded({"entries": [_row("Seen at home.")]}, seconds=60)
    assert rendered.content.startswith(b"%PDF-")
    pages = pdf_pages(rendered.content)
    assert rendered.page_count == len(pages)
    assert "Seen at home." in pages[-1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def _row(detail: str) -> dict:
    return {
        "date": "1 Feb 2026",
        "agency": "Northshire Children's Social Care",
        "kind": "Note",
        "summary": "Pasted text",
        "detail": detail,
        "significance": "Medium",
        "significance_code": "medium",
    }
