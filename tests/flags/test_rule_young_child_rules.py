"""self_harm_under_11 and sexual_activity_under_13: an entry kind about a child under an age."""

import pytest

from tests.flags.builders import CSC, SCHOOL, CaseBuilder, D, retract

CASES = [("self_harm_under_11", "self_harm", 11), ("sexual_activity_under_13", "sexual_activity", 13)]


@pytest.mark.parametrize(("rule", "kind", "age"), CASES)
def test_fires_for_child_on_the_last_day_before_the_birthday(rule, kind, age):
    case = CaseBuilder()
    robin = case.child("Robin", D(2015, 6, 1))
    entry = case.entry(kind, D(2015 + age, 5, 31), agency=SCHOOL, about=[robin])
    [flag] = case.flags(rule, D(2030, 1, 1))
    assert flag.evidence == (entry.id,)
    assert flag.people == (robin.id,)
    assert flag.explanation.endswith(
        f"recorded for Robin Testfamily, {age - 1} years old and under {age}: Riverside Primary School "
        f"31 May {2015 + age}."
    )


@pytest.mark.parametrize(("rule", "kind", "age"), CASES)
def test_ignores_child_on_the_birthday(rule, kind, age):
    case = CaseBuilder()
    robin = case.child("Robin", D(2015, 6, 1))
    case.entry(kind, D(2015 + age, 6, 1), agency=SCHOOL, about=[robin])
    assert case.flags(rule, D(2030, 1, 1)) == []


@pytest.mark.parametrize(("rule", "kind", "age"), CASES)
def test_ignores_other_kinds_about_the_child(rule, kind, age):
    case = CaseBuilder()
    robin = case.child("Robin", D(2015, 6, 1))
    case.entry("disclosure", D(2020, 1, 1), agency=CSC, about=[robin])
    assert case.flags(rule, D(2030, 1, 1)) == []


@pytest.mark.parametrize(("rule", "kind", "age"), CASES)
def test_ignores_retracted_entries(rule, kind, age):
    case = CaseBuilder()
    robin = case.child("Robin", D(2015, 6, 1))
    retract(case, case.entry(kind, D(2020, 1, 1), agency=SCHOOL, about=[robin]))
    assert case.flags(rule, D(2030, 1, 1)) == []


def test_self_harm_explanation_reads_aloud():
    case = CaseBuilder()
    robin = case.child("Robin", D(2017, 6, 1))
    case.entry("self_harm", D(2026, 2, 3), agency=SCHOOL, about=[robin])
    [flag] = case.flags("self_harm_under_11", D(2026, 3, 1))
    assert flag.explanation == (
        "Self-harm recorded for Robin Testfamily, 8 years old and under 11: Riverside Primary School 3 February 2026."
    )
