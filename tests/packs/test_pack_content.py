"""What a generated pack says: read back from the PDF with pypdf."""

import datetime as dt
import re

import pytest

from reporting.flags.selectors import flags_for_case
from reporting.flags.services import flag_review_record
from tests.packs.conftest import pack_text, pdf_pages, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def chronology(case, people, agencies, users, add_entry):
    """Entries inside and outside the period 1 January to 30 June 2026."""
    return {
        "before": add_entry(case, dt.date(2025, 12, 15), "Nursery raised concern before the period"),
        "first_day": add_entry(case, dt.date(2026, 1, 1), "New year visit on the first day", subjects=[people.child]),
        "visit": add_entry(
            case,
            dt.date(2026, 2, 3),
            "Home visit with the children seen",
            kind="home_visit",
            subjects=[people.child],
            seen=[people.child, people.baby],
            detail="Kitchen cupboards were bare.",
        ),
        "low_hv": add_entry(
            case,
            dt.date(2026, 3, 9),
            "Weighing clinic attended",
            agency=agencies.hv,
            recorded_by=users.hv,
            significance="low",
            kind="appointment_attended",
            subjects=[people.baby],
        ),
        "injury": add_entry(
            case,
            dt.date(2026, 3, 20),
            "Bruise on the cheek of the baby",
            agency=agencies.hv,
            recorded_by=users.hv,
            kind="injury",
            significance="high",
            subjects=[people.baby],
            injury_body_site="left cheek",
            injury_type="bruise",
            injury_explanation="Said to be from a toy",
        ),
        "restricted": add_entry(
            case,
            dt.date(2026, 4, 2),
            "Confidential disclosure to the school nurse",
            agency=agencies.school,
            recorded_by=users.teacher,
            restricted=True,
            significance="high",
        ),
        "last_day": add_entry(case, dt.date(2026, 6, 30), "Review meeting on the last day"),
        "after": add_entry(case, dt.date(2026, 7, 1), "Visit after the period ended"),
    }


def test_pack_has_people_and_only_the_periods_entries(build, users, case, people, chronology):
    text = squash(pack_text(build(users.sw, case)))
    for person in ("Robin Testfamily", "Kit Testfamily", "Alex Testfamily"):
        assert person in text
    for key in ("first_day", "visit", "low_hv", "injury", "last_day"):
        assert chronology[key].summary in text
    assert "Kitchen cupboards were bare." in text
    assert "Nursery raised concern before the period" not in text
    assert "Visit after the period ended" not in text


def test_restricted_entry_is_a_placeholder_naming_its_agency(build, users, case, chronology):
    text = squash(pack_text(build(users.sw, case)))
    assert "Confidential disclosure" not in text
    assert "Restricted entry: it is held by Riverside Primary School" in text


def test_minimum_significance_leaves_out_lesser_entries(build, users, case, chronology):
    text = squash(pack_text(build(users.sw, case, min_significance="high")))
    assert "Bruise on the cheek of the baby" in text
    assert "Weighing clinic attended" not in text
    assert "Home visit with the children seen" not in text


def test_agency_filter_keeps_only_those_agencies_entries(build, users, case, agencies, chronology):
    text = squash(pack_text(build(users.sw, case, agencies=[agencies.hv])))
    assert "Weighing clinic attended" in text
    assert "Home visit with the children seen" not in text
    assert "from Northshire Health Visiting only" in text


def test_pack_shows_open_flags_with_evidence_and_review_rationale(build, users, case, chronology):
    flags = flags_for_case(case, dt.date(2026, 6, 30))
    injury_flag = next(f for f in flags if f.rule == "nonmobile_injury")
    flag_review_record(
        acting_user=users.sw,
        case=case,
        rule=injury_flag.rule,
        key=injury_flag.key,
        decision="escalated",
        rationale="Strategy discussion convened with police and paediatrics.",
        at=dt.date(2026, 6, 30),
    )
    pack = build(users.chair, case)
    text = squash(pack_text(pack))
    assert injury_flag.title in text
    assert "Strategy discussion convened with police and paediatrics." in text
    assert f"nonmobile_injury:{injury_flag.key}" in pack.flag_ids
    assert pack.rule_versions["nonmobile_injury"] >= 1


def test_every_page_carries_marking_reference_generator_and_page_number(build, users, case, chronology):
    pack = build(users.chair, case)
    pages = pdf_pages(pack.file.read())
    assert len(pages) == pack.page_count
    for number, page in enumerate(pages, start=1):
        flat = squash(page)
        assert flat.count("OFFICIAL-SENSITIVE") >= 2, number
        assert f"Page {number} of {len(pages)}" in flat
        assert "NS-0001" in flat
        assert f"Generated by {users.chair.display_name}" in flat


def test_page_count_is_sane_for_a_small_case(build, users, case, chronology):
    pack = build(users.sw, case)
    # cover, people and agencies, genogram, ecomap, flags, chronology: a handful of pages, not dozens
    assert 4 <= pack.page_count <= 12


def test_cover_says_meeting_period_and_who_generated_it(build, users, case, chronology):
    text = squash(pdf_pages(build(users.chair, case, kind="conference").file.read())[0])
    assert "Child protection conference" in text
    assert "1 January 2026 to 30 June 2026" in text
    assert users.chair.display_name in text
    assert re.search(r"Generated on \d{1,2} \w+ \d{4} at \d\d:\d\d", text)


@pytest.mark.parametrize(("kind", "has_table"), [("core_group", True), ("conference", True), ("strategy", False)])
def test_decisions_and_actions_table_only_for_core_groups_and_conferences(build, users, case, kind, has_table):
    text = squash(pack_text(build(users.sw, case, kind=kind)))
    assert ("Decision or action" in text) is has_table
