from tests.flags.builders import CSC, SCHOOL, CaseBuilder, D, retract

RULE = "referral_no_outcome"
MONDAY = D(2026, 3, 2)


def test_referral_no_outcome_fires_on_the_eleventh_working_day():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    referral = case.entry("referral_made", MONDAY, agency=SCHOOL, about=[robin], summary="Referral to CAMHS")
    [flag] = case.flags(RULE, D(2026, 3, 17))
    assert flag.key == f"entry:{referral.id}"
    assert flag.evidence == (referral.id,)
    assert flag.explanation == (
        "Riverside Primary School made a referral on 2 March 2026 about Robin Testfamily (Referral to CAMHS) "
        "and no outcome is recorded 10 working days later, by 16 March 2026."
    )


def test_referral_no_outcome_quiet_on_the_tenth_working_day():
    case = CaseBuilder()
    case.entry("referral_made", MONDAY, agency=SCHOOL)
    assert case.flags(RULE, D(2026, 3, 16)) == []


def test_referral_no_outcome_quiet_once_an_outcome_is_recorded():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("referral_made", MONDAY, agency=SCHOOL, about=[robin])
    case.entry("referral_outcome", D(2026, 3, 20), agency=CSC, about=[robin])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_referral_no_outcome_quiet_when_the_referral_records_its_own_outcome():
    case = CaseBuilder()
    case.entry("referral_made", MONDAY, agency=SCHOOL, outcome="Accepted for assessment", amended=True, revision=2)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_referral_no_outcome_does_not_quote_a_restricted_referral():
    case = CaseBuilder()
    case.entry("referral_made", MONDAY, agency=SCHOOL, summary="Sensitive detail", restricted=True)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert "Sensitive detail" not in flag.explanation


def test_referral_no_outcome_does_not_count_a_retracted_outcome():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    case.entry("referral_made", MONDAY, agency=SCHOOL, about=[robin])
    retract(case, case.entry("referral_outcome", D(2026, 3, 5), agency=CSC, about=[robin]))
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_referral_no_outcome_ignores_a_retracted_referral():
    case = CaseBuilder()
    retract(case, case.entry("referral_made", MONDAY, agency=SCHOOL))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_referral_no_outcome_matches_an_outcome_to_the_latest_referral_before_it():
    case = CaseBuilder()
    robin = case.child("Robin", D(2021, 4, 4))
    old = case.entry("referral_made", D(2024, 10, 22), agency=SCHOOL, about=[robin])
    case.entry("referral_made", D(2025, 9, 26), agency=CSC, about=[robin])
    case.entry("referral_outcome", D(2025, 10, 7), agency=CSC, about=[robin])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (old.id,)
