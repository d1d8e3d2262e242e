from tests.flags.builders import CSC, HV, SCHOOL, CaseBuilder, D, retract

RULE = "education_unseen"
HOME_ED = D(2026, 1, 10)  # two months later is 10 March 2026


def test_education_unseen_fires_two_months_after_home_education_with_no_sighting():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    home = case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay])
    [flag] = case.flags(RULE, D(2026, 3, 11))
    assert flag.key == f"person:{jay.id}:from:2026-01-10"
    assert flag.people == (jay.id,)
    assert flag.evidence == (home.id,)
    assert flag.explanation == (
        "Riverside Primary School recorded on 10 January 2026 that Jay Testfamily is electively home educated; "
        "no professional recorded seeing them in the 2 months after, by 10 March 2026, nor since, to 11 March 2026."
    )


def test_education_unseen_quiet_on_the_last_day_of_two_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay])
    assert case.flags(RULE, D(2026, 3, 10)) == []


def test_education_unseen_quiet_when_seen_on_the_last_day_of_two_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay])
    case.entry("home_visit", D(2026, 3, 10), agency=CSC, about=[jay], seen=[jay])
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_education_unseen_names_a_late_sighting():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay])
    seen = case.entry("home_visit", D(2026, 3, 11), agency=HV, about=[jay], seen_alone=[jay])
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert seen.id in flag.evidence
    assert flag.explanation.endswith("They were next seen by Northshire Health Visiting on 11 March 2026.")


def test_education_unseen_fires_on_three_absences_within_two_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    days = [D(2026, 1, 5), D(2026, 1, 20), D(2026, 3, 5)]
    absences = [case.entry("school_absence", day, agency=SCHOOL, about=[jay]) for day in days[:2]]
    absences.append(case.entry("school_exclusion", days[2], agency=SCHOOL, about=[jay]))
    [flag] = case.flags(RULE, D(2026, 5, 6))
    assert flag.key == f"person:{jay.id}:from:2026-03-05"
    assert flag.evidence == tuple(e.id for e in absences)
    assert flag.explanation == (
        "Jay Testfamily had three school absences or exclusions by 5 March 2026 (Riverside Primary School "
        "5 January, 20 January and 5 March 2026), one exclusion among them; no professional recorded seeing them "
        "in the 2 months after, by 5 May 2026, nor since, to 6 May 2026."
    )
    assert case.flags(RULE, D(2026, 5, 5)) == []


def test_education_unseen_quiet_when_the_third_absence_is_a_day_past_two_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    for day in (D(2026, 1, 5), D(2026, 1, 20), D(2026, 3, 6)):
        case.entry("school_absence", day, agency=SCHOOL, about=[jay])
    assert case.flags(RULE, D(2026, 8, 1)) == []


def test_education_unseen_ignores_a_retracted_absence():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    for day in (D(2026, 1, 5), D(2026, 1, 20)):
        case.entry("school_absence", day, agency=SCHOOL, about=[jay])
    third = case.entry("school_absence", D(2026, 2, 5), agency=SCHOOL, about=[jay])
    assert len(case.flags(RULE, D(2026, 8, 1))) == 1
    retract(case, third)
    assert case.flags(RULE, D(2026, 8, 1)) == []


def test_education_unseen_ignores_retracted_home_education():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    retract(case, case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay]))
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_education_unseen_leaves_out_an_adult():
    case = CaseBuilder()
    sam = case.person("Sam", D(2007, 1, 1))
    case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[sam])
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_education_unseen_seen_window_is_a_parameter():
    case = CaseBuilder()
    jay = case.child("Jay", D(2014, 5, 5))
    case.entry("elective_home_education", HOME_ED, agency=SCHOOL, about=[jay])
    assert case.flags(RULE, D(2026, 3, 11), {RULE: {"seen_within_months": 3}}) == []
