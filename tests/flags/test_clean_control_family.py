"""A clean control family: ordinary recording (health visits, school attendance, GP appointments, the
children seen alone every fortnight, checks on the adults done) raises no flag from any rule.

It runs every rule in the registry, so a rule added later is held to the same standard: a rule that
fires here fires on good practice, and needs a look before it ships."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting.flags.base import REGISTRY
from reporting.flags.engine import evaluate
from tests.flags.builders import CSC, GP, HV, POLICE, SCHOOL, AgencyRecord, CaseBuilder, D

MIDWIFERY = AgencyRecord(9, "Northshire Maternity Service", "midwifery")
OPENED = D(2025, 6, 2)
AT = D(2026, 6, 1)


def clean_family() -> CaseBuilder:
    case = CaseBuilder(legal_status="child_in_need", opened_on=OPENED)
    mum = case.person("Maya", D(1991, 2, 3), sex="female")
    dad = case.person("Dev", D(1989, 7, 8), sex="male")
    ada = case.child("Ada", D(2017, 9, 14), sex="female")
    ben = case.child("Ben", D(2020, 11, 2), sex="male")
    cleo = case.child("Cleo", D(2025, 9, 1), sex="female", independently_mobile=False)
    children = [ada, ben, cleo]
    for child in children:
        for parent in (mum, dad):
            case.relate("biological_parent", parent, child)
    case.relate("married", mum, dad, D(2014, 6, 1))
    case.lives(mum, D(2015, 1, 1))
    case.lives(dad, D(2015, 1, 1))
    for child in children:
        case.lives(child, child.date_of_birth)

    # The referral that opened the case, and its outcome within the week.
    case.entry("referral_made", D(2025, 5, 27), agency=SCHOOL, about=[ada, ben], summary="Early help referral")
    case.entry(
        "referral_outcome", D(2025, 5, 30), agency=CSC, about=[ada, ben], summary="Accepted for a child in need plan"
    )
    # Checks on both parents, with their results, when the case opened.
    for adult in (mum, dad):
        case.entry(
            "adult_check",
            D(2025, 6, 4),
            agency=POLICE,
            about=[adult],
            summary=f"Police checks on {adult.name}",
            adult_check_type="police",
            adult_check_result="no_concerns",
        )
        case.entry(
            "adult_check",
            D(2025, 6, 5),
            agency=CSC,
            about=[adult],
            summary=f"Children's services history of {adult.name} checked",
            adult_check_type="childrens_services",
            adult_check_result="no_concerns",
        )
    # Cleo's pregnancy booked early, antenatal care, the birth, and safer sleep advice.
    case.entry(
        "pregnancy", D(2025, 1, 20), agency=MIDWIFERY, about=[mum], seen=[mum], summary="Booked at 10 weeks pregnant"
    )
    for on in (D(2025, 3, 17), D(2025, 5, 12), D(2025, 7, 21), D(2025, 8, 18)):
        case.entry(
            "appointment_attended", on, agency=MIDWIFERY, about=[mum], seen=[mum], summary="Antenatal appointment"
        )
    case.entry("birth", D(2025, 9, 1), agency=MIDWIFERY, about=[cleo, mum], seen=[cleo, mum], summary="Cleo born")
    case.entry(
        "safer_sleep",
        D(2025, 9, 12),
        agency=HV,
        about=[cleo],
        seen=[cleo, mum],
        summary="New birth visit: Cleo sleeps in a cot in the parents' room",
        safer_sleep_advice_given=True,
        safer_sleep_co_sleeping=False,
        safer_sleep_space="seen_safe",
    )
    # Fortnightly visits: everyone seen, the older children seen alone and heard in their own words.
    day = D(2025, 6, 9)
    while day <= AT:
        case.entry(
            "home_visit",
            day,
            agency=CSC,
            about=children if day >= cleo.date_of_birth else [ada, ben],
            seen=[mum, dad, *(children if day >= cleo.date_of_birth else [ada, ben])],
            summary="Home visit: family seen together, home warm and tidy",
        )
        case.entry(
            "child_seen",
            day + dt.timedelta(days=1),
            agency=CSC,
            about=[ada, ben],
            seen_alone=[ada, ben],
            source="child_voice",
            summary="Ada and Ben seen alone at school for direct work",
        )
        day += dt.timedelta(days=14)
    # Monthly health visits for the baby, GP appointments kept, school attendance recorded each term.
    day = D(2025, 10, 6)
    while day <= AT:
        case.entry(
            "appointment_attended", day, agency=HV, about=[cleo], seen=[cleo, mum], summary="Health visitor clinic"
        )
        day += dt.timedelta(days=30)
    for on, child in ((D(2025, 7, 3), ben), (D(2025, 11, 20), ada), (D(2026, 2, 12), cleo), (D(2026, 4, 23), ben)):
        case.entry("appointment_attended", on, agency=GP, about=[child], seen=[child, mum], summary="GP appointment")
    for on in (D(2025, 7, 18), D(2025, 12, 19), D(2026, 4, 1)):
        case.entry(
            "note",
            on,
            agency=SCHOOL,
            about=[ada, ben],
            seen=[ada, ben],
            summary="End of term: attendance 97%, both children in class every day this week",
        )
    return case


def test_the_clean_control_family_runs_every_registered_rule():
    # The registry holds the first rules and the wave-2 rules as they land: this test runs them all.
    assert len(REGISTRY) >= 22
    assert {"new_adult_in_household", "unsafe_sleep", "child_not_seen_alone", "repeat_injury"} <= set(REGISTRY)


@pytest.mark.parametrize("at", [D(2025, 9, 30), D(2025, 12, 31), D(2026, 3, 31), AT])
def test_the_clean_control_family_raises_no_flag_from_any_rule(at):
    snapshot = clean_family().snapshot(at)
    flags = evaluate(snapshot, at)
    assert [(f.rule, f.explanation) for f in flags] == []


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_no_rule_fires_on_the_clean_control_family(rule_id):
    rule = REGISTRY[rule_id]()
    assert rule.evaluate(clean_family().snapshot(AT), AT) == []


def test_the_clean_control_family_is_not_clean_once_the_children_stop_being_seen_alone():
    """The control can fail: the same family with the direct work stopped raises flags."""
    case = clean_family()
    case.entries = [e for e in case.entries if not (e.kind == "child_seen" and e.occurred_on >= D(2026, 2, 1))]
    fired = {f.rule for f in evaluate(case.snapshot(AT), AT)}
    assert {"child_not_seen_alone", "child_voice_absent"} <= fired
