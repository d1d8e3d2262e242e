"""The genogram: the family as it stood on a date, drawn with Graphviz (genogram.graphviz).

Three steps, so that the relationship lines can never move the family:

1. Family layout (`dot`). Each person is one block: the symbol on top and the caption (name,
   dates) under it, with the caption measured by dot itself, so no caption can overlap another
   or a symbol. Every block in a drawing has the same height, so the symbols of one generation
   stand on one line. A partnership is a point node between the two partners on their rank (flat
   edges keep partners side by side, one adult's partnerships in date order); the children of a
   union hang from it in birth order (`ordering=out` and invisible flat edges between siblings);
   a child with one recorded parent hangs from a point beside that parent, never from under the
   parent's name. Each generation is one `rank=same` group; households are clusters.
2. Relationship layer (genogram.routing). Emotional lines (close, distant, conflict, abuse, cut
   off), carers and recorded siblings are routed over the fixed layout with walls round every
   name, symbol and household label; their words are placed where they touch nothing.
3. Drawing (`neato -n2`): every position pinned; the family lines are drawn as in a genogram
   (partner line between the symbols, a vertical from the union down to a sibship line, a drop to
   each child), a deceased person's cross with the age at death in the caption, and two legends:
   the family's and, as its own group, the relationship lines' (class `genogram-rel`, which the
   page can hide with the lines).

Line meanings never rest on colour: every kind has its own pattern, and relationship lines carry a
word as well. Recorded text reaches DOT only through dot_text, links only through dot_url.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from genogram import graph as fg
from genogram.graphviz import (
    FONT,
    PT,
    Drawing,
    RenderError,
    bbox,
    check_family_size,
    dot_text,
    dot_url,
    draw_legend,
    empty_drawing,
    fmt_pt,
    format_date,
    lay_out_with_fallback,
    parse_pos,
    run_graphviz,
)
from genogram.routing import Point, Rect, Router, point_along, polyline_length

SYMBOL = 0.55  # inches
SYMBOL_PT = SYMBOL * PT
CAPTION_FONT = 9.0  # the smallest text of a drawing: 7 pt or more on paper at the packs' scale
LINE_PT = 11.5  # points per line of a caption
CAPTION_GAP = 4.0  # between a symbol and its caption
WORD_FONT = 9.0
REL_CLASS = "genogram-rel"
MAX_NAME_LINES = 3


def _wrap(text: str, width: int = 16) -> list[str]:
    words: list[str] = []
    for word in text.split():
        while len(word) > width + 6:  # a very long word is broken rather than widening the block
            words.append(word[:width])
            word = word[width:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_NAME_LINES:
        lines = lines[: MAX_NAME_LINES - 1] + [lines[MAX_NAME_LINES - 1][: width - 1] + "…"]
    return lines or [""]


def person_caption(person: fg.PersonData, at: dt.date) -> list[str]:
    """The lines under a symbol. A deceased person's age at death is written here, not in the
    symbol, where the cross would hide it."""
    lines = _wrap(person.name)
    if person.is_unborn_on(at):
        if person.expected_date_of_delivery:
            lines.append(f"due {format_date(person.expected_date_of_delivery)}")
        return lines
    if person.date_of_birth:
        lines.append(f"b. {format_date(person.date_of_birth, person.date_of_birth_precision)}")
    if person.is_dead_on(at):
        if person.date_of_death:
            lines.append(f"d. {format_date(person.date_of_death)}")
        age = person.age_on(at)
        if age is not None:
            lines.append(f"died aged {age}")
    return lines


PARTNER_STYLE = {
    "married": {"style": "solid", "penwidth": "1.6"},
    "cohabiting": {"style": "dashed", "penwidth": "1.4"},
    "partner": {"style": "dotted", "penwidth": "1.6"},
    "separated": {"style": "solid", "penwidth": "1.4"},
    "divorced": {"style": "solid", "penwidth": "1.4"},
    None: {"style": "solid", "penwidth": "0.8", "color": "gray35"},
}
PARTNER_SLASHES = {"separated": "/", "divorced": "//"}
EMOTIONAL_STYLE = {
    "close": {"color": "#1d70b8:invis:#1d70b8", "label": "close"},
    "distant": {"style": "dashed", "color": "gray30", "label": "distant"},
    "conflict": {"style": "bold", "penwidth": "3", "color": "#d4351c", "label": "conflict"},
    "abuse": {"color": "#942514:invis:#942514:invis:#942514", "dir": "forward", "label": "abuse"},
    "cutoff": {"dir": "both", "arrowhead": "tee", "arrowtail": "tee", "label": "cut off"},
}
CARER_LABEL = {
    "step_parent": "step-parent",
    "foster_carer": "foster carer",
    "kinship_carer": "kinship carer",
}
CARER_STYLE = {"style": "dashed", "dir": "forward", "arrowhead": "empty", "color": "gray25"}
SIBLING_STYLE = {"style": "dashed", "color": "gray40"}
SHAPES = {"male": "square", "female": "circle"}


@dataclass
class FamilyUnion:
    """A point children hang from: a couple, or one recorded parent (a `single` union)."""

    name: str
    parents: tuple[int, ...]
    children: list[int]
    slashes: str = ""
    caption: str = ""
    style: dict[str, str] = field(default_factory=dict)
    single_side: str = "right"  # where a single parent's point sits


@dataclass
class RelationshipLine:
    tail: int
    head: int
    attrs: dict[str, str]
    word: str
    rel_id: str


@dataclass
class GenogramLayout:
    drawing: Drawing
    people: dict[str, fg.PersonData]
    captions: dict[str, list[str]]
    unions: list[FamilyUnion]
    lines: list[RelationshipLine]
    block_height: float
    at: dt.date
    link_for: Callable[[int], str] | None = None


def _symbol_size(person: fg.PersonData, at: dt.date) -> tuple[str, float, float]:
    unborn = person.is_unborn_on(at)
    shape = "triangle" if unborn else SHAPES.get(person.sex, "diamond")
    scale = 1.25 if shape == "diamond" else 1.0
    return shape, SYMBOL * scale, SYMBOL * (0.9 if unborn else 1.0) * scale


def genogram_drawing(
    family: fg.Family,
    at: dt.date,
    link_for: Callable[[int], str] | None = None,
    *,
    household_boxes: bool = True,
    keep_couples: bool = False,
) -> GenogramLayout:
    """The family layout (step 1) as a Drawing for dot, and what the later steps need.

    Households are boxes (dot clusters) round their members; with `household_boxes=False` each
    person's household is written under their name instead (dot keeps a cluster's members
    together, which in a big blended family can break the birth order of siblings who live apart).
    """
    graph = fg.family_graph(family, at)
    generation = fg.generations(family)
    home_of = _homes(family, graph, at)
    people: dict[str, fg.PersonData] = {}
    captions: dict[str, list[str]] = {}
    for pid in fg.birth_order(family, graph.nodes):
        people[f"p{pid}"] = family.by_id[pid]
        captions[f"p{pid}"] = person_caption(family.by_id[pid], at)
        household = family.household_by_id.get(home_of[pid]) if home_of[pid] is not None else None
        if not household_boxes and household is not None:
            captions[f"p{pid}"] += _wrap(f"lives at {household.label}", 22)[:2]
    max_lines = max((len(lines) for lines in captions.values()), default=1)
    tallest = max((_symbol_size(p, at)[2] for p in people.values()), default=SYMBOL)
    block_height = tallest * PT + CAPTION_GAP + max_lines * LINE_PT + 4
    d = Drawing(
        graph_attr={
            "newrank": "true",
            "ordering": "out",
            "nodesep": "0.32",
            "ranksep": "0.8",
            "fontname": FONT,
            "fontsize": "10",
            "pad": "0.3",
        },
        node_attr={"fontname": FONT, "fontsize": fmt_pt(CAPTION_FONT)},
        edge_attr={"fontname": FONT},
    )
    by_generation: dict[int, list[str]] = {}
    for name, person in people.items():
        _, width, _ = _symbol_size(person, at)
        # the block: dot widens it to the measured caption, never below the symbol's width
        d.node(
            name,
            shape="box",
            label=dot_text(*captions[name]),
            width=fmt_pt(width + 0.1),
            height=fmt_pt(block_height / PT),
            fixedsize="false",
            margin="0.06,0.02",
        )
        by_generation.setdefault(generation.get(person.id, 0), []).append(name)

    members: dict[int, list[str]] = {}
    for pid, hid in home_of.items():
        if hid is not None:
            members.setdefault(hid, []).append(f"p{pid}")

    unions: list[FamilyUnion] = []
    couples = fg.unions(family, at)
    sequence = _partner_sequence(couples)
    has_union_parent: set[int] = set()
    partner_side: dict[int, set[str]] = {}
    for index, couple in enumerate(couples):
        u = f"u{index}"
        left, right = sorted((couple.a, couple.b), key=lambda i: sequence.get(i, 0))
        partner_side.setdefault(left, set()).add("right")
        partner_side.setdefault(right, set()).add("left")
        style = PARTNER_STYLE.get(couple.kind, PARTNER_STYLE[None])
        slashes = PARTNER_SLASHES.get(couple.kind or "", "/" if couple.ended else "")
        caption = ""
        if couple.kind in ("married", "divorced") and couple.start_date:
            caption = f"m. {couple.start_date.year}"
        elif couple.kind and couple.start_date:
            caption = f"{couple.start_date.year}"
        unions.append(FamilyUnion(u, (left, right), list(couple.children), slashes, caption, dict(style)))
        d.node(u, shape="point", width="0.08", height="0.08", label="")
        d.edge(f"p{left}", u, weight="8")
        d.edge(u, f"p{right}", weight="8")
        gen = max(generation.get(couple.a, 0), generation.get(couple.b, 0))
        by_generation.setdefault(gen, []).append(u)
        # the union sits in the household the couple shares, else the one its children live in
        homes = [home_of[i] for i in (couple.a, couple.b)]
        if homes[0] is None or homes[0] != homes[1]:
            child_homes = [home_of[c] for c in couple.children]
            homes = [h for h in child_homes if h is not None and h in homes]
        if homes:
            members[max(set(homes), key=homes.count)].append(u)
        has_union_parent.update(couple.children)

    # children with one recorded parent (or more than two) hang from a point beside each parent
    singles: dict[int, list[int]] = {}
    for pid in fg.birth_order(family, graph.nodes):
        if pid in has_union_parent:
            continue
        for src, _, data in graph.in_edges(pid, data=True):
            if data["kind"] in fg.LINEAGE_KINDS and pid not in singles.get(src, []):
                singles.setdefault(src, []).append(pid)
    for parent, children in sorted(singles.items()):
        s = f"s{parent}"
        side = "left" if "right" in partner_side.get(parent, set()) else "right"
        if "right" in partner_side.get(parent, set()) and "left" in partner_side.get(parent, set()):
            side = "right"
        unions.append(FamilyUnion(s, (parent,), children, style=dict(PARTNER_STYLE[None]), single_side=side))
        d.node(s, shape="point", width="0.08", height="0.08", label="")
        if side == "left":
            d.edge(s, f"p{parent}", weight="8")
        else:
            d.edge(f"p{parent}", s, weight="8")
        by_generation.setdefault(generation.get(parent, 0), []).append(s)
        home = home_of[parent]
        if home is not None:
            members[home].append(s)

    # a sibling's partners (and their unions) sit beside them: birth order is kept between the
    # ends of each sibling's chain of partnerships, so no sibling lands between a couple
    chain_of = _chains(unions, sequence)
    for union in unions:
        previous = None
        for child in union.children:
            d.edge(union.name, f"p{child}", weight="4")
            if (
                previous is not None
                and generation.get(previous, 0) == generation.get(child, 0)
                and (previous not in chain_of or chain_of.get(previous) != chain_of.get(child))
            ):
                tail = chain_of[previous][1] if previous in chain_of else f"p{previous}"
                head = chain_of[child][0] if child in chain_of else f"p{child}"
                d.edge(tail, head, style="invis", weight="2", id=f"order-{previous}-{child}")
            previous = child

    lines: list[RelationshipLine] = []
    for src, dst, key, data in graph.edges(keys=True, data=True):
        kind = data["kind"]
        if kind in CARER_LABEL:
            lines.append(RelationshipLine(src, dst, dict(CARER_STYLE), CARER_LABEL[kind], f"rel-{key}"))
        elif kind in EMOTIONAL_STYLE:
            attrs = {k: v for k, v in EMOTIONAL_STYLE[kind].items() if k != "label"}
            lines.append(RelationshipLine(src, dst, attrs, EMOTIONAL_STYLE[kind]["label"], f"rel-{key}"))
        elif kind == "sibling":
            lines.append(RelationshipLine(src, dst, dict(SIBLING_STYLE), "sibling", f"rel-{key}"))

    for hid, names in sorted(members.items()) if household_boxes else ():
        household = family.household_by_id.get(hid)
        label = household.label if household else f"Household {hid}"
        d.clusters.append(
            (
                f"cluster_h{hid}",
                {
                    "label": dot_text(label),
                    "style": "rounded,dashed",
                    "penwidth": "1.2",
                    "color": "gray30",
                    "labeljust": "l",
                    "labelloc": "b",
                    "fontsize": "10",
                    "margin": "14",
                    "id": f"household-{hid}",
                },
                names,
            )
        )
    if keep_couples and not household_boxes:
        groups: dict[tuple[str, str], set[str]] = {}
        for union in unions:
            for parent in union.parents:
                if parent in chain_of:
                    groups.setdefault(chain_of[parent], set()).update({union.name, f"p{parent}"})
        for index, names in enumerate(sorted(sorted(g) for g in groups.values() if len(g) > 2)):
            d.clusters.append((f"cluster_chain{index}", {"style": "invis", "margin": "1"}, names))
    d.ranks = [names for _, names in sorted(by_generation.items())]
    return GenogramLayout(d, people, captions, unions, lines, block_height, at, link_for)


def _chains(unions: list[FamilyUnion], sequence: dict[int, int]) -> dict[int, tuple[str, str]]:
    """For each partnered person, the leftmost and rightmost node of their chain of partnerships
    (the people linked by partnerships, with single parents' points at the ends)."""
    links: dict[int, set[int]] = {}
    singles: dict[int, str] = {}
    for union in unions:
        if len(union.parents) == 2:
            a, b = union.parents
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
        else:
            singles[union.parents[0]] = union.name
            links.setdefault(union.parents[0], set())
    sides = {u.parents[0]: u.single_side for u in unions if len(u.parents) == 1}
    result: dict[int, tuple[str, str]] = {}
    seen: set[int] = set()
    for start in links:
        if start in seen:
            continue
        group, stack = [], [start]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            group.append(node)
            stack.extend(links[node] - seen)
        group.sort(key=lambda i: sequence.get(i, 0))
        first, last = group[0], group[-1]
        left = singles[first] if first in singles and sides.get(first) == "left" else f"p{first}"
        right = singles[last] if last in singles and sides.get(last) == "right" else f"p{last}"
        for person in group:
            result[person] = (left, right)
    return result


def _homes(family: fg.Family, graph, at: dt.date) -> dict[int, int | None]:
    """Each drawn person's household on the date (a deceased person's: the one they died in)."""
    homes: dict[int, int | None] = {}
    for pid in graph.nodes:
        hid = graph.nodes[pid]["household"]
        if hid is None and family.by_id[pid].is_dead_on(at):
            hid = _home_at_death(family, family.by_id[pid])
        homes[pid] = hid
    return homes


def _home_at_death(family: fg.Family, person: fg.PersonData) -> int | None:
    """The household a deceased person lived in until they died: drawn inside it, beside the
    family they lived with, rather than loose between other people."""
    if person.date_of_death is None:
        return None
    for membership in family.memberships:
        if (
            membership.person_id == person.id
            and membership.from_date <= person.date_of_death
            and (membership.to_date is None or membership.to_date >= person.date_of_death)
        ):
            return membership.household_id
    return None


def _partner_sequence(couples: list[fg.Union]) -> dict[int, int]:
    """A left-to-right order of people along chains of partnerships, earliest partnership first,
    so that one adult's partnerships sit side by side in date order."""
    adjacency: dict[int, list[int]] = {}
    for couple in couples:  # already in date order
        adjacency.setdefault(couple.a, []).append(couple.b)
        adjacency.setdefault(couple.b, []).append(couple.a)
    order: dict[int, int] = {}
    counter = 0
    starts = sorted(adjacency, key=lambda i: (len(adjacency[i]) != 1, i))
    for start in starts:
        if start in order:
            continue
        stack = [start]
        while stack:
            node = stack.pop()
            if node in order:
                continue
            order[node] = counter
            counter += 1
            stack.extend(reversed([n for n in adjacency[node] if n not in order]))
    return order


# --- step 2 and 3: the drawing over the fixed layout ------------------------------------------


def _straight_pos(points: list[Point]) -> str:
    """A polyline as a Graphviz spline (each segment a Bezier with its control points on it)."""
    out = [points[0]]
    for a, b in zip(points, points[1:], strict=False):
        out += [
            (a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3),
            (a[0] + 2 * (b[0] - a[0]) / 3, a[1] + 2 * (b[1] - a[1]) / 3),
            b,
        ]
    return " ".join(f"{fmt_pt(x)},{fmt_pt(y)}" for x, y in out)


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a line's width (Helvetica-like metrics), for placing words."""
    wide = sum(1 for c in text if c in "mwMW@%")
    narrow = sum(1 for c in text if c in "iljtfr.,:;'! |")
    return size * (0.6 * (len(text) - wide - narrow) + 0.9 * wide + 0.3 * narrow) + 4


@dataclass
class _Placed:
    symbol: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # name -> x, y, w, h
    caption: dict[str, Rect] = field(default_factory=dict)


class _Overlay:
    def __init__(self, info: GenogramLayout, layout: dict) -> None:
        self.info = info
        self.layout = layout
        self.extra = Drawing()
        self.placed = _Placed()
        self.box = bbox(layout["bb"])

    def grow(self, rect: Rect) -> None:
        self.box[0] = min(self.box[0], rect[0])
        self.box[1] = min(self.box[1], rect[1])
        self.box[2] = max(self.box[2], rect[2])
        self.box[3] = max(self.box[3], rect[3])

    def people(self) -> None:
        info, at = self.info, self.info.at
        for name, person in info.people.items():
            if name not in self.layout["nodes"]:
                continue
            x, y = parse_pos(self.layout["nodes"][name])
            block_w, block_h = self.layout["sizes"].get(name, (SYMBOL_PT, info.block_height))
            shape, w, h = _symbol_size(person, at)
            top = y + block_h / 2
            sy = top - h * PT / 2
            self.placed.symbol[name] = (x, sy, w * PT, h * PT)
            age = person.age_on(at)
            dead = person.is_dead_on(at)
            attrs = {
                "shape": shape,
                "fixedsize": "true",
                "width": fmt_pt(w),
                "height": fmt_pt(h),
                "label": dot_text("" if age is None or dead else str(age)),
                "fontsize": "11",
                "peripheries": "2" if person.is_subject else "1",
                "penwidth": "1.4",
                "tooltip": dot_text(person.name),
                "id": f"person-{person.id}",
                "class": "genogram-person" + (" genogram-deceased" if dead else ""),
                "pos": f"{fmt_pt(x)},{fmt_pt(sy)}",
            }
            if info.link_for is not None:
                attrs["URL"] = dot_url(info.link_for(person.id))
                attrs["target"] = "_top"
            self.extra.node(name, **attrs)
            lines = info.captions[name]
            height = LINE_PT * len(lines)
            ctop = sy - h * PT / 2 - CAPTION_GAP
            self.extra.node(
                f"{name}_caption",
                shape="plaintext",
                label=dot_text(*lines),
                fontsize=fmt_pt(CAPTION_FONT),
                width=fmt_pt(block_w / PT),
                height=fmt_pt(height / PT),
                fixedsize="true",
                margin="0",
                id=f"caption-{person.id}",
                **{"class": "genogram-caption"},
                pos=f"{fmt_pt(x)},{fmt_pt(ctop - height / 2)}",
            )
            self.placed.caption[name] = (x - block_w / 2, ctop - height, x + block_w / 2, ctop)
            if dead:
                half = min(w, h) * PT / 2 * 0.95
                for i, (dx1, dy1, dx2, dy2) in enumerate(((-half, -half, half, half), (-half, half, half, -half))):
                    a, b = f"{name}_x{i}a", f"{name}_x{i}b"
                    self.extra.node(
                        a, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x + dx1)},{fmt_pt(sy + dy1)}"
                    )
                    self.extra.node(
                        b, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x + dx2)},{fmt_pt(sy + dy2)}"
                    )
                    self.extra.edge(
                        a,
                        b,
                        pos=_straight_pos([(x + dx1, sy + dy1), (x + dx2, sy + dy2)]),
                        penwidth="1.6",
                        id=f"{name}-cross{i}",
                    )

    def family_lines(self) -> list[list[Point]]:
        """Partner lines, and each union's line down to its sibship line and a drop to each child."""
        drawn: list[list[Point]] = []
        symbol = self.placed.symbol
        nodes = self.layout["nodes"]
        # sibship lines of one gap that would overlap are given levels one under another
        levels: dict[str, float] = {}
        busy: dict[float, list[tuple[float, float, int]]] = {}
        for union in self.info.unions:
            kids = [f"p{c}" for c in union.children if f"p{c}" in symbol]
            parents = [f"p{p}" for p in union.parents if f"p{p}" in symbol]
            if union.name not in nodes or not kids or not parents:
                continue
            ux = parse_pos(nodes[union.name])[0]
            xs = [symbol[k][0] for k in kids] + [ux]
            bottom = min(symbol[p][1] - symbol[p][3] / 2 for p in parents)
            row = round(bottom)
            span = (min(xs) - 6, max(xs) + 6)
            taken = busy.setdefault(row, [])
            level = 0
            while any(lvl == level and span[0] < hi and lo < span[1] for lo, hi, lvl in taken):
                level += 1
            taken.append((span[0], span[1], level))
            levels[union.name] = level
        for union in self.info.unions:
            parents = [f"p{p}" for p in union.parents if f"p{p}" in symbol]
            if union.name not in nodes or not parents:
                continue
            ux = parse_pos(nodes[union.name])[0]
            py = symbol[parents[0]][1]
            if len(parents) == 2:
                left, right = sorted(parents, key=lambda name: symbol[name][0])
                py = (symbol[left][1] + symbol[right][1]) / 2
                if self._between(left, right) or not symbol[left][0] < ux < symbol[right][0]:
                    # someone stands between the partners: the line arches over the symbols
                    lx, rx = symbol[left][0], symbol[right][0]
                    top = max(symbol[left][1] + symbol[left][3] / 2, symbol[right][1] + symbol[right][3] / 2)
                    py = top + 6
                    legs = (
                        (left, union.name, [(lx, top), (lx, py), (ux, py)]),
                        (union.name, right, [(ux, py), (rx, py), (rx, top)]),
                    )
                else:
                    lx = symbol[left][0] + symbol[left][2] / 2
                    rx = symbol[right][0] - symbol[right][2] / 2
                    legs = ((left, union.name, [(lx, py), (ux, py)]), (union.name, right, [(ux, py), (rx, py)]))
                self._point(union.name, ux, py)
                for tail, head, pts in legs:
                    self.extra.edge(tail, head, pos=_straight_pos(pts), id=f"{union.name}-{tail}-{head}", **union.style)
                    drawn.append(pts)
                self._union_marks(union, ux, py, caption=len(legs[0][2]) == 2)
            elif len(parents) == 1:
                (parent,) = parents
                px, _, pw, ph = symbol[parent]
                if self._between(parent, union.name):
                    top = symbol[parent][1] + ph / 2
                    py = top + 6
                    pts = [(px, top), (px, py), (ux, py)]
                else:
                    edge_x = px + pw / 2 if ux > px else px - pw / 2
                    pts = [(edge_x, py), (ux, py)]
                self._point(union.name, ux, py)
                self.extra.edge(parent, union.name, pos=_straight_pos(pts), id=f"{union.name}-stub", **union.style)
                drawn.append(pts)
            kids = [f"p{c}" for c in union.children if f"p{c}" in symbol]
            if not kids:
                continue
            # the sibship line runs under the whole row of blocks (every block has the same height)
            bottom = min(parse_pos(nodes[p])[1] - self.layout["sizes"].get(p, (0, 0))[1] / 2 for p in parents)
            caption_bottom = min(self.placed.caption[p][1] for p in parents)
            first_top = max(symbol[k][1] + symbol[k][3] / 2 for k in kids)
            gap_top, gap_bottom = min(bottom, caption_bottom) - 8, first_top + 8
            sib_y = gap_top - 7 * levels.get(union.name, 0)
            if sib_y < gap_bottom:
                sib_y = (gap_top + gap_bottom) / 2
            for kid in kids:
                kx, ky, _, kh = symbol[kid]
                pts = [(ux, py), (ux, sib_y), (kx, sib_y), (kx, ky + kh / 2)]
                pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
                self.extra.edge(union.name, kid, pos=_straight_pos(pts), id=f"{union.name}-child-{kid}", penwidth="1.2")
                drawn.append(pts)
        return drawn

    def _point(self, name: str, x: float, y: float) -> None:
        self.extra.node(name, shape="point", width="0.07", height="0.07", label="", pos=f"{fmt_pt(x)},{fmt_pt(y)}")

    def _between(self, left: str, right: str) -> bool:
        """Whether someone's block stands on the row between two nodes of that row (every block
        of a row has the same centre, whatever the size of its symbol)."""
        nodes = self.layout["nodes"]
        lx, ly = parse_pos(nodes[left])
        rx = parse_pos(nodes[right])[0]
        for name in self.placed.symbol:
            if name in (left, right) or name not in nodes:
                continue
            x, y = parse_pos(nodes[name])
            half = self.layout["sizes"].get(name, (0.0, 0.0))[0] / 2
            if abs(y - ly) < 1 and min(lx, rx) < x + half and x - half < max(lx, rx):
                return True
        return False

    def _union_marks(self, union: FamilyUnion, x: float, y: float, caption: bool = True) -> None:
        if union.slashes:
            self.extra.node(
                f"{union.name}_slash",
                shape="plaintext",
                label=union.slashes,
                fontsize="13",
                width="0.22",
                height="0.2",
                fixedsize="true",
                pos=f"{fmt_pt(x + 13)},{fmt_pt(y + 1)}",
            )
        if union.caption and caption:
            self.extra.node(
                f"{union.name}_caption",
                shape="plaintext",
                label=dot_text(union.caption),
                fontsize=fmt_pt(CAPTION_FONT),
                width="0.55",
                height="0.16",
                fixedsize="true",
                pos=f"{fmt_pt(x)},{fmt_pt(y + 15)}",
            )

    def walls(self, router: Router) -> None:
        for name, (x, y, w, h) in self.placed.symbol.items():
            router.add_wall((x - w / 2, y - h / 2, x + w / 2, y + h / 2), owner=name)
        for name, rect in self.placed.caption.items():
            router.add_wall(_text_rect(rect, self.info.captions[name], CAPTION_FONT), owner=f"{name}_caption")
        for name, attrs in self.extra.nodes.items():
            if name.endswith("_slash") or (name.startswith(("u", "s")) and name.endswith("_caption")):
                x, y = parse_pos(attrs["pos"])
                w, h = float(attrs["width"]) * PT, float(attrs["height"]) * PT
                router.add_wall((x - w / 2, y - h / 2, x + w / 2, y + h / 2), owner=name)
        for cname, cluster in self.layout["clusters"].items():
            if "lp" in cluster:
                x, y = parse_pos(cluster["lp"])
                label = next((a.get("label", "") for n, a, _ in self.info.drawing.clusters if n == cname), "")
                w = _text_width(str(label), 10)
                router.add_wall((x - w / 2 - 2, y - 8, x + w / 2 + 2, y + 8), owner=cname)

    def relationship_layer(self, router: Router) -> None:
        symbol = self.placed.symbol
        todo = [line for line in self.info.lines if f"p{line.tail}" in symbol and f"p{line.head}" in symbol]
        todo.sort(key=lambda ln: math.dist(symbol[f"p{ln.tail}"][:2], symbol[f"p{ln.head}"][:2]))
        for line in todo:
            tail, head = f"p{line.tail}", f"p{line.head}"
            own = frozenset({tail, head})
            rects = [_symbol_rect(symbol[tail]), _symbol_rect(symbol[head])]
            path = router.route(symbol[tail][:2], symbol[head][:2], own, rects)
            path = _clip_end(_clip_end(path, symbol[tail]), symbol[head], at_end=True)
            if len(path) < 2 or polyline_length(path) < 2:
                continue
            router.add_line(path)
            self.grow(_points_rect(path))
            attrs = {**line.attrs, "id": line.rel_id, "class": REL_CLASS, "tooltip": dot_text(line.word)}
            arrow = 9.0
            body, prefix = path, ""
            # Graphviz reads the start arrow's point ("s,x,y") before the end arrow's ("e,x,y")
            if attrs.get("dir") in ("back", "both") and polyline_length(path) > 3 * arrow:
                body = _shorten(body, arrow, at_end=False)
                prefix += f"s,{fmt_pt(path[0][0])},{fmt_pt(path[0][1])} "
            if attrs.get("dir") in ("forward", "both") and polyline_length(path) > 3 * arrow:
                body = _shorten(body, arrow, at_end=True)
                prefix += f"e,{fmt_pt(path[-1][0])},{fmt_pt(path[-1][1])} "
            pos = prefix + _straight_pos(body)
            attrs["pos"] = pos
            self.extra.edge(tail, head, **attrs)
            self._word(router, line, path)

    def _word(self, router: Router, line: RelationshipLine, path: list[Point]) -> None:
        w = _text_width(line.word, WORD_FONT)
        h = WORD_FONT + 4
        for strict in (True,):  # clear of family lines too; a word with no free place is left out
            for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9):
                (px, py), (dx, dy) = point_along(path, fraction)
                offsets = ((0, h / 2 + 3), (0, -h / 2 - 3)) if abs(dx) >= abs(dy) else ((w / 2 + 4, 0), (-w / 2 - 4, 0))
                for ox, oy in offsets:
                    cx, cy = px + ox, py + oy
                    rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                    if router.box_free(rect, strict=strict):
                        router.add_wall(rect, owner=f"{line.rel_id}-word")
                        self.grow(rect)
                        self.extra.node(
                            f"{line.rel_id}-word",
                            shape="plaintext",
                            label=dot_text(line.word),
                            fontsize=fmt_pt(WORD_FONT),
                            width=fmt_pt(w / PT),
                            height=fmt_pt(h / PT),
                            fixedsize="true",
                            margin="0",
                            id=f"{line.rel_id}-word",
                            pos=f"{fmt_pt(cx)},{fmt_pt(cy)}",
                            **{"class": REL_CLASS},
                        )
                        return


