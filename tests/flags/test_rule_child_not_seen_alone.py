from tests.flags.builders import CSC, SCHOOL, CaseBuilder, D, retract

RULE = "child_not_seen_alone"
AT = D(2026, 6, 30)


def test_child_not_seen_alone_fires_on_a_protection_plan_and_says_when_last_seen_alone():
    case = CaseBuilder(legal_status="child_protection")
    robin = case.child("Robin", D(2021, 4, 4))
    alone = case.entry("child_seen", D(2026, 5, 31), agency=CSC, about=[robin], seen=[robin], seen_alone=[robin])
    with_mum = case.entry("home_visit", D(2026, 6, 20), agency=CSC, about=[robin], seen=[robin])
    [flag] = case.flags(RULE, AT)
    assert flag.evidence == (alone.id, with_mum.id)
    assert flag.explanation == (
        "Robin Testfamily (5 years old) has not been seen alone in the 30 days to 30 June 2026, on a child "
        "protection plan; last seen alone by Northshire Children's Social Care on 31 May 2026. They were seen "
        "with others one time in that time."
    )


def test_child_not_seen_alone_quiet_when_seen_alone_on_first_day_of_window():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("child_seen", D(2026, 6, 1), agency=SCHOOL, about=[robin], seen_alone=[robin])
    assert case.flags(RULE, AT) == []


def test_child_not_seen_alone_ignores_a_child_one_day_short_of_two():
    case = CaseBuilder()
    case.child("Kit", D(2024, 7, 1))
    assert case.flags(RULE, AT) == []
    assert len(case.flags(RULE, D(2026, 7, 1))) == 1


def test_child_not_seen_alone_ignores_early_help_cases():
    case = CaseBuilder(legal_status="early_help")
    case.child("Robin", D(2021, 4, 4))
    assert case.flags(RULE, AT) == []


def test_child_not_seen_alone_applies_to_child_in_need_cases():
    case = CaseBuilder(legal_status="child_in_need")
    case.child("Robin", D(2021, 4, 4))
    [flag] = case.flags(RULE, AT)
    assert "child in need plan; no entry records them as ever seen alone" in flag.explanation


def test_child_not_seen_alone_waits_thirty_days_from_case_opening():
    case = CaseBuilder(opened_on=D(2026, 6, 2))
    case.child("Robin", D(2021, 4, 4))
    assert case.flags(RULE, AT) == []


def test_child_not_seen_alone_does_not_count_a_retracted_visit():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    retract(case, case.entry("child_seen", D(2026, 6, 20), agency=CSC, about=[robin], seen_alone=[robin]))
    assert len(case.flags(RULE, AT)) == 1


def test_child_not_seen_alone_is_version_two():
    from reporting.flags.base import REGISTRY

    assert REGISTRY[RULE].version == 2


def test_child_not_seen_alone_fires_for_a_looked_after_child_not_seen_alone_in_six_weeks():
    case = CaseBuilder(legal_status="looked_after")
    robin = case.child("Robin", D(2021, 4, 4))
    alone = case.entry("child_seen", D(2026, 5, 19), agency=CSC, about=[robin], seen_alone=[robin])
    [flag] = case.flags(RULE, AT)
    assert flag.rule_version == 2
    assert flag.evidence == (alone.id,)
    assert flag.explanation == (
        "Robin Testfamily (5 years old) has not been seen alone in the 42 days to 30 June 2026, while looked "
        "after; last seen alone by Northshire Children's Social Care on 19 May 2026."
    )


def test_child_not_seen_alone_quiet_for_a_looked_after_child_seen_alone_on_the_first_day_of_six_weeks():
    case = CaseBuilder(legal_status="looked_after")
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("child_seen", D(2026, 5, 20), agency=CSC, about=[robin], seen_alone=[robin])
    assert case.flags(RULE, AT) == []


def test_child_not_seen_alone_reads_looked_after_from_the_status_on_the_date():
    from dataclasses import replace

    from reporting.flags.snapshot import StatusRecord

    case = CaseBuilder(legal_status="early_help")
    case.case = replace(
        case.case,
        status_history=(
            StatusRecord("child_in_need", D(2024, 1, 10)),
            StatusRecord("looked_after", D(2026, 3, 1)),
            StatusRecord("early_help", D(2026, 6, 1)),
        ),
    )
    case.child("Robin", D(2021, 4, 4))
    [flag] = case.flags(RULE, D(2026, 5, 31))
    assert "while looked after" in flag.explanation
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_child_not_seen_alone_does_not_count_a_retracted_visit_to_a_looked_after_child():
    case = CaseBuilder(legal_status="looked_after")
    robin = case.child("Robin", D(2021, 4, 4))
    retract(case, case.entry("child_seen", D(2026, 6, 20), agency=CSC, about=[robin], seen_alone=[robin]))
    assert len(case.flags(RULE, AT)) == 1
