"""The graph questions, on a blended family in memory: no database."""

import datetime as dt

from genogram import graph as fg
from tests.genogram.family import (
    DADS_FLAT,
    DEAN,
    DEREK,
    GEORGE,
    JADE,
    JOAN,
    KERRY,
    KIT,
    LEE,
    MAUREEN,
    MUMS_HOME,
    ROBIN,
    SHANNON,
    TASHA,
    TYLER,
    UNBORN,
    blended_family,
)

BEFORE_DEAN = dt.date(2020, 6, 1)
AFTER_DEAN = dt.date(2026, 6, 1)


def test_household_at_a_date_follows_moves_in_and_out():
    family = blended_family()
    assert fg.household_of(family, LEE, dt.date(2019, 6, 1)) == MUMS_HOME
    assert fg.household_of(family, LEE, dt.date(2020, 1, 1)) == DADS_FLAT  # half-open: left that day
    assert fg.household_of(family, DEAN, BEFORE_DEAN) is None
    assert fg.household_of(family, DEAN, AFTER_DEAN) == MUMS_HOME


def test_who_lives_with_the_child_changes_when_the_new_partner_moves_in():
    family = blended_family()
    assert set(fg.lives_with(family, ROBIN, BEFORE_DEAN)) == {KERRY, KIT}
    assert set(fg.lives_with(family, ROBIN, AFTER_DEAN)) == {KERRY, KIT, DEAN, JADE, UNBORN}


def test_adults_in_household_are_the_over_eighteens_not_the_unborn():
    family = blended_family()
    assert set(fg.adults_in_household(family, ROBIN, AFTER_DEAN)) == {KERRY, DEAN}
    assert fg.adults_in_household(family, ROBIN, BEFORE_DEAN) == [KERRY]


def test_household_members_leave_out_the_dead():
    family = blended_family()
    assert fg.household_members(family, 3, dt.date(2018, 1, 1)) == [GEORGE, MAUREEN]
    assert fg.household_members(family, 3, dt.date(2020, 1, 1)) == [MAUREEN]


def test_parents_are_biological_and_adoptive_only():
    family = blended_family()
    assert fg.parents(family, ROBIN, AFTER_DEAN) == [LEE, KERRY]


def test_parent_figures_include_step_parent_and_mothers_partner_with_where_they_live():
    family = blended_family()
    figures = {f.person_id: f for f in fg.parent_figures(family, ROBIN, AFTER_DEAN)}
    assert set(figures) == {LEE, KERRY, DEAN}
    assert figures[DEAN].role == "step_parent"
    assert figures[DEAN].lives_with_child is True
    assert figures[LEE].lives_with_child is False
    assert figures[KERRY].role == "biological_parent"


def test_a_parents_new_partner_is_a_parent_figure_before_any_step_parent_record():
    family = blended_family()
    on = dt.date(2021, 3, 1)  # Kerry and Dean together since January, he has not moved in yet
    figures = {f.person_id: f.role for f in fg.parent_figures(family, ROBIN, on)}
    assert figures[DEAN] == "parent_partner"


def test_the_ex_partner_of_a_parent_is_not_a_parent_figure():
    family = blended_family()
    figures = {f.person_id for f in fg.parent_figures(family, JADE, AFTER_DEAN)}
    assert KERRY in figures  # her father's current partner, in her home
    assert LEE not in figures


def test_full_half_and_step_siblings_are_derived_from_shared_parents():
    family = blended_family()
    sibs = fg.siblings(family, ROBIN, AFTER_DEAN)
    assert sibs.full == (KIT,)
    assert set(sibs.half) == {TYLER, UNBORN}  # through the father, and through the mother
    assert sibs.step == (JADE,)


def test_step_siblings_are_found_from_either_side():
    family = blended_family()
    assert set(fg.siblings(family, JADE, AFTER_DEAN).step) == {ROBIN, KIT}
    assert set(fg.siblings(family, JADE, AFTER_DEAN).half) == {UNBORN}


def test_no_step_siblings_before_the_partnership_began():
    family = blended_family()
    assert fg.siblings(family, ROBIN, BEFORE_DEAN).step == ()


def test_siblings_not_yet_born_are_not_siblings_on_the_date():
    family = blended_family()
    assert TYLER not in fg.siblings(family, ROBIN, dt.date(2020, 6, 1)).half


def test_recorded_sibling_with_no_shared_parent_is_kept_apart():
    family = blended_family()
    extra = fg.Family(
        family.people,
        (*family.relationships, fg.RelationshipData(99, TASHA, SHANNON, "sibling")),
        family.households,
        family.memberships,
    )
    assert fg.siblings(extra, SHANNON, AFTER_DEAN).recorded == (TASHA,)


def test_grandparents_on_both_sides():
    family = blended_family()
    assert set(fg.grandparents(family, ROBIN, AFTER_DEAN)) == {GEORGE, MAUREEN, DEREK, JOAN}


def test_people_who_matter_elsewhere_leave_out_the_household_and_the_dead():
    family = blended_family()
    elsewhere = set(fg.people_who_matter_elsewhere(family, ROBIN, AFTER_DEAN))
    assert elsewhere == {LEE, TYLER, MAUREEN, DEREK, JOAN}
    assert GEORGE not in elsewhere  # died in 2019
    assert KERRY not in elsewhere


def test_generations_put_partners_level_and_children_below():
    level = fg.generations(blended_family())
    assert level[GEORGE] == level[MAUREEN] == level[DEREK] == level[JOAN] == 0
    assert level[LEE] == level[KERRY] == level[DEAN] == level[SHANNON] == level[TASHA] == 1
    assert level[ROBIN] == level[KIT] == level[TYLER] == level[JADE] == level[UNBORN] == 2


def test_unions_show_the_partnership_as_it_stood():
    family = blended_family()
    couples = {frozenset((u.a, u.b)): u for u in fg.unions(family, dt.date(2016, 1, 1))}
    assert couples[frozenset((LEE, KERRY))].kind == "married"
    later = {frozenset((u.a, u.b)): u for u in fg.unions(family, AFTER_DEAN)}
    assert later[frozenset((LEE, KERRY))].kind == "divorced"
    assert later[frozenset((LEE, KERRY))].children == (ROBIN, KIT)  # birth order
    assert later[frozenset((DEAN, TASHA))].ended is True
    assert frozenset((KERRY, DEAN)) not in couples


def test_family_graph_on_a_date_leaves_out_the_unborn_of_that_time_and_ended_relationships():
    family = blended_family()
    graph = fg.family_graph(family, dt.date(2016, 1, 1))
    assert TYLER not in graph
    assert ROBIN in graph
    kinds = {d["kind"] for _, _, d in graph.edges(data=True)}
    assert "divorced" not in kinds
    assert "married" in kinds
