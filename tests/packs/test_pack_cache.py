"""Packs are laid out in parts, and every part but the cover is kept in a layout cache keyed by what
it shows: a re-print lays out only what changed, and reads exactly as a build with no cache."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from audit.models import AuditEvent
from chronology.services import entry_amend
from reporting.packs.pdf.cache import LaidOutPart, PartCache
from reporting.packs.pdf.parts import chronology_chunks, flag_chunks, pack_parts
from reporting.packs.pdf.render import pack_to_pdf
from tests.packs.conftest import pdf_pages, squash

pytestmark = pytest.mark.django_db

GENERATED_ON = re.compile(r"Generated on \d{1,2} \w+ \d{4} at \d\d:\d\d")


@pytest.fixture
def two_quarters(case, people, add_entry):
    """Entries in January to March and in April to June 2026: two chunks of the chronology."""
    return [
        add_entry(
            case,
            dt.date(2026, 1, 5) + dt.timedelta(days=9 * i),
            f"Visit number {i:02d} with the children seen",
            subjects=[people.child],
            detail="The kitchen was cold and the children wore coats indoors. " * 3,
        )
        for i in range(18)
    ]


def _flags_as_one(names: list[str]) -> list[str]:
    """Part names with the flags parts ("flags", "flags 2", ...) said once: how many there are
    depends on the flags' ids (parts.flag_chunks), which differ from one database to the next."""
    said: list[str] = []
    for name in names:
        name = "flags" if name == "flags" or name.startswith("flags ") else name
        if not (name == "flags" and said and said[-1] == "flags"):
            said.append(name)
    return said


def _parts(pack) -> tuple[list[str], list[str]]:
    event = AuditEvent.objects.get(action="pack.generated", object_id=str(pack.pk))
    return _flags_as_one(event.detail["parts_laid_out"]), _flags_as_one(event.detail["parts_reused"])


def _cache_dir(media) -> Path:
    return Path(media) / "cache" / "pack-parts"


def _without_generated_time(pages: list[str]) -> list[str]:
    return [GENERATED_ON.sub("Generated on [time]", squash(page)) for page in pages]


def test_chronology_is_cut_into_calendar_quarters_and_busy_quarters_into_months():
    rows = [{"occurred_on": dt.date(2026, 1, 1) + dt.timedelta(days=d)} for d in range(0, 180, 3)]
    chunks = chronology_chunks(rows, max_rows=40)
    assert [c["bounds"] for c in chunks] == ["2026-Q1", "2026-Q2"]
    assert [c["title"] for c in chunks] == ["January to March 2026", "April to June 2026"]
    chunks = chronology_chunks(rows, max_rows=20)
    assert [c["bounds"] for c in chunks] == [f"2026-{m:02d}" for m in range(1, 7)]
    assert sum(len(c["rows"]) for c in chunks) == len(rows)
    assert [c["first"] for c in chunks] == [True] + [False] * 5
    busy = chronology_chunks([{"occurred_on": dt.date(2026, 2, 1)}] * 25, max_rows=10)
    assert [c["bounds"] for c in busy] == ["2026-02-1", "2026-02-2", "2026-02-3"]
    assert [c["title"] for c in busy] == ["February 2026", "February 2026 (continued)", "February 2026 (continued)"]


def test_flags_are_cut_into_runs_the_first_carrying_the_heading():
    flags = [{"id": f"rule:{n}"} for n in range(200)]
    runs = flag_chunks(flags, size=8)
    assert [f for run in runs for f in run["flags"]] == flags  # every flag once, in the printed order
    assert 10 <= len(runs) <= 50  # about 200 / 8
    assert all(run["flags"] for run in runs)
    assert [run["first"] for run in runs] == [True] + [False] * (len(runs) - 1)
    assert [run["number"] for run in runs] == list(range(1, len(runs) + 1))
    assert flag_chunks([]) == [{"flags": [], "first": True, "number": 1}]


def test_a_flag_more_or_less_changes_only_the_run_it_is_in():
    flags = [{"id": f"rule:{n}"} for n in range(200)]
    before = [[f["id"] for f in run["flags"]] for run in flag_chunks(flags, size=8)]
    for gone in (3, 97, 150):
        after = [[f["id"] for f in run["flags"]] for run in flag_chunks(flags[:gone] + flags[gone + 1 :], size=8)]
        changed = [run for run in after if run not in before]
        # Only the run that lost it changes (or the runs its run was cut into): a few flags, not the rest.
        assert changed, gone
        assert sum(len(run) for run in changed) <= 4 * 8, gone
        assert f"rule:{gone}" not in {i for run in after for i in run}


def test_unchanged_reprint_lays_out_only_the_cover(build, users, case, two_quarters, media):
    first = build(users.chair, case, kind="conference")
    laid_out, reused = _parts(first)
    assert reused == []
    assert laid_out == ["cover", "front", "flags", "chronology 2026-Q1", "chronology 2026-Q2", "decisions"]
    second = build(users.chair, case, kind="conference")
    laid_out, reused = _parts(second)
    assert laid_out == ["cover"]
    assert reused == ["front", "flags", "chronology 2026-Q1", "chronology 2026-Q2", "decisions"]
    assert second.page_count == first.page_count


def test_cached_reprint_reads_exactly_as_a_cold_build_numbered_across_the_whole(
    build, users, case, two_quarters, media
):
    build(users.chair, case, kind="conference")
    cached = build(users.chair, case, kind="conference")
    assert _parts(cached)[0] == ["cover"]
    shutil.rmtree(_cache_dir(media))
    cold = build(users.chair, case, kind="conference")
    assert _parts(cold)[1] == []
    cached_pages, cold_pages = pdf_pages(cached.file.read()), pdf_pages(cold.file.read())
    assert _without_generated_time(cached_pages) == _without_generated_time(cold_pages)
    assert len(cached_pages) == cached.page_count == cold.page_count
    for number, page in enumerate(cached_pages, start=1):
        assert f"Page {number} of {len(cached_pages)}" in squash(page), number