def _text_rect(block: Rect, lines: list[str], size: float) -> Rect:
    """The caption's text (centred in its block), a little wider than Graphviz sets it."""
    cx = (block[0] + block[2]) / 2
    w = max(_text_width(line, size) for line in lines) if lines else 0
    w = min(w, block[2] - block[0])
    return (cx - w / 2, block[1], cx + w / 2, block[3])


def _symbol_rect(placed: tuple[float, float, float, float]) -> Rect:
    x, y, w, h = placed
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _points_rect(points: list[Point]) -> Rect:
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _inside(p: Point, placed: tuple[float, float, float, float]) -> bool:
    x, y, w, h = placed
    return abs(p[0] - x) <= w / 2 and abs(p[1] - y) <= h / 2


def _clip_end(path: list[Point], placed: tuple[float, float, float, float], at_end: bool = False) -> list[Point]:
    """Start (or end) the path on the symbol's outline rather than at its centre."""
    pts = path[::-1] if at_end else list(path)
    while len(pts) > 2 and _inside(pts[1], placed):
        pts.pop(0)  # the path still runs inside the symbol: leave it from its last point inside
    a, b = pts[0], pts[1]
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = (lo + hi) / 2
        if _inside((a[0] + (b[0] - a[0]) * mid, a[1] + (b[1] - a[1]) * mid), placed):
            lo = mid
        else:
            hi = mid
    pts[0] = (a[0] + (b[0] - a[0]) * hi, a[1] + (b[1] - a[1]) * hi)
    return pts[::-1] if at_end else pts


