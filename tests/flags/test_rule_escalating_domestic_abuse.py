from tests.flags.builders import CSC as DA_SERVICE
from tests.flags.builders import POLICE, CaseBuilder, D, retract

RULE = "escalating_domestic_abuse"


def incidents(case, *days):
    return [case.entry("domestic_abuse_incident", day, agency=POLICE) for day in days]


def test_escalating_domestic_abuse_fires_when_gaps_shrink():
    case = CaseBuilder()
    entries = incidents(case, D(2026, 1, 2), D(2026, 2, 20), D(2026, 3, 15), D(2026, 3, 24))
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == tuple(e.id for e in entries)
    assert flag.explanation == (
        "Four domestic abuse incidents are getting closer together: 2 January, 20 February (49 days later), "
        "15 March (23 days later) and 24 March 2026 (9 days later)."
    )


def test_escalating_domestic_abuse_ignores_equal_gaps():
    case = CaseBuilder()
    incidents(case, D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 21))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_escalating_domestic_abuse_needs_three_incidents():
    case = CaseBuilder()
    incidents(case, D(2026, 1, 1), D(2026, 1, 11))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_escalating_domestic_abuse_counts_same_day_reports_as_one_incident():
    case = CaseBuilder()
    incidents(case, D(2026, 1, 1), D(2026, 2, 1))
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=DA_SERVICE)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_escalating_domestic_abuse_ignores_retracted_entries():
    case = CaseBuilder()
    entries = incidents(case, D(2026, 1, 2), D(2026, 2, 20), D(2026, 3, 15))
    retract(case, entries[2])
    assert case.flags(RULE, D(2026, 4, 1)) == []