def test_a_new_entry_lays_out_only_the_chunk_it_falls_in(build, users, case, two_quarters, add_entry):
    build(users.sw, case)
    add_entry(case, dt.date(2026, 5, 20), "Late visit: the children were asleep")
    pack = build(users.sw, case)
    laid_out, reused = _parts(pack)
    assert laid_out == ["cover", "chronology 2026-Q2"]
    assert reused == ["front", "flags", "chronology 2026-Q1"]
    text = squash(" ".join(pdf_pages(pack.file.read())))
    assert "Late visit: the children were asleep" in text
    assert text.index("Visit number 00") < text.index("Late visit") < text.index("Visit number 17")


def test_an_amended_entry_lays_out_its_chunk_again(build, users, case, two_quarters):
    build(users.sw, case)
    entry = two_quarters[2]  # 23 January 2026
    entry_amend(
        acting_user=users.sw,
        entry=entry,
        reason="Wrong room recorded",
        expected_revision=entry.revision,
        summary="Visit number 02, children seen in the garden",
    )
    pack = build(users.sw, case)
    laid_out, reused = _parts(pack)
    assert laid_out == ["cover", "chronology 2026-Q1"]
    assert reused == ["front", "flags", "chronology 2026-Q2"]
    text = squash(" ".join(pdf_pages(pack.file.read())))
    assert "Visit number 02, children seen in the garden [AMENDED]" in text
    assert "Visit number 02 with the children seen" not in text


def _context(row: dict) -> dict:
    return {
        "reference": "NS-0001",
        "generated_by": "Sam Chair",
        "running_title": "NS-0001 Strategy discussion",
        "entries": [row],
    }


HIDDEN = "The disclosure was made to the school nurse in private."


def _full_row() -> dict:
    return {
        "date": "3 Feb 2026",
        "occurred_on": dt.date(2026, 2, 3),
        "agency": "Northshire Sexual Health",
        "restricted": False,
        "kind": "Note",
        "summary": "Consultation",
        "detail": HIDDEN,
        "significance": "High",
        "significance_code": "high",
    }


def _masked_row() -> dict:
    return {
        "date": "3 Feb 2026",
        "occurred_on": dt.date(2026, 2, 3),
        "agency": "Northshire Sexual Health",
        "restricted": True,
    }


@pytest.mark.parametrize("first_audience", ["may read it", "may not read it"])
def test_a_chunk_built_for_one_audience_of_a_restricted_entry_is_never_reused_for_the_other(media, first_audience):
    """The same entry shown in full and as a placeholder are different parts with different keys,
    whichever is printed first."""
    cache = PartCache(Path(media) / "cache" / "pack-parts", 50 * 1024 * 1024)
    full, masked = _context(_full_row()), _context(_masked_row())
    first, second = (full, masked) if first_audience == "may read it" else (masked, full)
    pack_to_pdf(first, cache=cache)
    again = pack_to_pdf(second, cache=cache)
    assert "chronology 2026-Q1" in again.parts_laid_out
    assert "chronology 2026-Q1" not in again.parts_reused
    text = squash(" ".join(pdf_pages(again.content)))
    if second is masked:
        assert HIDDEN not in text
        assert "Restricted entry: it is held by Northshire Sexual Health." in text
    else:
        assert HIDDEN in text
    chunk_keys = (
        {part.name: part.key for part in pack_parts(full)},
        {part.name: part.key for part in pack_parts(masked)},
    )
    assert chunk_keys[0]["chronology 2026-Q1"] != chunk_keys[1]["chronology 2026-Q1"]


def test_contents_give_and_link_to_the_page_each_section_starts_on(build, users, case, two_quarters):
    content = build(users.chair, case, kind="conference").file.read()
    pages = pdf_pages(content)
    cover = squash(pages[0])
    numbers = {}
    for title, heading in (("People", "People"), ("Multi-agency chronology", "Multi-agency chronology,")):
        numbers[title] = int(re.search(rf"{title}\W*page (\d+)", cover).group(1))
        assert squash(pages[numbers[title] - 1]).find(heading) >= 0, (title, numbers[title])
    reader = PdfReader(io.BytesIO(content))
    page_of = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    targets = {page_of[link.get_object()["/Dest"][0].idnum] for link in reader.pages[0]["/Annots"]}
    assert {numbers["People"] - 1, numbers["Multi-agency chronology"] - 1} <= targets


def test_cache_over_its_bound_drops_the_least_recently_used_parts(tmp_path):
    cache = PartCache(tmp_path / "parts", max_bytes=2500)
    keys = [f"{n:064x}" for n in range(1, 4)]
    for age, key in zip((300, 200, 100), keys, strict=True):
        cache.put(key, LaidOutPart(content=b"%PDF-" + b"x" * 1000, page_count=1, anchors={}))
        for path in (tmp_path / "parts" / key[:2]).glob(f"{key}.*"):
            os.utime(path, (path.stat().st_atime, path.stat().st_mtime - age))
    assert cache.get(keys[0]) is not None  # used now: the most recent
    assert cache.evict() == 1
    assert cache.get(keys[1]) is None  # the least recently used went
    assert cache.get(keys[0]) is not None
    assert cache.get(keys[2]) is not None
    assert cache.size_bytes() <= 2500
