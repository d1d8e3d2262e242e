from tests.flags.builders import CSC, POLICE, SCHOOL, CaseBuilder, D, retract

RULE = "vague_language"


def test_vague_language_fires_for_safe_and_well_without_the_child_seen():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    alex = case.person("Alex", D(1994, 2, 2))
    check = case.entry(
        "police_contact", D(2026, 3, 2), agency=POLICE, about=[robin], seen=[alex], summary="Children safe and well"
    )
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (check.id,)
    assert flag.explanation == (
        "One entry leans on reassuring phrases with no record of the child being seen or observed: "
        "'safe and well' (Northshire Police, 2 March 2026)."
    )


def test_vague_language_accepts_safe_and_well_when_the_child_was_seen():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("police_contact", D(2026, 3, 2), agency=POLICE, seen=[robin], summary="Robin safe and well")
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_vague_language_fires_for_stock_phrase_from_a_third_party_with_no_one_seen():
    case = CaseBuilder()
    case.entry("note", D(2026, 3, 2), agency=SCHOOL, summary="Mum says Robin is doing well", source="third_party")
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_vague_language_accepts_stock_phrase_backed_by_observation():
    case = CaseBuilder()
    case.entry("note", D(2026, 3, 2), agency=SCHOOL, summary="Robin doing well in class", source="observed")
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_vague_language_with_two_required_ignores_one():
    case = CaseBuilder()
    case.entry("note", D(2026, 3, 2), agency=CSC, summary="No concerns", source="self_reported")
    assert case.flags(RULE, D(2026, 4, 1), {RULE: {"count": 2}}) == []


def test_vague_language_ignores_retracted_entries():
    case = CaseBuilder()
    retract(case, case.entry("police_contact", D(2026, 3, 2), agency=POLICE, summary="All safe and well"))
    assert case.flags(RULE, D(2026, 4, 1)) == []
