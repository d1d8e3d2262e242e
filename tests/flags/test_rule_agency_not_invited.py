from __future__ import annotations

from reporting.flags.snapshot import AgencyRecord
from tests.flags.builders import CSC, HV, POLICE, D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "agency_not_invited"
DA_SERVICE = AgencyRecord(9, "Northshire Domestic Abuse Service", "domestic_abuse_service")
CORE_GROUP = D(2026, 6, 10)


def _case(**meeting):
    case = MeetingCaseBuilder()
    case.entry("domestic_abuse_incident", D(2026, 3, 4), agency=DA_SERVICE, significance="high")
    case.entry("home_visit", D(2026, 5, 2), agency=HV, significance="medium")
    meeting.setdefault("invited", [HV, POLICE])
    core_group = case.meeting("core_group", CORE_GROUP, **meeting)
    return case, core_group


def test_agency_not_invited_fires_for_an_agency_with_a_recent_significant_entry():
    case, core_group = _case()
    [flag] = case.flags(RULE, CORE_GROUP)
    assert flag.key == f"meeting:{core_group.id}"
    assert flag.evidence == (case.entries[0].id, core_group.entry_id)
    assert flag.explanation == (
        "The core group on 10 June 2026 did not invite Northshire Domestic Abuse Service (one entry on "
        "4 March 2026), though they recorded medium or high significance entries in the 6 months before."
    )


def test_agency_not_invited_quiet_when_the_agency_was_invited():
    case, _ = _case(invited=[HV, POLICE, DA_SERVICE])
    assert case.flags(RULE, CORE_GROUP) == []


def test_agency_not_invited_boundary_is_six_months_before_the_meeting():
    on_the_day = MeetingCaseBuilder()
    on_the_day.entry("police_contact", D(2025, 12, 10), agency=POLICE, significance="high")
    on_the_day.meeting("core_group", CORE_GROUP, invited=[HV])
    assert len(on_the_day.flags(RULE, CORE_GROUP)) == 1
    a_day_earlier = MeetingCaseBuilder()
    a_day_earlier.entry("police_contact", D(2025, 12, 9), agency=POLICE, significance="high")
    a_day_earlier.meeting("core_group", CORE_GROUP, invited=[HV])
    assert a_day_earlier.flags(RULE, CORE_GROUP) == []


def test_agency_not_invited_ignores_low_significance_entries():
    case = MeetingCaseBuilder()
    case.entry("appointment_attended", D(2026, 5, 2), agency=POLICE, significance="low")
    case.meeting("core_group", CORE_GROUP, invited=[HV])
    assert case.flags(RULE, CORE_GROUP) == []


def test_agency_not_invited_counts_the_recording_agency_as_there():
    case = MeetingCaseBuilder()
    case.entry("home_visit", D(2026, 5, 2), agency=CSC, significance="high")
    case.meeting("review_conference", CORE_GROUP, invited=[HV], by=CSC)
    assert case.flags(RULE, CORE_GROUP) == []


def test_agency_not_invited_quiet_for_a_cancelled_meeting():
    case, _ = _case(status="cancelled")
    assert case.flags(RULE, D(2026, 7, 1)) == []


def test_agency_not_invited_ignores_a_retracted_entry():
    case, _ = _case()
    retract(case, case.entries[0])
    assert case.flags(RULE, CORE_GROUP) == []


def test_agency_not_invited_only_reads_conferences_and_core_groups():
    case = MeetingCaseBuilder()
    case.entry("domestic_abuse_incident", D(2026, 3, 4), agency=DA_SERVICE, significance="high")
    case.meeting("professionals_meeting", CORE_GROUP, invited=[HV])
    assert case.flags(RULE, CORE_GROUP) == []