def _shorten(path: list[Point], by: float, at_end: bool) -> list[Point]:
    pts = path[::-1] if at_end else list(path)
    a, b = pts[0], pts[1]
    step = math.dist(a, b)
    if step > by:
        pts[0] = (a[0] + (b[0] - a[0]) * by / step, a[1] + (b[1] - a[1]) * by / step)
    return pts[::-1] if at_end else pts


GENOGRAM_LEGEND = [
    ("node", {"shape": "square", "width": "0.26", "height": "0.26"}, "Male"),
    ("node", {"shape": "circle", "width": "0.26", "height": "0.26"}, "Female"),
    ("node", {"shape": "diamond", "width": "0.32", "height": "0.32"}, "Other or not known"),
    ("node", {"shape": "triangle", "width": "0.28", "height": "0.25"}, "Pregnancy (unborn child)"),
    (
        "node",
        {"shape": "circle", "width": "0.26", "height": "0.26", "peripheries": "2"},
        "Subject child (double outline)",
    ),
    (
        "node",
        {"shape": "square", "width": "0.26", "height": "0.26", "label": "✕", "fontsize": "20"},
        "Deceased (cross; age at death below)",
    ),
    ("line", {**PARTNER_STYLE["married"]}, "Married"),
    ("line", {**PARTNER_STYLE["cohabiting"]}, "Cohabiting"),
    ("line", {**PARTNER_STYLE["partner"]}, "Partners, not living together"),
    ("line", {**PARTNER_STYLE["separated"], "mark": "/"}, "Separated (or ended)"),
    ("line", {**PARTNER_STYLE["divorced"], "mark": "//"}, "Divorced"),
    ("line", {**PARTNER_STYLE[None]}, "Parents, relationship not recorded"),
    (
        "node",
        {"shape": "box", "style": "rounded,dashed", "width": "0.36", "height": "0.24", "color": "gray30"},
        "Household on the date",
    ),
]
RELATIONSHIP_LEGEND = [
    ("line", {k: v for k, v in EMOTIONAL_STYLE["close"].items() if k != "label"}, "Close (double line)"),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["distant"].items() if k != "label"}, "Distant (dashed)"),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["conflict"].items() if k != "label"}, "Conflict (heavy line)"),
    (
        "line",
        {k: v for k, v in EMOTIONAL_STYLE["abuse"].items() if k != "label"},
        "Abuse (triple line, arrow to the harmed)",
    ),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["cutoff"].items() if k != "label"}, "Cut off (barred ends)"),
    ("line", dict(CARER_STYLE), "Step-parent or carer"),
    ("line", dict(SIBLING_STYLE), "Siblings (recorded)"),
]
LEGEND_STEP = 22.0
LEGEND_WIDTH = 3.4 * PT


