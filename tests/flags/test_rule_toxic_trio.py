from tests.flags.builders import AMH, DRUGS, POLICE, CaseBuilder, D, retract

RULE = "toxic_trio"


def trio(case, last_day):
    return [
        case.entry("domestic_abuse_incident", D(2025, 7, 1), agency=POLICE),
        case.entry("parental_mental_health", D(2025, 12, 1), agency=AMH),
        case.entry("parental_substance_misuse", last_day, agency=DRUGS),
    ]


def test_toxic_trio_fires_when_all_three_fall_within_twelve_months():
    case = CaseBuilder()
    entries = trio(case, D(2026, 7, 1))
    [flag] = case.flags(RULE, D(2026, 8, 1))
    assert flag.evidence == tuple(e.id for e in entries)
    assert flag.explanation == (
        "Domestic abuse (Northshire Police 1 July 2025), parental mental ill-health (Northshire Adult Mental "
        "Health 1 December 2025) and parental substance misuse (Northshire Recovery Service 1 July 2026) are "
        "all recorded within 12 months."
    )


def test_toxic_trio_ignores_three_spread_a_day_over_twelve_months():
    case = CaseBuilder()
    trio(case, D(2026, 7, 2))
    assert case.flags(RULE, D(2026, 8, 1)) == []


def test_toxic_trio_needs_all_three():
    case = CaseBuilder()
    case.entry("domestic_abuse_incident", D(2026, 1, 1), agency=POLICE)
    case.entry("domestic_abuse_incident", D(2026, 2, 1), agency=POLICE)
    case.entry("parental_mental_health", D(2026, 3, 1), agency=AMH)
    assert case.flags(RULE, D(2026, 8, 1)) == []


def test_toxic_trio_ignores_retracted_entries():
    case = CaseBuilder()
    entries = trio(case, D(2026, 7, 1))
    retract(case, entries[1])
    assert case.flags(RULE, D(2026, 8, 1)) == []
