"""The demo family drawn: the right names and symbols in the SVG, and it opens in headless Chromium."""

import datetime as dt
import re
import shutil
import subprocess

import pytest

from demo.case import build_demo
from demo.family import add_family_structure
from genogram import graph as fg
from genogram.drawings import case_drawings
from genogram.selectors import family_snapshot

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def demo():
    ctx = build_demo(today=TODAY)
    add_family_structure(ctx)
    return ctx


def node_group(svg: str, node_id: str) -> str:
    node_id = node_id.replace("-", "&#45;")  # Graphviz escapes hyphens in SVG ids
    match = re.search(rf'<g id="{node_id}" class="node[^"]*">(.*?)</a>', svg, re.S)
    assert match, f"no node {node_id}"
    return match.group(1)


def test_demo_household_changes_when_the_new_partner_moves_in(demo):
    family = family_snapshot(demo.case)
    tia, partner = demo.people["tia"].pk, demo.people["partner"].pk
    assert partner in fg.adults_in_household(family, tia, TODAY)
    assert partner not in fg.adults_in_household(family, tia, TODAY - dt.timedelta(days=300))
    sibs = fg.siblings(family, tia, TODAY)
    assert sibs.full == (demo.people["ollie"].pk,)
    assert set(sibs.half) == {demo.people["baby"].pk, demo.people["half_sister"].pk}


def test_demo_genogram_svg_has_the_names_symbols_households_and_legend(demo):
    svg = case_drawings(demo.case, TODAY).genogram_svg
    for name in (
        "Tia Marlow",
        "Ollie Marlow",
        "Rowan Marlow",
        "Leanne Marlow",
        "Craig Ellery",
        "Kacey Dunmore",
        "Pauline Stott",
        "Keith Stott",
        "Brenda Marlow",
    ):
        assert name in svg
    tia = node_group(svg, f"person-{demo.people['tia'].pk}")
    assert tia.count("<ellipse") == 2  # a girl, subject child: double circle
    dean = node_group(svg, f"person-{demo.people['father'].pk}")
    assert "<polygon" in dean and "<ellipse" not in dean  # a square
    keith = demo.people["maternal_grandfather"].pk
    assert f"p{keith}&#45;cross0" in svg and f"p{keith}&#45;cross1" in svg  # deceased: a cross
    assert f"p{keith}&#45;cross0" in svg.replace("-", "&#45;") or f"p{keith}-cross0" in svg
    for household in ("Marlow home", "Dunmore home", "Dean&#39;s flat", "Stott home"):
        assert household in svg
    assert "Genogram on 1 Jun 2026" in svg
    for meaning in ("Married", "Cohabiting", "Separated", "Divorced", "Conflict", "Close", "Abuse", "Cut off"):
        assert meaning in svg


def test_demo_genogram_before_the_move_has_no_partner_in_the_home(demo):
    earlier = TODAY - dt.timedelta(days=300)
    family = family_snapshot(demo.case)
    craig = demo.people["partner"].pk
    assert fg.household_of(family, craig, earlier) is None
    svg = case_drawings(demo.case, earlier).genogram_svg
    assert "Rowan Marlow" not in svg  # not born yet
    assert "Craig Ellery" in svg  # together with Leanne, living elsewhere


def test_demo_ecomap_has_the_services_and_a_stressful_link(demo):
    svg = case_drawings(demo.case, TODAY).ecomap_svg
    for name in ("Riverside Primary School", "Larch Road Surgery", "Northshire Health Visiting", "Northshire Police"):
        assert name in svg
    assert "stressful" in svg
    assert "Marlow home" in svg


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")
def test_demo_genogram_svg_opens_in_headless_chromium(demo, tmp_path):
    svg_path = tmp_path / "genogram.svg"
    svg_path.write_text(case_drawings(demo.case, TODAY).genogram_svg, encoding="utf-8")
    shot = tmp_path / "genogram.png"
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            # A profile of its own: another Chromium (a parallel test worker's) may be running.
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=2400,1000",
            f"--screenshot={shot}",
            svg_path.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    data = shot.read_bytes()
    assert data[:4] == b"\x89PNG"
    assert len(data) > 20_000  # a drawing, not a blank page