def _family_legend(info: GenogramLayout) -> list[tuple[str, dict[str, str], str]]:
    if not any(line.startswith("lives at ") for c in info.captions.values() for line in c):
        return GENOGRAM_LEGEND
    return [*GENOGRAM_LEGEND[:-1], ("node", {"shape": "plaintext"}, "Household: “lives at …” under the name")]


def genogram_final_source(info: GenogramLayout, layout: dict, legend: str = "right") -> str:
    """DOT for the drawing pass (neato -n2): every position pinned, nothing left to lay out."""
    overlay = _Overlay(info, layout)
    overlay.people()
    family_lines = overlay.family_lines()
    box = overlay.box
    router = Router((box[0] - 24, box[1] - 24, box[2] + 24, box[3] + 24), budget=settings.GENOGRAM_ROUTING_BUDGET)
    overlay.walls(router)
    for points in family_lines:
        router.add_family_line(points)
    overlay.relationship_layer(router)
    box = overlay.box
    title = f"Genogram on {format_date(info.at)}"
    if legend == "none":
        family_legend, rel_legend = Drawing(), Drawing()
    elif legend == "below":
        top = box[1] - 24
        family_legend, bottom = draw_legend(_family_legend(info), box[0], top, title, step=LEGEND_STEP)
        rel_legend, rel_bottom = draw_legend(
            RELATIONSHIP_LEGEND,
            box[0] + LEGEND_WIDTH + 20,
            top,
            "Relationship lines",
            step=LEGEND_STEP,
            prefix="rellegend",
            css_class=REL_CLASS,
        )
        box[1] = min(bottom, rel_bottom)
        box[2] = max(box[2], box[0] + 2 * LEGEND_WIDTH + 20)
    else:
        left = box[2] + 30
        family_legend, bottom = draw_legend(_family_legend(info), left, box[3], title, step=LEGEND_STEP)
        rel_legend, rel_bottom = draw_legend(
            RELATIONSHIP_LEGEND,
            left,
            bottom - 12,
            "Relationship lines",
            step=LEGEND_STEP,
            prefix="rellegend",
            css_class=REL_CLASS,
        )
        box[2] = left + LEGEND_WIDTH
        box[1] = min(box[1], rel_bottom)
    nodes = {**overlay.extra.nodes, **family_legend.nodes, **rel_legend.nodes}
    clusters = [
        (cname, cattrs, [n for n in names if n in nodes])
        for cname, cattrs, names in info.drawing.clusters
        if cname.startswith("cluster_h")
    ]
    final = Drawing(
        graph_attr={
            "bb": ",".join(fmt_pt(v) for v in box),
            "pad": "0.3",
            "fontname": FONT,
            "fontsize": "10",
            "outputorder": "edgesfirst",
        },
        node_attr={"fontname": FONT, "fontsize": fmt_pt(CAPTION_FONT)},
        edge_attr={"fontname": FONT},
        nodes=nodes,
        edges=overlay.extra.edges + family_legend.edges + rel_legend.edges,
        clusters=clusters,
    )
    return final.source({"nodes": {}, "clusters": layout["clusters"], "edges": {}})


