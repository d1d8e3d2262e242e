from reporting.flags.base import REGISTRY
from tests.flags.builders import CSC, POLICE, CaseBuilder, D, retract

RULE = "new_adult_in_household"
JOINED = D(2026, 3, 1)
GROWN_UP = D(1990, 5, 5)


def family(partner_dob=GROWN_UP):
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    alex = case.person("Alex", D(1994, 2, 2))
    sam = case.person("Sam", partner_dob)
    case.lives(robin, D(2021, 4, 4))
    case.lives(alex, D(2019, 1, 1))
    case.lives(sam, JOINED)
    return case, robin, alex, sam


def check(case, on, person, result="no_concerns", check_type="police", agency=POLICE):
    return case.entry(
        "adult_check",
        on,
        agency=agency,
        about=[person],
        summary="Checks on the new partner",
        adult_check_type=check_type,
        adult_check_result=result,
    )


def test_new_adult_in_household_fires_after_thirty_days_without_a_check():
    case, robin, alex, sam = family()
    mention = case.entry("household_change", D(2026, 3, 3), agency=CSC, about=[robin], present=[sam])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert set(flag.people) == {sam.id, robin.id}
    assert flag.evidence == (mention.id,)
    assert flag.rule_version == 2
    assert flag.explanation == (
        "Sam Testfamily joined the household of Robin Testfamily (12 Oak Road) on 1 March 2026 and no "
        "adult check with its result, assessment or sighting of them is recorded in the 30 days that followed."
    )


def test_new_adult_in_household_is_version_two_and_keeps_its_parameter():
    assert REGISTRY[RULE].version == 2
    assert dict(REGISTRY[RULE].defaults) == {"days": 30}


def test_new_adult_in_household_waits_until_the_thirty_days_have_passed():
    case, *_ = family()
    assert case.flags(RULE, D(2026, 3, 31)) == []


def test_new_adult_in_household_quiet_when_an_adult_check_is_recorded_on_day_thirty():
    case, robin, alex, sam = family()
    check(case, D(2026, 3, 31), sam)
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_fires_when_the_adult_check_comes_on_day_thirty_one():
    case, robin, alex, sam = family()
    check(case, D(2026, 4, 1), sam)
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_fires_when_the_only_check_is_the_day_before_joining():
    case, robin, alex, sam = family()
    check(case, D(2026, 2, 28), sam)
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_accepts_a_check_that_found_concerns():
    case, robin, alex, sam = family()
    check(case, D(2026, 3, 10), sam, result="concerns", check_type="childrens_services", agency=CSC)
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_accepts_an_assessment_about_them():
    case, robin, alex, sam = family()
    case.entry("assessment", D(2026, 3, 20), agency=CSC, about=[sam], summary="Parenting assessment begun")
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_quiet_when_seen_on_day_thirty():
    case, robin, alex, sam = family()
    case.entry("home_visit", D(2026, 3, 31), agency=CSC, about=[robin], seen=[sam])
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_no_longer_reads_check_in_free_text():
    case, robin, alex, sam = family()
    case.entry("police_contact", D(2026, 3, 10), agency=POLICE, about=[sam], summary="Police check completed")
    case.entry("note", D(2026, 3, 11), agency=CSC, about=[sam], summary="Sam assessed and visited")
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_fires_on_a_pending_check_and_says_so():
    case, robin, alex, sam = family()
    pending = check(case, D(2026, 3, 5), sam, result="pending")
    [flag] = case.flags(RULE, D(2026, 5, 1))
    assert pending.id in flag.evidence
    assert flag.explanation.endswith(
        "The result of police checks by Northshire Police on 5 March 2026 is recorded as pending or not known."
    )


def test_new_adult_in_household_ignores_a_check_on_someone_else():
    case, robin, alex, sam = family()
    check(case, D(2026, 3, 10), alex)
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_ignores_a_seventeen_year_old():
    case, *_ = family(partner_dob=D(2008, 3, 2))
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_does_not_count_a_retracted_check():
    case, robin, alex, sam = family()
    retract(case, check(case, D(2026, 3, 10), sam))
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_does_not_count_a_retracted_sighting():
    case, robin, alex, sam = family()
    retract(case, case.entry("home_visit", D(2026, 3, 10), agency=CSC, about=[robin], seen=[sam]))
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1
