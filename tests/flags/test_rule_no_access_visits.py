from tests.flags.builders import CSC, HV, CaseBuilder, D, retract

RULE = "no_access_visits"


def test_no_access_visits_fires_for_no_access_and_cancelled_visit_within_three_months():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    a = case.entry("home_visit_no_access", D(2026, 2, 3), agency=CSC, about=[robin])
    b = case.entry("home_visit_cancelled", D(2026, 5, 3), agency=HV, about=[robin])
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.evidence == (a.id, b.id)
    assert flag.explanation == (
        "One visit with no access and one visit cancelled in 3 months: "
        "Northshire Children's Social Care 3 February and Northshire Health Visiting 3 May 2026."
    )


def test_no_access_visits_ignores_second_visit_a_day_outside_three_months():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("home_visit_no_access", D(2026, 2, 3), agency=CSC, about=[robin])
    case.entry("home_visit_no_access", D(2026, 5, 4), agency=HV, about=[robin])
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_no_access_visits_ignores_a_single_visit():
    case = CaseBuilder()
    case.entry("home_visit_no_access", D(2026, 2, 3), agency=CSC)
    case.entry("home_visit", D(2026, 2, 10), agency=CSC)
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_no_access_visits_ignores_retracted_entries():
    case = CaseBuilder()
    case.entry("home_visit_no_access", D(2026, 2, 3), agency=CSC)
    retract(case, case.entry("home_visit_no_access", D(2026, 2, 10), agency=HV))
    assert case.flags(RULE, D(2026, 6, 1)) == []
