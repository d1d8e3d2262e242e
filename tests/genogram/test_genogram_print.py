"""The genogram in packs: names at 7 pt or more on an A4 landscape page. The demo family prints on
one page; a blended family of 200 is split into overlapping page-sized parts that together show
the whole drawing, never shrunk below 7 pt; the legend is printed once, apart."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from demo.case import build_demo
from demo.family import add_family_structure
from genogram.printing import MIN_TEXT_PT, PAGE_HEIGHT, PAGE_WIDTH, genogram_print
from genogram.selectors import family_snapshot
from tests.genogram.blended import AT as BLENDED_AT
from tests.genogram.blended import blended_family

TODAY = dt.date(2026, 6, 1)
ROOT = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="([^"]+)"')


def printed_size(svg: str) -> tuple[float, float, list[float], float]:
    """Printed width and height (pt), the viewBox, and the smallest text as printed (pt)."""
    width, height, view = ROOT.search(svg).groups()
    box = [float(v) for v in view.split()]
    scale = float(width) / box[2]
    sizes = [float(s) for s in re.findall(r'<text[^>]*font-size="([\d.]+)"', svg)]
    return float(width), float(height), box, min(sizes) * scale


@pytest.mark.django_db
def test_demo_genogram_prints_on_one_page_with_text_at_7_pt_or_more():
    ctx = build_demo(today=TODAY)
    add_family_structure(ctx)
    printed = genogram_print(family_snapshot(ctx.case), TODAY)
    assert len(printed.pages) == 1
    width, height, _, smallest = printed_size(printed.pages[0])
    assert width <= PAGE_WIDTH + 0.1 and height <= PAGE_HEIGHT + 0.1
    assert smallest >= MIN_TEXT_PT
    assert "Tia Marlow" in printed.pages[0]
    assert "Relationship lines" in printed.legend and "Relationship lines" not in printed.pages[0]


def test_large_family_is_split_over_pages_rather_than_shrunk():
    printed = genogram_print(blended_family(), BLENDED_AT)
    assert len(printed.pages) > 1
    boxes = []
    for page in printed.pages:
        width, height, box, smallest = printed_size(page)
        assert width <= PAGE_WIDTH + 0.1 and height <= PAGE_HEIGHT + 0.1
        assert smallest >= MIN_TEXT_PT - 0.01
        boxes.append(box)
    # the parts cover the whole drawing, left to right and top to bottom, overlapping
    full_w, full_h = printed.size
    assert min(b[0] for b in boxes) == 0 and max(b[0] + b[2] for b in boxes) == pytest.approx(full_w, abs=0.05)
    assert min(b[1] for b in boxes) == 0 and max(b[1] + b[3] for b in boxes) == pytest.approx(full_h, abs=0.05)
    lefts = sorted({b[0] for b in boxes})
    assert all(b - a < boxes[0][2] for a, b in zip(lefts, lefts[1:], strict=False))  # no gap between parts
