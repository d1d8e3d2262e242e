"""The genogram's layout, checked on Graphviz's real output (the drawing pass as -Tjson): siblings
of one union in birth order on one line hanging from the union, generations on ranks, no text over
another text or a symbol, and no relationship line (nor family line) through any text. On the demo
family and on a synthetic blended family of 200 people."""

from __future__ import annotations

import datetime as dt

import pytest

from demo.case import build_demo
from demo.family import add_family_structure
from genogram import graph as fg
from genogram.genogram_drawing import REL_CLASS, genogram_drawing, render_genogram
from genogram.selectors import family_snapshot
from tests.genogram.blended import AT as BLENDED_AT
from tests.genogram.blended import blended_family
from tests.genogram.layout_geometry import Geometry, geometry, lines_through_texts, text_overlaps

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def demo_family():
    ctx = build_demo(today=TODAY)
    add_family_structure(ctx)
    return ctx, family_snapshot(ctx.case)


@pytest.fixture(scope="module", params=[13, 3, 4], ids=lambda seed: f"seed{seed}")
def blended(request):
    """Three synthetic families of 200 (their seeds once showed a couple split by dot, a single
    parent's point away from them, and a line leaving a symbol through a name)."""
    family = blended_family(seed=request.param)
    return family, geometry(render_genogram(family, BLENDED_AT, "json"))


def assert_children_in_birth_order_under_their_union(family: fg.Family, at: dt.date, geo: Geometry) -> int:
    checked = 0
    for union in genogram_drawing(family, at).unions:
        kids = [c for c in union.children if f"p{c}" in geo.positions]
        if not kids:
            continue
        assert kids == fg.birth_order(family, kids)  # listed in birth order...
        xs = [geo.positions[f"p{c}"][0] for c in kids]
        assert xs == sorted(xs) and len(set(xs)) == len(xs), f"{union.name}: children not left to right by birth"
        ys = {round(geo.positions[f"p{c}"][1]) for c in kids}
        assert len(ys) == 1, f"{union.name}: siblings not on one line"
        parents_y = min(geo.positions[f"p{p}"][1] for p in union.parents)
        assert ys.pop() < parents_y, f"{union.name}: children not below their parents"
        ux = geo.positions[union.name][0]
        for kid in kids:
            (line,) = [ln for ln in geo.lines if ln.owner == f"{union.name}-child-p{kid}"]
            assert abs(line.points[0][0] - ux) < 0.5, "a child hangs from the union, not from a parent"
        checked += len(kids) > 1
    return checked


@pytest.mark.django_db
def test_demo_siblings_are_in_birth_order_under_their_parents_union(demo_family):
    ctx, family = demo_family
    geo = geometry(render_genogram(family, TODAY, "json"))
    assert assert_children_in_birth_order_under_their_union(family, TODAY, geo) >= 1
    tia, ollie = ctx.people["tia"].pk, ctx.people["ollie"].pk
    assert geo.positions[f"p{tia}"][0] < geo.positions[f"p{ollie}"][0]  # Tia (older) left of Ollie


@pytest.mark.django_db
def test_demo_no_text_overlaps_another_text_or_a_symbol(demo_family):
    _, family = demo_family
    geo = geometry(render_genogram(family, TODAY, "json"))
    assert len(geo.texts) > 40 and len(geo.symbols) == len(family.people)
    assert text_overlaps(geo) == []


@pytest.mark.django_db
def test_demo_relationship_and_family_lines_pass_through_no_text(demo_family):
    ctx, family = demo_family
    geo = geometry(render_genogram(family, TODAY, "json"))
    relationship_lines = [ln for ln in geo.lines if REL_CLASS in ln.css_class and ln.owner.startswith("rel-")]
    assert len(relationship_lines) >= 4  # close x2, conflict, distant
    assert lines_through_texts(geo, REL_CLASS) == []
    assert lines_through_texts(geo) == []


@pytest.mark.django_db
def test_demo_deceased_age_is_written_under_the_cross_not_inside_it(demo_family):
    ctx, family = demo_family
    keith = ctx.people["maternal_grandfather"].pk
    geo = geometry(render_genogram(family, TODAY, "json"))
    assert [t.text for t in geo.texts if t.owner == f"p{keith}"] == []  # nothing under the cross
    caption = [t.text for t in geo.texts if t.owner == f"p{keith}_caption"]
    assert caption[-1].startswith("died aged ")
    living = ctx.people["mother"].pk
    assert [t.text for t in geo.texts if t.owner == f"p{living}"] != []  # the living keep their age inside


@pytest.mark.django_db
def test_demo_relationship_lines_do_not_move_the_family(demo_family):
    """The family layout is the same with or without the emotional relationships."""
    _, family = demo_family
    without = fg.Family(
        people=family.people,
        relationships=tuple(r for r in family.relationships if r.kind not in fg.EMOTIONAL_KINDS),
        households=family.households,
        memberships=family.memberships,
    )
    with_lines = geometry(render_genogram(family, TODAY, "json")).positions
    without_lines = geometry(render_genogram(without, TODAY, "json")).positions
    people = [f"p{p.id}" for p in family.people]

    def relative(positions):  # the drawing's margins may differ; the people's places may not
        x0, y0 = positions[people[0]]
        return {n: (round(positions[n][0] - x0, 1), round(positions[n][1] - y0, 1)) for n in people}

    assert relative(with_lines) == relative(without_lines)


def test_blended_family_of_200_siblings_in_birth_order(blended):
    family, geo = blended
    assert len(family.people) == 200
    assert assert_children_in_birth_order_under_their_union(family, BLENDED_AT, geo) >= 20


def test_blended_family_of_200_no_text_overlaps_another_text_or_a_symbol(blended):
    family, geo = blended
    assert len(geo.symbols) == len([p for p in family.people if p.exists_on(BLENDED_AT)])
    assert text_overlaps(geo) == []


def test_blended_family_of_200_no_relationship_line_through_a_text(blended):
    family, geo = blended
    routed = [ln for ln in geo.lines if REL_CLASS in ln.css_class and ln.owner.startswith("rel-")]
    assert len(routed) >= 25
    assert lines_through_texts(geo, REL_CLASS) == []


def test_blended_family_of_200_no_family_line_through_a_text(blended):
    _, geo = blended
    assert lines_through_texts(geo) == []