def render_genogram(
    family: fg.Family,
    at: dt.date,
    fmt: str = "svg",
    link_for: Callable[[int], str] | None = None,
    *,
    legend: str = "right",
) -> bytes:
    """The genogram of the family as it stood on `at`, as SVG or PNG bytes (or Graphviz's json,
    with every coordinate, for tests). `legend` is "right" (pages), "below" or "none" (printed
    packs print it apart: genogram.printing)."""
    check_family_size(len(family.people))
    info, layout = genogram_layout(family, at, link_for)
    if not info.people:
        return empty_drawing(fmt, "No people recorded on this date.")
    return run_graphviz("neato", fmt, genogram_final_source(info, layout, legend), ("-n2",))


def genogram_layout(
    family: fg.Family, at: dt.date, link_for: Callable[[int], str] | None = None
) -> tuple[GenogramLayout, dict]:
    """Step 1: the family laid out by dot with households as boxes; when that would put siblings
    out of birth order (members of one household are kept together), laid out again with each
    person's household written under their name."""
    info = genogram_drawing(family, at, link_for)
    if not info.people:
        return info, {}
    layout = lay_out_with_fallback(info.drawing, "dot")
    if info.drawing.clusters and not _in_birth_order(info, layout):
        info = genogram_drawing(family, at, link_for, household_boxes=False)
        layout = lay_out_with_fallback(info.drawing, "dot")
        if _couples_apart(info, layout):
            # each chain of partnerships kept together (an invisible cluster), if birth order holds
            chained = genogram_drawing(family, at, link_for, household_boxes=False, keep_couples=True)
            chained_layout = lay_out_with_fallback(chained.drawing, "dot")
            if _in_birth_order(chained, chained_layout):
                info, layout = chained, chained_layout
    if not layout["nodes"]:
        raise RenderError("Graphviz returned no layout.")
    return info, layout


