from reporting.flags.snapshot import InjuryRecord
from tests.flags.builders import CSC, HOSPITAL, POLICE, SCHOOL, D, retract
from tests.flags.meeting_builders import MeetingCaseBuilder

RULE = "disclosure_without_strategy"
MONDAY = D(2026, 3, 2)  # two working days later is Wednesday 4 March


def family():
    case = MeetingCaseBuilder()
    robin = case.child("Robin", D(2017, 4, 4))
    return case, robin


def test_disclosure_without_strategy_fires_the_day_after_the_second_working_day():
    case, robin = family()
    told = case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin], summary="Robin said dad hit him")
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert flag.key == "on:2026-03-02"
    assert flag.people == (robin.id,)
    assert flag.evidence == (told.id,)
    assert flag.explanation == (
        "On 2 March 2026 Riverside Primary School recorded a disclosure about Robin Testfamily; a strategy "
        "discussion was due within 2 working days, by 4 March 2026, and none is recorded by 5 March 2026."
    )


def test_disclosure_without_strategy_quiet_on_the_second_working_day():
    case, robin = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 3, 4)) == []


def test_disclosure_without_strategy_quiet_when_a_strategy_discussion_is_held_on_the_second_working_day():
    case, robin = family()
    case.entry("allegation", MONDAY, agency=POLICE, about=[robin])
    case.meeting("strategy_discussion", D(2026, 3, 4))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_disclosure_without_strategy_names_a_late_strategy_discussion():
    case, robin = family()
    told = case.entry("allegation", MONDAY, agency=POLICE, about=[robin])
    late = case.entry("strategy_discussion", D(2026, 3, 5), agency=CSC, about=[robin])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (told.id, late.id)
    assert flag.explanation.endswith("and the first was held on 5 March 2026, 3 working days after.")


def test_disclosure_without_strategy_skips_bank_holidays():
    case, robin = family()
    case.entry("disclosure", D(2026, 4, 2), agency=SCHOOL, about=[robin])  # Good Friday and Easter Monday follow
    case.entry("strategy_discussion", D(2026, 4, 8), agency=CSC, about=[robin])
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_disclosure_without_strategy_fires_on_an_injury_not_consistently_explained():
    case, robin = family()
    hurt = case.entry(
        "injury",
        MONDAY,
        agency=HOSPITAL,
        about=[robin],
        injury=InjuryRecord(body_site="ear", injury_type="bruise", explanation="fell", explanation_consistent=False),
    )
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert flag.evidence == (hurt.id,)
    assert flag.explanation.startswith(
        "On 2 March 2026 Northshire General Hospital recorded an injury (bruise to ear) to Robin Testfamily, its "
        "explanation recorded as not consistent; a strategy discussion was due"
    )


def test_disclosure_without_strategy_leaves_out_an_injury_explained_consistently():
    case, robin = family()
    case.injury(MONDAY, robin, agency=HOSPITAL)
    case.entry(
        "hospital_attendance",
        D(2026, 3, 9),
        agency=HOSPITAL,
        about=[robin],
        injury=InjuryRecord(body_site="knee", injury_type="graze", explanation="fell", explanation_consistent=True),
    )
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_disclosure_without_strategy_ignores_a_retracted_disclosure():
    case, robin = family()
    retract(case, case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin]))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_disclosure_without_strategy_does_not_count_a_retracted_strategy_discussion():
    case, robin = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    retract(case, case.entry("strategy_discussion", D(2026, 3, 3), agency=CSC, about=[robin]))
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_disclosure_without_strategy_is_not_answered_by_a_discussion_about_another_child():
    case, robin = family()
    other = case.child("Kim", D(2015, 1, 1))
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    case.entry("strategy_discussion", D(2026, 3, 3), agency=CSC, about=[other])
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_disclosure_without_strategy_does_not_quote_the_disclosure():
    case, robin = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin], summary="Private words", restricted=True)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert "Private words" not in flag.explanation


def test_disclosure_without_strategy_working_days_is_a_parameter():
    case, robin = family()
    case.entry("disclosure", MONDAY, agency=SCHOOL, about=[robin])
    assert case.flags(RULE, D(2026, 3, 5), {RULE: {"working_days": 3}}) == []


def test_disclosure_without_strategy_does_not_describe_a_restricted_injury():
    case, robin = family()
    case.entry(
        "injury",
        MONDAY,
        agency=HOSPITAL,
        about=[robin],
        restricted=True,
        injury=InjuryRecord(body_site="ear", injury_type="bruise", explanation="fell", explanation_consistent=False),
    )
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert "an injury (restricted) to Robin Testfamily" in flag.explanation
    assert "bruise" not in flag.explanation
