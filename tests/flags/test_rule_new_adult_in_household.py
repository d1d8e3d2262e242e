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


def test_new_adult_in_household_fires_after_thirty_days_without_a_check():
    case, robin, alex, sam = family()
    mention = case.entry("household_change", D(2026, 3, 3), agency=CSC, about=[robin], present=[sam])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert set(flag.people) == {sam.id, robin.id}
    assert flag.evidence == (mention.id,)
    assert flag.explanation == (
        "Sam Testfamily joined the household of Robin Testfamily (12 Oak Road) on 1 March 2026 and no "
        "assessment, check or sighting of them is recorded in the 30 days that followed."
    )


def test_new_adult_in_household_waits_until_the_thirty_days_have_passed():
    case, *_ = family()
    assert case.flags(RULE, D(2026, 3, 31)) == []


def test_new_adult_in_household_quiet_when_seen_on_day_thirty():
    case, robin, alex, sam = family()
    case.entry("home_visit", D(2026, 3, 31), agency=CSC, about=[robin], seen=[sam])
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_fires_when_first_seen_on_day_thirty_one():
    case, robin, alex, sam = family()
    case.entry("home_visit", D(2026, 4, 1), agency=CSC, about=[robin], seen=[sam])
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1


def test_new_adult_in_household_accepts_a_police_check_about_them():
    case, robin, alex, sam = family()
    case.entry("police_contact", D(2026, 3, 10), agency=POLICE, about=[sam], summary="Police check completed")
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_ignores_a_seventeen_year_old():
    case, *_ = family(partner_dob=D(2008, 3, 2))
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_new_adult_in_household_does_not_count_a_retracted_check():
    case, robin, alex, sam = family()
    retract(case, case.entry("home_visit", D(2026, 3, 10), agency=CSC, about=[robin], seen=[sam]))
    assert len(case.flags(RULE, D(2026, 5, 1))) == 1
