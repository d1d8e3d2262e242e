from tests.flags.builders import GP, HOSPITAL, HV, SCHOOL, CaseBuilder, D, retract

RULE = "engagement_divergence"
LAST_MISSED = D(2026, 3, 20)


def pattern(case, kit, last_missed=LAST_MISSED):
    kept = [
        case.entry("appointment_attended", D(2026, 1, 10), agency=HV, about=[kit]),
        case.entry("appointment_attended", D(2026, 2, 10), agency=HV, about=[kit]),
    ]
    missed = [
        case.entry("appointment_missed", D(2026, 1, 5), agency=GP, about=[kit]),
        case.entry("appointment_cancelled", last_missed, agency=HOSPITAL, about=[kit]),
    ]
    return kept, missed


def test_engagement_divergence_fires_when_one_agency_sees_attendance_and_others_missed_contact():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    kept, missed = pattern(case, kit)
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.key == "case"
    assert set(flag.evidence) == {e.id for e in kept + missed}
    assert flag.explanation == (
        "Northshire Health Visiting records steady contact (two contacts kept) while Riverside GP Practice and "
        "Northshire General Hospital record two missed or cancelled contacts in the same 3 months (5 January to "
        "20 March 2026): Riverside GP Practice 5 January and Northshire General Hospital 20 March 2026."
    )


def test_engagement_divergence_names_every_steady_agency_in_one_flag():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    pattern(case, kit)
    case.entry("home_visit", D(2026, 2, 1), agency=SCHOOL, about=[kit])
    case.entry("child_seen", D(2026, 3, 1), agency=SCHOOL, about=[kit])
    [flag] = case.flags(RULE, D(2026, 4, 1))
    assert flag.explanation.startswith(
        "Northshire Health Visiting and Riverside Primary School record steady contact (four contacts kept)"
    )


def test_engagement_divergence_ignores_missed_contact_a_day_outside_three_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    pattern(case, kit, last_missed=D(2026, 4, 6))
    assert case.flags(RULE, D(2026, 5, 1)) == []


def test_engagement_divergence_needs_two_missed_contacts():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    case.entry("appointment_attended", D(2026, 1, 10), agency=HV, about=[kit])
    case.entry("appointment_attended", D(2026, 2, 10), agency=HV, about=[kit])
    case.entry("appointment_missed", D(2026, 1, 5), agency=GP, about=[kit])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_engagement_divergence_ignores_an_agency_that_also_sees_missed_contact():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    pattern(case, kit)
    case.entry("appointment_missed", D(2026, 2, 1), agency=HV, about=[kit])
    assert case.flags(RULE, D(2026, 4, 1)) == []


def test_engagement_divergence_ignores_retracted_entries():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    kept, missed = pattern(case, kit)
    retract(case, missed[1])
    case.entry("note", D(2026, 3, 1), agency=SCHOOL)
    assert case.flags(RULE, D(2026, 4, 1)) == []
