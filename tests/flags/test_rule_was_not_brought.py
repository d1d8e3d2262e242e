from tests.flags.builders import GP, HOSPITAL, HV, CaseBuilder, D, retract

RULE = "was_not_brought"


def missed(case, child, *days_and_agencies):
    return [case.entry("appointment_missed", day, agency=agency, about=[child]) for day, agency in days_and_agencies]


def test_was_not_brought_fires_for_three_missed_across_agencies_and_reads_aloud():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    entries = missed(case, kit, (D(2026, 3, 2), HV), (D(2026, 3, 14), GP), (D(2026, 5, 2), HOSPITAL))
    [flag] = case.flags(RULE, D(2026, 6, 1))
    assert flag.evidence == tuple(e.id for e in entries)
    assert flag.explanation == (
        "Three appointments missed for Kit Testfamily with three agencies in 9 weeks: "
        "Northshire Health Visiting 2 March, Riverside GP Practice 14 March and "
        "Northshire General Hospital 2 May 2026."
    )


def test_was_not_brought_ignores_third_missed_a_day_outside_six_months():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    missed(case, kit, (D(2026, 1, 2), HV), (D(2026, 3, 14), GP), (D(2026, 7, 3), HOSPITAL))
    assert case.flags(RULE, D(2026, 8, 1)) == []


def test_was_not_brought_fires_with_third_missed_on_last_day_of_window():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    missed(case, kit, (D(2026, 1, 2), HV), (D(2026, 3, 14), GP), (D(2026, 7, 2), HOSPITAL))
    assert len(case.flags(RULE, D(2026, 8, 1))) == 1


def test_was_not_brought_ignores_two_missed():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    missed(case, kit, (D(2026, 3, 2), HV), (D(2026, 3, 14), GP))
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_was_not_brought_ignores_retracted_entries():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    entries = missed(case, kit, (D(2026, 3, 2), HV), (D(2026, 3, 14), GP), (D(2026, 5, 2), HOSPITAL))
    retract(case, entries[1])
    assert case.flags(RULE, D(2026, 6, 1)) == []


def test_was_not_brought_counts_an_amended_entry_in_its_current_kind():
    case = CaseBuilder()
    kit = case.child("Kit", D(2025, 11, 1))
    missed(case, kit, (D(2026, 3, 2), HV), (D(2026, 3, 14), GP))
    case.entry("appointment_missed", D(2026, 4, 1), agency=GP, about=[kit], revision=2, amended=True)
    assert len(case.flags(RULE, D(2026, 6, 1))) == 1
