from tests.flags.builders import CSC, SCHOOL, CaseBuilder, D, retract

RULE = "repeated_case_closure"


def test_repeated_case_closure_fires_for_two_closures_then_a_new_referral():
    case = CaseBuilder()
    first = case.entry("case_closed", D(2024, 3, 1), agency=CSC)
    second = case.entry("stepped_down", D(2026, 3, 1), agency=CSC)
    referral = case.entry("referral_made", D(2026, 5, 1), agency=SCHOOL)
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.evidence == (first.id, second.id, referral.id)
    assert flag.explanation == (
        "The case was closed or stepped down two times (Northshire Children's Social Care 1 March 2024 and "
        "1 March 2026) and then referred again: Riverside Primary School on 1 May 2026."
    )


def test_repeated_case_closure_ignores_closures_a_day_over_twenty_four_months_apart():
    case = CaseBuilder()
    case.entry("case_closed", D(2024, 3, 1), agency=CSC)
    case.entry("stepped_down", D(2026, 3, 2), agency=CSC)
    case.entry("referral_made", D(2026, 5, 1), agency=SCHOOL)
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_repeated_case_closure_waits_for_the_re_referral():
    case = CaseBuilder()
    case.entry("case_closed", D(2025, 3, 1), agency=CSC)
    case.entry("referral_made", D(2025, 5, 1), agency=SCHOOL)
    case.entry("case_closed", D(2026, 3, 1), agency=CSC)
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_repeated_case_closure_counts_closure_and_step_down_on_one_day_once():
    case = CaseBuilder()
    case.entry("case_closed", D(2026, 3, 1), agency=CSC)
    case.entry("stepped_down", D(2026, 3, 1), agency=CSC)
    case.entry("referral_made", D(2026, 5, 1), agency=SCHOOL)
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_repeated_case_closure_ignores_retracted_entries():
    case = CaseBuilder()
    case.entry("case_closed", D(2025, 3, 1), agency=CSC)
    case.entry("stepped_down", D(2026, 3, 1), agency=CSC)
    retract(case, case.entry("referral_made", D(2026, 5, 1), agency=SCHOOL))
    assert case.flags(RULE, D(2026, 6, 1)) == []
