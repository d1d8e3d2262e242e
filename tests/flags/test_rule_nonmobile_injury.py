from tests.flags.builders import GP, HOSPITAL, CaseBuilder, D, retract

RULE = "nonmobile_injury"


def test_nonmobile_injury_fires_for_baby_under_six_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    bruise = case.injury(D(2026, 3, 2), kit, agency=HOSPITAL)
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert flag.severity == "high"
    assert flag.people == (kit.id,)
    assert flag.evidence == (bruise.id,)
    assert flag.explanation == (
        "Kit Testfamily, 1 month old, is not independently mobile and has an injury recorded: "
        "bruise to left cheek, seen by Northshire General Hospital on 2 March 2026."
    )


def test_nonmobile_injury_fires_on_last_day_under_six_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    case.injury(D(2026, 7, 9), kit)
    assert len(case.flags(RULE, D(2026, 7, 20))) == 1


def test_nonmobile_injury_ignores_baby_six_months_old_on_the_day():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    case.injury(D(2026, 7, 10), kit)
    assert case.flags(RULE, D(2026, 7, 20)) == []


def test_nonmobile_injury_fires_for_older_child_recorded_not_mobile():
    case = CaseBuilder()
    robin = case.child("Robin", D(2024, 1, 10), independently_mobile=False)
    case.injury(D(2026, 7, 10), robin, agency=GP)
    [flag] = case.flags(RULE, D(2026, 7, 20))
    assert "Robin Testfamily, 2 years old, is not independently mobile" in flag.explanation


def test_nonmobile_injury_lists_every_injury_to_the_baby():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    first = case.injury(D(2026, 2, 2), kit, agency=GP)
    second = case.injury(D(2026, 3, 2), kit, agency=HOSPITAL)
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert flag.evidence == (first.id, second.id)
    assert flag.explanation.startswith("Two injuries recorded for Kit Testfamily while not independently mobile")


def test_nonmobile_injury_ignores_retracted_entries():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    retract(case, case.injury(D(2026, 3, 2), kit))
    assert case.flags(RULE, D(2026, 3, 5)) == []


def test_nonmobile_injury_ignores_injuries_after_the_date_asked_about():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    case.injury(D(2026, 3, 2), kit)
    assert case.flags(RULE, D(2026, 3, 1)) == []


def test_nonmobile_injury_seen_by_two_agencies_on_one_day_reads_as_one_injury():
    case = CaseBuilder()
    kit = case.child("Kit", D(2026, 1, 10))
    case.injury(D(2026, 3, 2), kit, agency=GP)
    case.injury(D(2026, 3, 2), kit, agency=HOSPITAL)
    [flag] = case.flags(RULE, D(2026, 3, 5))
    assert len(flag.evidence) == 2
    assert flag.explanation.endswith(
        "has an injury recorded: bruise to left cheek, seen by Riverside GP Practice and Northshire General "
        "Hospital on 2 March 2026."
    )
