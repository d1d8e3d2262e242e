from reporting.flags.snapshot import AgencyRecord
from tests.flags.builders import AMH, CSC, POLICE, CaseBuilder, D, retract

RULE = "prebirth_assessment_missing"
MIDWIFERY = AgencyRecord(9, "Northshire Midwifery", "midwifery")
DUE = D(2026, 9, 1)
DEADLINE = D(2026, 4, 14)  # 20 weeks before the due date
MOVED_IN = D(2024, 1, 1)


def family():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    dad = case.person("Dean", D(1992, 2, 2), sex="male")
    unborn = case.child("Unborn", None, expected_date_of_delivery=DUE)
    case.relate("biological_parent", mum, unborn)
    case.relate("biological_parent", dad, unborn)
    case.relate("cohabiting", mum, dad, MOVED_IN)
    case.lives(mum, MOVED_IN)
    case.lives(dad, MOVED_IN)
    return case, mum, dad, unborn


def test_prebirth_assessment_missing_fires_the_day_after_twenty_weeks_before_the_due_date():
    case, mum, dad, unborn = family()
    abuse = case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum, dad])
    [flag] = case.flags(RULE, D(2026, 4, 15))
    assert flag.key == f"person:{unborn.id}"
    assert flag.people == (mum.id, unborn.id)
    assert flag.evidence == (abuse.id,)
    assert flag.explanation == (
        "Leanne Testfamily is pregnant, due 1 September 2026 (Unborn Testfamily), with domestic abuse "
        "(Northshire Police 1 February 2026) recorded; no referral or pre-birth assessment about the unborn child "
        "is recorded by 14 April 2026, 20 weeks before the due date, nor since, to 15 April 2026."
    )


def test_prebirth_assessment_missing_quiet_on_the_deadline():
    case, mum, dad, unborn = family()
    case.entry("parental_mental_health", D(2026, 2, 1), agency=AMH, about=[mum])
    assert case.flags(RULE, DEADLINE) == []


def test_prebirth_assessment_missing_quiet_with_an_assessment_on_the_deadline():
    case, mum, dad, unborn = family()
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=AMH, about=[dad])
    case.entry("assessment", DEADLINE, agency=CSC, about=[unborn], summary="Pre-birth assessment started")
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_prebirth_assessment_missing_names_a_late_referral():
    case, mum, dad, unborn = family()
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum, dad])
    late = case.entry("referral_made", D(2026, 4, 15), agency=MIDWIFERY, about=[mum], summary="Referral re unborn baby")
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert late.id in flag.evidence
    assert flag.explanation.endswith("The first was recorded by Northshire Midwifery on 15 April 2026.")


def test_prebirth_assessment_missing_counts_risk_twelve_months_before_the_deadline():
    case, mum, dad, unborn = family()
    case.entry("domestic_abuse_incident", D(2025, 4, 14), agency=POLICE, about=[mum])
    assert len(case.flags(RULE, D(2026, 4, 15))) == 1


def test_prebirth_assessment_missing_quiet_when_the_risk_is_a_day_older_than_twelve_months():
    case, mum, dad, unborn = family()
    case.entry("domestic_abuse_incident", D(2025, 4, 13), agency=POLICE, about=[mum])
    assert case.flags(RULE, D(2026, 4, 15)) == []


def test_prebirth_assessment_missing_quiet_with_no_risk_recorded():
    case, mum, dad, unborn = family()
    case.entry("pregnancy", D(2026, 2, 1), agency=MIDWIFERY, about=[mum])
    assert case.flags(RULE, D(2026, 4, 15)) == []


def test_prebirth_assessment_missing_fires_where_an_older_child_was_removed():
    case, mum, dad, unborn = family()
    told = case.entry("pregnancy", D(2026, 2, 1), agency=MIDWIFERY, about=[mum], summary="Older child taken into care")
    [flag] = case.flags(RULE, D(2026, 4, 15))
    assert flag.evidence == (told.id,)
    assert "an older child removed from the family (Northshire Midwifery 1 February 2026)" in flag.explanation


def test_prebirth_assessment_missing_fires_where_an_older_child_lives_with_a_foster_carer():
    case, mum, dad, unborn = family()
    older = case.child("Ash", D(2019, 1, 1))
    carer = case.person("Carer", D(1970, 1, 1))
    case.relate("biological_parent", mum, older)
    case.relate("foster_carer", carer, older, D(2023, 1, 1))
    [flag] = case.flags(RULE, D(2026, 4, 15))
    assert older.id in flag.people
    assert "Ash Testfamily, an older child, placed with a foster carer" in flag.explanation


def test_prebirth_assessment_missing_does_not_count_a_retracted_incident():
    case, mum, dad, unborn = family()
    retract(case, case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum, dad]))
    assert case.flags(RULE, D(2026, 4, 15)) == []


def test_prebirth_assessment_missing_does_not_count_a_retracted_assessment():
    case, mum, dad, unborn = family()
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum, dad])
    retract(case, case.entry("assessment", D(2026, 3, 1), agency=CSC, about=[unborn]))
    assert len(case.flags(RULE, D(2026, 4, 15))) == 1


def test_prebirth_assessment_missing_leaves_out_abuse_in_another_household():
    case, mum, dad, unborn = family()
    neighbour = case.person("Neighbour", D(1980, 1, 1))
    case.lives(neighbour, MOVED_IN, household=2)
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[neighbour])
    assert case.flags(RULE, D(2026, 4, 15)) == []


def test_prebirth_assessment_missing_quiet_once_the_baby_is_born():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    baby = case.child("Kit", D(2026, 8, 28), expected_date_of_delivery=DUE)
    case.relate("biological_parent", mum, baby)
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum])
    assert len(case.flags(RULE, D(2026, 8, 27))) == 1
    assert case.flags(RULE, D(2026, 8, 28)) == []


def test_prebirth_assessment_missing_reads_a_pregnancy_entry_with_its_gestation():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    case.entry("domestic_abuse_incident", D(2026, 1, 5), agency=POLICE, about=[mum])
    booked = case.entry("pregnancy", D(2026, 2, 2), agency=MIDWIFERY, about=[mum], summary="Booked at 12 weeks")
    [flag] = case.flags(RULE, D(2026, 5, 1))
    assert flag.key == f"entry:{booked.id}"
    assert "Leanne Testfamily is pregnant, due 17 August 2026, with domestic abuse" in flag.explanation


def test_prebirth_assessment_missing_weeks_is_a_parameter():
    case, mum, dad, unborn = family()
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE, about=[mum, dad])
    assert case.flags(RULE, D(2026, 4, 15), {RULE: {"weeks_before_due": 19}}) == []
