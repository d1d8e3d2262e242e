from tests.flags.builders import POLICE, SCHOOL, CaseBuilder, D, retract

RULE = "missing_episodes"


def test_missing_episodes_fires_on_two_episodes_within_three_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    first = case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    second = case.entry("missing_episode", D(2026, 4, 10), agency=SCHOOL, about=[jay])
    [flag] = case.flags(RULE, D(2026, 4, 20))
    assert flag.key == f"person:{jay.id}"
    assert flag.people == (jay.id,)
    assert flag.evidence == (first.id, second.id)
    assert flag.explanation == (
        "Jay Testfamily went missing twice in 3 months: Northshire Police 10 January and Riverside Primary "
        "School 10 April 2026."
    )


def test_missing_episodes_quiet_when_the_second_is_a_day_past_three_months():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    case.entry("missing_episode", D(2026, 4, 11), agency=POLICE, about=[jay])
    assert case.flags(RULE, D(2026, 4, 20)) == []


def test_missing_episodes_counts_one_episode_recorded_by_two_agencies_once():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    case.entry("missing_episode", D(2026, 1, 10), agency=SCHOOL, about=[jay])
    assert case.flags(RULE, D(2026, 4, 20)) == []


def test_missing_episodes_ignores_a_retracted_episode():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    retract(case, case.entry("missing_episode", D(2026, 2, 10), agency=POLICE, about=[jay]))
    assert case.flags(RULE, D(2026, 4, 20)) == []


def test_missing_episodes_leaves_out_an_adult():
    case = CaseBuilder()
    mum = case.person("Leanne", D(1990, 3, 3))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[mum])
    case.entry("missing_episode", D(2026, 2, 10), agency=POLICE, about=[mum])
    assert case.flags(RULE, D(2026, 4, 20)) == []


def test_missing_episodes_counts_each_child_on_their_own():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    kim = case.child("Kim", D(2012, 6, 6))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    case.entry("missing_episode", D(2026, 2, 10), agency=POLICE, about=[kim])
    assert case.flags(RULE, D(2026, 4, 20)) == []


def test_missing_episodes_count_is_a_parameter():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    case.entry("missing_episode", D(2026, 1, 10), agency=POLICE, about=[jay])
    case.entry("missing_episode", D(2026, 2, 10), agency=POLICE, about=[jay])
    assert case.flags(RULE, D(2026, 4, 20), {RULE: {"count": 3}}) == []


def test_missing_episodes_says_when_a_run_spans_more_than_the_window():
    case = CaseBuilder()
    jay = case.child("Jay", D(2011, 5, 5))
    for day in (D(2026, 1, 10), D(2026, 3, 10), D(2026, 5, 10)):
        case.entry("missing_episode", day, agency=POLICE, about=[jay])
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.explanation == (
        "Jay Testfamily went missing three times in 4 months, at least two times within 3 months: "
        "Northshire Police 10 January, 10 March and 10 May 2026."
    )
