"""A pack prints at most PACK_FLAG_EVIDENCE_ROWS evidence rows a flag (its latest) and counts the rest
in one line; restricted entries stay masked whether printed or left out. Read back from the PDF."""

import datetime as dt
import re

import pytest

from reporting.packs.pdf.context import PACK_FLAG_EVIDENCE_ROWS
from tests.packs.conftest import pack_text, squash

pytestmark = pytest.mark.django_db

MARKER = "Quokka-overdose-7731"  # planted in restricted entries: it must never reach the PDF


@pytest.fixture
def safe_and_well(case, agencies, users, add_entry):
    """add(on, n, agency=..., restricted=...): an entry the vague-language rule names as evidence
    ('safe and well' with no child seen), its summary numbered so the PDF shows which were printed."""

    def add(on: dt.date, n: int, *, agency=None, restricted: bool = False):
        recorder = {agencies.hv: users.hv, agencies.school: users.teacher}.get(agency, users.sw)
        summary = f"Family said to be safe and well, contact {n:02d}"
        if restricted:
            summary += f" {MARKER}"
        return add_entry(case, on, summary, agency=agency, recorded_by=recorder, restricted=restricted)

    return add


def flags_section(text: str) -> str:
    """The flags section's text: from its introduction to the chronology's heading."""
    start = text.index("Flags raised as at")
    return text[start : text.index("Multi-agency chronology,", start)]


def printed_contacts(section: str) -> list[int]:
    """The numbers of the evidence rows printed in full, in printed order."""
    return [int(n) for n in re.findall(r"Note: Family said to be safe and well, contact (\d\d)", section)]


def test_a_flag_with_more_evidence_prints_its_latest_rows_and_counts_the_rest(
    build, users, case, agencies, safe_and_well
):
    # Before the period, so only the flags section can print them (the chronology leaves them out).
    safe_and_well(dt.date(2025, 3, 5), 1, agency=agencies.hv)
    safe_and_well(dt.date(2025, 4, 9), 2, agency=agencies.school)
    safe_and_well(dt.date(2025, 7, 14), 3, agency=agencies.hv)
    for n, on in enumerate(
        [dt.date(2025, 9, 1), dt.date(2025, 10, 2), dt.date(2025, 11, 3), dt.date(2025, 12, 4)], start=4
    ):
        safe_and_well(on, n)
    for n, on in enumerate(
        [dt.date(2026, 1, 5), dt.date(2026, 2, 6), dt.date(2026, 3, 7), dt.date(2026, 4, 8)], start=8
    ):
        safe_and_well(on, n)
    assert PACK_FLAG_EVIDENCE_ROWS == 8  # 11 entries: the latest 8 printed, 3 counted

    section = squash(flags_section(squash(pack_text(build(users.chair, case)))))

    assert printed_contacts(section) == list(range(4, 12))
    assert section.count("(outside the period)") == 4  # contacts 4 to 7, the marking kept
    assert (
        "And 3 earlier entries, 5 Mar 2025 to 14 Jul 2025 (Northshire Health Visiting, Riverside Primary School): "
        "the case's flags page lists every one." in section
    )


def test_a_flag_with_one_more_than_the_cap_says_one_earlier_entry(build, users, case, agencies, safe_and_well):
    safe_and_well(dt.date(2025, 6, 1), 1, agency=agencies.school)
    for n in range(2, 10):
        safe_and_well(dt.date(2026, 1, n), n)

    section = squash(flags_section(squash(pack_text(build(users.chair, case)))))

    assert printed_contacts(section) == list(range(2, 10))
    assert "And 1 earlier entry, 1 Jun 2025 (Riverside Primary School): the case's flags page lists every one." in (
        section
    )


def test_a_flag_at_the_cap_prints_every_row_and_no_count(build, users, case, safe_and_well):
    for n in range(1, PACK_FLAG_EVIDENCE_ROWS + 1):
        safe_and_well(dt.date(2025, 12, n), n)

    section = squash(flags_section(squash(pack_text(build(users.chair, case)))))

    assert printed_contacts(section) == list(range(1, 9))
    assert "earlier entr" not in section
    assert "lists every one" not in section


def test_restricted_evidence_is_masked_when_printed_and_leaks_nothing_when_left_out(
    build, users, case, agencies, safe_and_well
):
    safe_and_well(dt.date(2025, 2, 1), 1, agency=agencies.school, restricted=True)  # left out
    safe_and_well(dt.date(2025, 2, 2), 2)  # left out
    for n in range(3, 10):
        safe_and_well(dt.date(2025, 10, n), n)
    safe_and_well(dt.date(2025, 11, 1), 10, agency=agencies.hv, restricted=True)  # printed, masked

    text = squash(pack_text(build(users.chair, case)))
    section = flags_section(text)

    assert MARKER not in text
    assert printed_contacts(section) == list(range(3, 10))  # the masked row prints no summary
    assert section.count("Restricted entry held by") == 1
    assert "1 Nov 2025 (outside the period) Northshire Health Visiting Restricted entry held by Northshire Health" in (
        section
    )
    assert (
        "And 2 earlier entries, 1 Feb 2025 to 2 Feb 2025 (Northshire Children's Social Care, Riverside Primary "
        "School): the case's flags page lists every one." in section
    )
    assert "contact 01" not in text and "contact 02" not in text


def test_an_anonymised_pack_counts_left_out_evidence_too(build, users, case, safe_and_well):
    for n in range(1, PACK_FLAG_EVIDENCE_ROWS + 3):
        safe_and_well(dt.date(2025, 10, n), n)

    section = squash(flags_section(squash(pack_text(build(users.chair, case, kind="review")))))

    assert printed_contacts(section) == list(range(3, 11))
    assert "And 2 earlier entries, 1 Oct 2025 to 2 Oct 2025 (Northshire Children's Social Care)" in section