def _couples_apart(info: GenogramLayout, layout: dict) -> bool:
    nodes = layout["nodes"]
    people = [(parse_pos(nodes[n]), n) for n in info.people if n in nodes]
    for union in info.unions:
        if len(union.parents) != 2:
            continue
        (ax, ay), (bx, _) = (parse_pos(nodes[f"p{p}"]) for p in union.parents)
        if any(min(ax, bx) < x < max(ax, bx) and abs(y - ay) < 1 for (x, y), _ in people):
            return True
    return False


def _in_birth_order(info: GenogramLayout, layout: dict) -> bool:
    for union in info.unions:
        xs = [parse_pos(layout["nodes"][f"p{c}"])[0] for c in union.children if f"p{c}" in layout["nodes"]]
        if xs != sorted(xs):
            return False
    return True


def genogram_legend_svg(info: GenogramLayout) -> bytes:
    """The two legends side by side, as a drawing of their own (for printed packs)."""
    title = f"Genogram on {format_date(info.at)}"
    family_legend, _ = draw_legend(_family_legend(info), 0, 0, title, step=LEGEND_STEP)
    rel_legend, _ = draw_legend(
        RELATIONSHIP_LEGEND,
        LEGEND_WIDTH + 20,
        0,
        "Relationship lines",
        step=LEGEND_STEP,
        prefix="rellegend",
        css_class=REL_CLASS,
    )
    rows = max(len(_family_legend(info)), len(RELATIONSHIP_LEGEND))
    box = (0.0, -34 - LEGEND_STEP * rows, 2 * LEGEND_WIDTH + 20, 4.0)
    drawing = Drawing(
        graph_attr={"bb": ",".join(fmt_pt(v) for v in box), "pad": "0.1", "fontname": FONT},
        node_attr={"fontname": FONT},
        edge_attr={"fontname": FONT},
        nodes={**family_legend.nodes, **rel_legend.nodes},
        edges=family_legend.edges + rel_legend.edges,
    )
    return run_graphviz("neato", "svg", drawing.source({"nodes": {}, "clusters": {}, "edges": {}}), ("-n2",))


def genogram_dot_source(family: fg.Family, at: dt.date) -> str:
    """The DOT source the layout pass used (for benchmarks and debugging)."""
    drawing = genogram_drawing(family, at).drawing
    lay_out_with_fallback(drawing, "dot")
    return drawing.source()
