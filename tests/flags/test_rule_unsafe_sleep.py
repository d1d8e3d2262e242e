from tests.flags.builders import DRUGS, HV, POLICE, CaseBuilder, D, retract

RULE = "unsafe_sleep"


def test_unsafe_sleep_fires_for_co_sleeping_infant_with_parental_drug_use():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    sleep = case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Mother reports co-sleeping")
    use = case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (use.id, sleep.id)
    assert flag.explanation == (
        "Unsafe sleep is recorded for Kit Testfamily (4 months old): Northshire Health Visiting 4 March 2026, "
        "alongside parental substance or alcohol use: Northshire Recovery Service 1 February 2026."
    )


def test_unsafe_sleep_reads_alcohol_in_another_agency_entry():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], detail="Baby asleep on the sofa with father")
    case.entry("police_contact", D(2026, 3, 20), agency=POLICE, detail="Father smelt strongly of alcohol")
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_unsafe_sleep_ignores_advice_that_says_no_co_sleeping():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Advice given; no co-sleeping seen")
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_ignores_infant_a_day_past_twelve_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 3, 3))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Co-sleeping in parents' bed")
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_ignores_substance_use_a_day_outside_three_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Mother reports co-sleeping")
    case.entry("parental_substance_misuse", D(2025, 12, 3), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_ignores_retracted_entries():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Mother reports co-sleeping")
    retract(case, case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS))
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_quick_keys_cover_every_phrase():
    from reporting.flags.rules.unsafe_sleep import SLEEP_KEYS, SLEEP_PATTERN

    assert all(any(key in phrase for key in SLEEP_KEYS) for phrase in SLEEP_PATTERN)


def test_unsafe_sleep_reads_phrases_across_a_line_break_and_hyphen_variants():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("home_visit", D(2026, 3, 4), agency=HV, about=[kit], detail="Baby found\nco sleeping with father")
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_unsafe_sleep_is_version_two():
    from reporting.flags.base import REGISTRY

    assert REGISTRY[RULE].version == 2


def test_unsafe_sleep_fires_on_a_safer_sleep_entry_recording_co_sleeping_in_its_fields():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    sleep = case.entry(
        "safer_sleep",
        D(2026, 3, 4),
        agency=HV,
        about=[kit],
        summary="Safer sleep discussed",
        safer_sleep_co_sleeping=True,
        safer_sleep_advice_given=True,
    )
    use = case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.evidence == (use.id, sleep.id)
    assert flag.rule_version == 2
    assert flag.explanation.endswith(
        "Northshire Recovery Service 1 February 2026. Safer sleep advice is last recorded as given by "
        "Northshire Health Visiting on 4 March 2026."
    )


def test_unsafe_sleep_fires_on_a_sleep_space_seen_and_not_safe():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("home_visit", D(2026, 3, 4), agency=HV, about=[kit], summary="Visit", safer_sleep_space="seen_unsafe")
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert len(case.flags(RULE, D(2026, 4, 1))) == 1


def test_unsafe_sleep_structured_answer_of_no_co_sleeping_outweighs_the_text():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry(
        "safer_sleep",
        D(2026, 3, 4),
        agency=HV,
        about=[kit],
        summary="Risks of co-sleeping after alcohol discussed",
        safer_sleep_co_sleeping=False,
        safer_sleep_space="seen_safe",
        safer_sleep_advice_given=True,
    )
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_structured_co_sleeping_a_day_past_twelve_months_is_quiet():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 3, 3))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Sleep", safer_sleep_co_sleeping=True)
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_structured_co_sleeping_with_substance_use_a_day_outside_the_window_is_quiet():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Sleep", safer_sleep_co_sleeping=True)
    case.entry("parental_substance_misuse", D(2025, 12, 3), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_unsafe_sleep_ignores_a_retracted_structured_co_sleeping_entry():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    retract(
        case,
        case.entry("safer_sleep", D(2026, 3, 4), agency=HV, about=[kit], summary="Sleep", safer_sleep_co_sleeping=True),
    )
    case.entry("parental_substance_misuse", D(2026, 2, 1), agency=DRUGS)
    assert case.flags(RULE, D(2026, 4, 1)) == []
