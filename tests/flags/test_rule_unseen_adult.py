from tests.flags.builders import CSC, POLICE, CaseBuilder, D, retract

RULE = "unseen_adult"
AT = D(2026, 6, 1)


def family():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    alex = case.person("Alex", D(1994, 2, 2), sex="female")
    jordan = case.person("Jordan", D(1990, 5, 5), sex="male")
    case.relate("biological_parent", alex, robin)
    case.relate("cohabiting", alex, jordan, D(2025, 1, 1))
    for person in (robin, alex, jordan):
        case.lives(person, D(2025, 1, 1))
    case.entry("home_visit", D(2026, 5, 1), agency=CSC, about=[robin], seen=[robin, alex])
    return case, robin, alex, jordan


def test_unseen_adult_fires_for_partner_in_household_never_seen():
    case, robin, alex, jordan = family()
    named = case.entry("police_contact", D(2026, 4, 1), agency=POLICE, about=[jordan])
    [flag] = case.flags(RULE, AT)
    assert flag.key == f"person:{jordan.id}"
    assert set(flag.people) == {jordan.id, robin.id}
    assert flag.evidence == (named.id,)
    assert flag.explanation == (
        "No professional has recorded seeing Jordan Testfamily (lives with Robin Testfamily; partner of "
        "Alex Testfamily) since 1 December 2025; no entry records them as ever seen, though one entry since "
        "then names them."
    )


def test_unseen_adult_quiet_when_seen_on_first_day_of_window():
    case, robin, alex, jordan = family()
    case.entry("home_visit", D(2025, 12, 1), agency=CSC, about=[robin], seen=[jordan])
    assert case.flags(RULE, AT) == []


def test_unseen_adult_fires_when_last_seen_a_day_before_window_and_says_when():
    case, robin, alex, jordan = family()
    seen = case.entry("home_visit", D(2025, 11, 30), agency=CSC, about=[robin], seen=[jordan])
    [flag] = case.flags(RULE, AT)
    assert flag.evidence == (seen.id,)
    assert "last seen by Northshire Children's Social Care on 30 November 2025" in flag.explanation


def test_unseen_adult_ignores_a_seventeen_year_old_household_member():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    cousin = case.person("Casey", D(2008, 6, 2))
    case.lives(robin, D(2025, 1, 1))
    case.lives(cousin, D(2025, 1, 1))
    assert case.flags(RULE, AT) == []
    assert len(case.flags(RULE, D(2026, 6, 2))) == 1


def test_unseen_adult_ignores_adult_who_moved_out():
    case, robin, alex, jordan = family()
    case.memberships[-1] = type(case.memberships[-1])(999, 1, "12 Oak Road", jordan.id, D(2025, 1, 1), D(2026, 1, 1))
    case.relationships[-1] = type(case.relationships[-1])(998, "separated", alex.id, jordan.id, D(2026, 1, 1))
    assert case.flags(RULE, AT) == []


def test_unseen_adult_does_not_count_a_retracted_sighting():
    case, robin, alex, jordan = family()
    retract(case, case.entry("home_visit", D(2026, 5, 20), agency=CSC, about=[robin], seen=[jordan]))
    [flag] = case.flags(RULE, AT)
    assert flag.key == f"person:{jordan.id}"
