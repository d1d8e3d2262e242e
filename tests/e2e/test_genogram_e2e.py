"""The genogram page in headless Chromium: the demo family's drawing fits the page width, zooms in
and out and back to the width with buttons and with the keyboard, pans in its own scrolling box,
and hides and shows the relationship lines; axe-core finds no WCAG 2.2 A/AA violation. A
screenshot goes to E2E_SCREENSHOT_DIR when set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.case import DEMO_PASSWORD, build_demo
from demo.family import add_family_structure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def svg_width(page) -> float:
    return page.locator("[data-genogram-viewport] svg").evaluate("svg => svg.getBoundingClientRect().width")


def test_genogram_fits_zooms_pans_and_hides_relationship_lines(signed_in_page, assert_accessible, tmp_path):
    ctx = build_demo(today=timezone.localdate())
    add_family_structure(ctx)
    page = signed_in_page(ctx.users["sw.patel"], DEMO_PASSWORD)
    page.goto(f"/cases/{ctx.case.pk}/family/")
    expect(page.get_by_role("heading", name="Genogram on", exact=False)).to_be_visible()
    zoom_in = page.get_by_role("button", name="Zoom in")
    expect(zoom_in).to_be_visible()  # the controls appear once the script runs
    viewport = page.get_by_role("region", name="Genogram drawing (scrolls)")
    fitted = svg_width(page)
    assert fitted <= viewport.evaluate("v => v.clientWidth") + 1  # the legend and every household in view
    assert_accessible(page)
    folder = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.locator("[data-genogram-viewer]").screenshot(path=str(folder / "genogram.png"))
    page.screenshot(path=str(folder / "genogram-page.png"), full_page=True)

    zoom_in.click()
    zoom_in.click()
    assert svg_width(page) > fitted * 1.5
    expect(page.locator("[data-genogram-zoom-level]")).to_contain_text("Zoom ")
    assert viewport.evaluate("v => v.scrollWidth > v.clientWidth")  # the box scrolls: pan with it
    viewport.evaluate("v => { v.scrollLeft = 200; }")
    assert viewport.evaluate("v => v.scrollLeft") > 0
    page.get_by_role("button", name="Fit to width").click()
    assert abs(svg_width(page) - fitted) < 2

    viewport.focus()  # keyboard: "+" zooms in, "0" fits again, the arrow keys scroll
    page.keyboard.press("+")
    assert svg_width(page) > fitted * 1.2
    page.keyboard.press("ArrowRight")
    page.keyboard.press("0")
    assert abs(svg_width(page) - fitted) < 2

    line = page.locator("[data-genogram-viewport] g.edge.genogram-rel").first
    expect(line).to_be_visible()
    page.get_by_role("button", name="Hide relationship lines").click()
    expect(line).to_be_hidden()
    expect(page.locator("[data-genogram-viewport] g.node.genogram-rel").first).to_be_hidden()  # their legend too
    expect(page.locator("[data-genogram-viewport] g.genogram-person").first).to_be_visible()
    page.get_by_role("button", name="Show relationship lines").click()
    expect(line).to_be_visible()
    assert_accessible(page)
