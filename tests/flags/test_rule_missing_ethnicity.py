from tests.flags.builders import CaseBuilder, D

RULE = "missing_ethnicity"
AT = D(2026, 4, 1)


def test_missing_ethnicity_fires_for_subject_child_and_parent_without_ethnicity():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4), ethnicity="")
    alex = case.person("Alex", D(1994, 2, 2), ethnicity="Not known")
    case.relate("biological_parent", alex, robin)
    flags = case.flags(RULE, AT)
    assert [f.people for f in flags] == [(robin.id,), (alex.id,)]
    assert flags[1].explanation == "No ethnicity is recorded for Alex Testfamily (parent of Robin Testfamily)."
    assert all(f.evidence == () for f in flags)


def test_missing_ethnicity_ignores_people_who_are_neither_subject_nor_parent():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    aunt = case.person("Jo", D(1980, 2, 2), ethnicity="")
    case.relate("close", aunt, robin)
    assert case.flags(RULE, AT) == []


def test_missing_ethnicity_quiet_when_recorded():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4), ethnicity="Mixed White and Black Caribbean")
    alex = case.person("Alex", D(1994, 2, 2), ethnicity="White Irish")
    case.relate("biological_parent", alex, robin)
    assert case.flags(RULE, AT) == []
