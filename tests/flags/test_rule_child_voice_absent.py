from tests.flags.builders import CSC, HV, SCHOOL, CaseBuilder, D, retract

RULE = "child_voice_absent"
AT = D(2026, 6, 1)  # three months back is 1 March 2026


def test_child_voice_absent_fires_when_a_child_on_a_plan_is_not_heard_for_three_months():
    case = CaseBuilder()
    robin = case.child("Robin", D(2019, 4, 4))
    heard = case.entry("child_seen", D(2026, 2, 28), agency=CSC, about=[robin], seen_alone=[robin])
    visit = case.entry("home_visit", D(2026, 4, 2), agency=HV, about=[robin], seen=[robin])
    [flag] = case.flags(RULE, AT)
    assert flag.key == f"person:{robin.id}"
    assert flag.people == (robin.id,)
    assert flag.evidence == (heard.id, visit.id)
    assert flag.explanation == (
        "Robin Testfamily (7 years old) is on a child protection plan and no entry since 1 March 2026 records "
        "their own words or direct work with them; the last was by Northshire Children's Social Care on "
        "28 February 2026. They were seen once in that time without their views recorded."
    )


def test_child_voice_absent_quiet_when_heard_exactly_three_months_ago():
    case = CaseBuilder()
    robin = case.child("Robin", D(2019, 4, 4))
    case.entry("child_seen", D(2026, 3, 1), agency=CSC, about=[robin])
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_quiet_when_the_childs_words_are_recorded_by_source():
    case = CaseBuilder()
    robin = case.child("Robin", D(2019, 4, 4))
    case.entry("note", D(2026, 5, 1), agency=SCHOOL, about=[robin], source="child_voice", summary="Robin said ...")
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_does_not_count_a_retracted_entry():
    case = CaseBuilder()
    robin = case.child("Robin", D(2019, 4, 4))
    retract(case, case.entry("child_seen", D(2026, 5, 1), agency=CSC, about=[robin]))
    [flag] = case.flags(RULE, AT)
    assert flag.explanation.endswith("; none is recorded at all.")


def test_child_voice_absent_fires_from_the_childs_fourth_birthday():
    case = CaseBuilder()
    case.child("Robin", D(2022, 6, 1))
    assert len(case.flags(RULE, AT)) == 1


def test_child_voice_absent_leaves_out_a_child_under_four():
    case = CaseBuilder()
    case.child("Robin", D(2022, 6, 2))
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_leaves_out_adults_and_children_not_subjects():
    case = CaseBuilder()
    case.person("Leanne", D(1990, 3, 3))
    case.person("Cousin", D(2015, 3, 3))
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_quiet_on_early_help():
    case = CaseBuilder(legal_status="early_help")
    case.child("Robin", D(2019, 4, 4))
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_fires_on_a_child_in_need_plan():
    case = CaseBuilder(legal_status="child_in_need")
    case.child("Robin", D(2019, 4, 4))
    [flag] = case.flags(RULE, AT)
    assert "is on a child in need plan" in flag.explanation


def test_child_voice_absent_quiet_until_the_case_has_been_open_three_months():
    case = CaseBuilder(opened_on=D(2026, 3, 2))
    case.child("Robin", D(2019, 4, 4))
    assert case.flags(RULE, AT) == []


def test_child_voice_absent_window_is_a_parameter():
    case = CaseBuilder()
    robin = case.child("Robin", D(2019, 4, 4))
    case.entry("child_seen", D(2026, 2, 1), agency=CSC, about=[robin])
    assert case.flags(RULE, AT, {RULE: {"window_months": 6}}) == []
