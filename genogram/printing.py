"""The genogram for a printed pack: names at 7 pt or more on an A4 landscape page, never shrunk
below that. A family too wide (or tall) for one page at that size is split into overlapping parts,
one a page, read left to right and top to bottom; the legend is printed once, apart.

The parts are the same SVG with a different viewBox each, so every part is Graphviz's own
drawing, cut, never redrawn.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from genogram import graph as fg
from genogram.genogram_drawing import (
    CAPTION_FONT,
    genogram_final_source,
    genogram_layout,
    genogram_legend_svg,
)
from genogram.graphviz import check_family_size, empty_drawing, run_graphviz

MM = 72 / 25.4
PAGE_WIDTH = 277 * MM  # A4 landscape less the pack's side margins
PAGE_HEIGHT = 150 * MM  # what the pack gives a drawing under its heading
MIN_TEXT_PT = 7.0
MIN_SCALE = MIN_TEXT_PT / CAPTION_FONT  # the drawing's smallest text is CAPTION_FONT points

_ROOT = re.compile(r'<svg width="[^"]*" height="[^"]*"\s+viewBox="([^"]*)"')


@dataclass(frozen=True)
class PrintedGenogram:
    pages: list[str]  # SVG documents, each printed at `scale`
    legend: str
    scale: float
    size: tuple[float, float] = (0.0, 0.0)  # the whole drawing's width and height (SVG units)


def _parts(svg: str) -> tuple[list[str], float, tuple[float, float]]:
    match = _ROOT.search(svg)
    if not match:
        return [svg], 1.0, (0.0, 0.0)
    x, y, width, height = (float(v) for v in match.group(1).split())
    fit = min(1.0, PAGE_WIDTH / width, PAGE_HEIGHT / height)
    scale = max(fit, MIN_SCALE)
    part_w, part_h = min(width, PAGE_WIDTH / scale), min(height, PAGE_HEIGHT / scale)
    cols, rows = math.ceil(width / part_w - 0.01), math.ceil(height / part_h - 0.01)
    pages = []
    for row in range(rows):
        for col in range(cols):
            # parts spread evenly from edge to edge, so neighbours overlap a little
            left = x + (col * (width - part_w) / (cols - 1) if cols > 1 else 0)
            top = y + (row * (height - part_h) / (rows - 1) if rows > 1 else 0)
            root = (
                f'<svg width="{part_w * scale:.2f}pt" height="{part_h * scale:.2f}pt" '
                f'viewBox="{left:.2f} {top:.2f} {part_w:.2f} {part_h:.2f}"'
            )
            pages.append(svg[: match.start()] + root + svg[match.end() :])
    return pages, scale, (width, height)


def genogram_print(family: fg.Family, at: dt.date) -> PrintedGenogram:
    """The genogram of the family on `at` for a pack: its parts and its legend, as SVG text."""
    check_family_size(len(family.people))
    info, layout = genogram_layout(family, at)
    if not info.people:
        return PrintedGenogram([empty_drawing("svg", "No people recorded on this date.").decode()], "", 1.0)
    svg = run_graphviz("neato", "svg", genogram_final_source(info, layout, legend="none"), ("-n2",)).decode()
    pages, scale, size = _parts(svg)
    return PrintedGenogram(pages, genogram_legend_svg(info).decode(), scale, size)
