from reporting.flags.snapshot import AgencyRecord
from tests.flags.builders import GP, HOSPITAL, CaseBuilder, D, retract

RULE = "no_antenatal_care"
MIDWIFERY = AgencyRecord(9, "Northshire Midwifery", "midwifery")
BORN = D(2026, 5, 1)  # six months before is 1 November 2025
DUE = D(2026, 9, 1)  # 24 weeks of gestation on 12 May 2026


def birth_family():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    baby = case.child("Kit", BORN)
    case.relate("biological_parent", mum, baby)
    return case, mum, baby


def pregnant_family():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    unborn = case.child("Unborn", None, expected_date_of_delivery=DUE)
    case.relate("biological_parent", mum, unborn)
    return case, mum, unborn


def test_no_antenatal_care_fires_on_a_birth_with_no_pregnancy_recorded():
    case, mum, baby = birth_family()
    birth = case.entry("birth", BORN, agency=HOSPITAL, about=[baby, mum])
    [flag] = case.flags(RULE, D(2026, 5, 2))
    assert flag.key == f"entry:{birth.id}"
    assert flag.people == (mum.id, baby.id)
    assert flag.evidence == (birth.id,)
    assert flag.explanation == (
        "Northshire General Hospital recorded the birth of Kit Testfamily on 1 May 2026, and no pregnancy or "
        "antenatal appointment for Leanne Testfamily is recorded in the 6 months before: the pregnancy may have "
        "been concealed or the mother may have had no antenatal care."
    )


def test_no_antenatal_care_quiet_with_a_pregnancy_entry_exactly_six_months_before():
    case, mum, baby = birth_family()
    case.entry("pregnancy", D(2025, 11, 1), agency=MIDWIFERY, about=[mum])
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert case.flags(RULE, D(2026, 5, 2)) == []


def test_no_antenatal_care_fires_when_the_pregnancy_entry_is_a_day_more_than_six_months_before():
    case, mum, baby = birth_family()
    case.entry("pregnancy", D(2025, 10, 31), agency=MIDWIFERY, about=[mum])
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert len(case.flags(RULE, D(2026, 5, 2))) == 1


def test_no_antenatal_care_quiet_with_an_antenatal_appointment():
    case, mum, baby = birth_family()
    case.entry("appointment_attended", D(2026, 2, 1), agency=MIDWIFERY, about=[mum])
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert case.flags(RULE, D(2026, 5, 2)) == []


def test_no_antenatal_care_does_not_count_an_appointment_that_is_not_antenatal():
    case, mum, baby = birth_family()
    case.entry("appointment_attended", D(2026, 2, 1), agency=GP, about=[mum], summary="Asthma review")
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert len(case.flags(RULE, D(2026, 5, 2))) == 1


def test_no_antenatal_care_does_not_count_another_womans_pregnancy():
    case, mum, baby = birth_family()
    aunt = case.person("Aunt", D(1993, 1, 1), sex="female")
    case.entry("pregnancy", D(2026, 1, 1), agency=MIDWIFERY, about=[aunt])
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert len(case.flags(RULE, D(2026, 5, 2))) == 1


def test_no_antenatal_care_does_not_count_a_retracted_pregnancy_entry():
    case, mum, baby = birth_family()
    retract(case, case.entry("pregnancy", D(2026, 1, 1), agency=MIDWIFERY, about=[mum]))
    case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert len(case.flags(RULE, D(2026, 5, 2))) == 1


def test_no_antenatal_care_ignores_a_retracted_birth():
    case, mum, baby = birth_family()
    retract(case, case.entry("birth", BORN, agency=HOSPITAL, about=[baby]))
    assert case.flags(RULE, D(2026, 5, 2)) == []


def test_no_antenatal_care_fires_on_a_pregnancy_first_recorded_after_twenty_four_weeks():
    case, mum, unborn = pregnant_family()
    late = case.entry("pregnancy", D(2026, 5, 13), agency=MIDWIFERY, about=[mum])
    [flag] = case.flags(RULE, D(2026, 5, 20))
    assert flag.key == f"entry:{late.id}"
    assert flag.people == (mum.id, unborn.id)
    assert flag.evidence == (late.id,)
    assert flag.explanation == (
        "The first record of Leanne Testfamily's pregnancy is by Northshire Midwifery on 13 May 2026, at 24 weeks "
        "and 1 day of pregnancy (due 1 September 2026): after 24 weeks, which can mean a concealed or denied "
        "pregnancy or antenatal care that started late."
    )


def test_no_antenatal_care_quiet_on_a_pregnancy_first_recorded_at_twenty_four_weeks():
    case, mum, unborn = pregnant_family()
    case.entry("pregnancy", D(2026, 5, 12), agency=MIDWIFERY, about=[mum])
    assert case.flags(RULE, D(2026, 5, 20)) == []


def test_no_antenatal_care_reads_the_gestation_from_the_entry_when_no_due_date_is_recorded():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1995, 3, 3), sex="female")
    case.entry("pregnancy", D(2026, 5, 13), agency=MIDWIFERY, about=[mum], summary="Booked at 30 weeks")
    [flag] = case.flags(RULE, D(2026, 5, 20))
    assert "at 30 weeks of pregnancy: after 24 weeks" in flag.explanation


def test_no_antenatal_care_quiet_on_a_later_entry_of_an_early_booked_pregnancy():
    case, mum, unborn = pregnant_family()
    booking = case.entry("pregnancy", D(2026, 2, 10), agency=MIDWIFERY, about=[mum], summary="Booking")
    late = case.entry("pregnancy", D(2026, 6, 1), agency=HOSPITAL, about=[unborn], summary="Growth scan")
    assert case.flags(RULE, D(2026, 6, 2)) == []
    retract(case, booking)  # recorded in error: the growth scan is then the first record
    [flag] = case.flags(RULE, D(2026, 6, 2))
    assert flag.evidence == (late.id,)


def test_no_antenatal_care_leaves_out_a_man_and_a_young_child():
    case = CaseBuilder()
    dad = case.person("Dean", D(1990, 1, 1), sex="male")
    girl = case.child("Ivy", D(2019, 1, 1), sex="female")
    case.entry("pregnancy", D(2026, 5, 13), agency=GP, about=[dad], summary="Partner is 30 weeks pregnant")
    case.entry("pregnancy", D(2026, 5, 13), agency=GP, about=[girl], summary="Mother is 30 weeks pregnant")
    assert case.flags(RULE, D(2026, 5, 20)) == []


def test_no_antenatal_care_late_booking_weeks_is_a_parameter():
    case, mum, unborn = pregnant_family()
    case.entry("pregnancy", D(2026, 5, 13), agency=MIDWIFERY, about=[mum])
    assert case.flags(RULE, D(2026, 5, 20), {RULE: {"late_booking_weeks": 25}}) == []


def test_no_antenatal_care_gives_the_benefit_of_the_doubt_when_no_mother_is_known():
    case = CaseBuilder()
    baby = case.child("Kit", BORN)
    woman = case.person("Leanne", D(1995, 3, 3), sex="female")  # not linked to the baby in the genogram
    pregnancy = case.entry("pregnancy", D(2026, 1, 1), agency=MIDWIFERY, about=[woman])
    birth = case.entry("birth", BORN, agency=HOSPITAL, about=[baby])
    assert case.flags(RULE, D(2026, 5, 2)) == []
    retract(case, pregnancy)
    [flag] = case.flags(RULE, D(2026, 5, 2))
    assert flag.evidence == (birth.id,)
    assert "no pregnancy or antenatal appointment for the mother is recorded" in flag.explanation
