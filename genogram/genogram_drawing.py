"""The genogram: the family as it stood on a date, drawn with Graphviz (genogram.graphviz).

Layout pass (`dot`): a partnership is its own point node on the partners' rank, children hang
from it in birth order (`ordering=out` and invisible edges between siblings), each generation is
one `rank=same` group (`newrank=true` lets households, drawn as clusters, cut across ranks), and
emotional lines are `constraint=false` so they never bend the generations.

Drawing pass: names and dates under each symbol, a cross through the deceased, the slashes of a
separation or divorce on the partnership line, and the legend.

Line meanings never rest on colour: every kind has its own pattern, and emotional lines carry a
word as well. Recorded text reaches DOT only through dot_text, links only through dot_url.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from genogram import graph as fg
from genogram.graphviz import (
    FONT,
    PT,
    Drawing,
    bbox,
    check_family_size,
    dot_text,
    dot_url,
    empty_drawing,
    fmt_pt,
    format_date,
    lay_out_with_fallback,
    parse_pos,
    straight,
    two_pass,
)

SYMBOL = 0.55  # inches
LABEL_LINE = 10.0  # points per line of the text under a symbol


def _wrap(text: str, width: int = 16) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def person_caption(person: fg.PersonData, at: dt.date) -> list[str]:
    lines = _wrap(person.name)
    if person.is_unborn_on(at):
        if person.expected_date_of_delivery:
            lines.append(f"due {format_date(person.expected_date_of_delivery)}")
        return lines
    if person.date_of_birth:
        lines.append(f"b. {format_date(person.date_of_birth, person.date_of_birth_precision)}")
    if person.is_dead_on(at) and person.date_of_death:
        lines.append(f"d. {format_date(person.date_of_death)}")
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
SHAPES = {"male": "square", "female": "circle"}


@dataclass
class GenogramLayout:
    drawing: Drawing
    people: dict[str, fg.PersonData]
    union_marks: dict[str, tuple[str, str]]  # union node -> (slashes, caption)


def genogram_drawing(family: fg.Family, at: dt.date, link_for: Callable[[int], str] | None = None) -> GenogramLayout:
    graph = fg.family_graph(family, at)
    generation = fg.generations(family)
    d = Drawing(
        graph_attr={
            "newrank": "true",
            "ordering": "out",
            "nodesep": "0.75",
            "ranksep": "1.0",
            "splines": "true",
            "fontname": FONT,
            "fontsize": "10",
            "pad": "0.3",
        },
        node_attr={"fontname": FONT, "fontsize": "10"},
        edge_attr={"fontname": FONT, "fontsize": "8"},
    )
    people: dict[str, fg.PersonData] = {}
    by_generation: dict[int, list[str]] = {}
    for pid in fg.birth_order(family, graph.nodes):
        person = family.by_id[pid]
        name = f"p{pid}"
        people[name] = person
        unborn = person.is_unborn_on(at)
        shape = "triangle" if unborn else SHAPES.get(person.sex, "diamond")
        age = person.age_on(at)
        size = SYMBOL * (1.25 if shape == "diamond" else 1.0)
        attrs = {
            "shape": shape,
            "fixedsize": "true",
            "width": fmt_pt(size),
            "height": fmt_pt(SYMBOL * (0.9 if unborn else 1.0) * (1.25 if shape == "diamond" else 1.0)),
            "label": dot_text("" if age is None else str(age)),
            "peripheries": "2" if person.is_subject else "1",
            "penwidth": "1.4",
            "tooltip": dot_text(person.name),
            "id": f"person-{pid}",
            "class": "genogram-person" + (" genogram-deceased" if person.is_dead_on(at) else ""),
        }
        if link_for is not None:
            attrs["URL"] = dot_url(link_for(pid))
            attrs["target"] = "_top"
        d.node(name, **attrs)
        by_generation.setdefault(generation.get(pid, 0), []).append(name)

    # households on the date, as clusters
    members: dict[int, list[str]] = {}
    for pid in graph.nodes:
        hid = graph.nodes[pid]["household"]
        if hid is not None:
            members.setdefault(hid, []).append(f"p{pid}")

    # partnerships and shared parenthood: one union node per couple, ordered along chains
    union_marks: dict[str, tuple[str, str]] = {}
    couples = fg.unions(family, at)
    sequence = _partner_sequence(couples)
    single_children: list[tuple[int, int]] = []
    has_union_parent: set[int] = set()
    for index, couple in enumerate(couples):
        u = f"u{index}"
        left, right = sorted((couple.a, couple.b), key=lambda i: sequence.get(i, 0))
        style = PARTNER_STYLE.get(couple.kind if not couple.ended else couple.kind, PARTNER_STYLE[None])
        d.node(u, shape="point", width="0.07", height="0.07", label="", id=f"union-{couple.a}-{couple.b}")
        d.edge(f"p{left}", u, weight="8", **style)
        d.edge(u, f"p{right}", weight="8", **style)
        slashes = PARTNER_SLASHES.get(couple.kind or "", "/" if couple.ended else "")
        caption = ""
        if couple.kind in ("married", "divorced") and couple.start_date:
            caption = f"m. {couple.start_date.year}"
        elif couple.kind and couple.start_date:
            caption = f"{couple.start_date.year}"
        union_marks[u] = (slashes, caption)
        gen = max(generation.get(couple.a, 0), generation.get(couple.b, 0))
        by_generation.setdefault(gen, []).append(u)
        # the union sits in the household the couple shares, else the one its children live in
        # (a union between two clusters is pushed to the edge of the drawing by dot)
        homes = [graph.nodes[i]["household"] for i in (couple.a, couple.b)]
        if homes[0] is None or homes[0] != homes[1]:
            child_homes = [graph.nodes[c]["household"] for c in couple.children]
            homes = [h for h in child_homes if h is not None and h in homes]
        if homes:
            members[max(set(homes), key=homes.count)].append(u)
        previous = None
        for child in couple.children:
            has_union_parent.add(child)
            d.edge(u, f"p{child}", weight="4")
            if previous is not None:
                d.edge(f"p{previous}", f"p{child}", style="invis", weight="2")
            previous = child
    for pid in graph.nodes:
        if pid in has_union_parent:
            continue
        for src, _, data in graph.in_edges(pid, data=True):
            if data["kind"] in fg.LINEAGE_KINDS:
                single_children.append((src, pid))
    for parent, child in sorted(single_children, key=lambda pc: fg._birth_key(family.by_id[pc[1]])):
        d.edge(f"p{parent}", f"p{child}", weight="4")

    # carers who are not parents, and emotional relationships: they never bend the generations
    for src, dst, data in graph.edges(data=True):
        kind = data["kind"]
        if kind in CARER_LABEL:
            d.edge(
                f"p{src}",
                f"p{dst}",
                constraint="false",
                style="dashed",
                dir="forward",
                arrowhead="empty",
                label=dot_text(CARER_LABEL[kind]),
                color="gray25",
            )
        elif kind in EMOTIONAL_STYLE:
            d.edge(f"p{src}", f"p{dst}", constraint="false", **EMOTIONAL_STYLE[kind])
        elif kind == "sibling":
            d.edge(f"p{src}", f"p{dst}", constraint="false", style="dashed", color="gray40", label="sibling")

    for hid, names in sorted(members.items()):
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
                    "fontsize": "10",
                    "margin": "18",
                    "id": f"household-{hid}",
                },
                names,
            )
        )
    d.ranks = [names for _, names in sorted(by_generation.items())]
    return GenogramLayout(drawing=d, people=people, union_marks=union_marks)


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


def _overlay_genogram(layout_info: GenogramLayout, layout: dict, at: dt.date) -> tuple[Drawing, list[float]]:
    """Names and dates under the symbols, crosses through the deceased, partnership slashes."""
    extra = Drawing()
    box = bbox(layout["bb"])
    for name, person in layout_info.people.items():
        if name not in layout["nodes"]:
            continue
        x, y = parse_pos(layout["nodes"][name])
        half = SYMBOL * PT / 2 * (1.25 if SHAPES.get(person.sex) is None else 1.0)
        lines = person_caption(person, at)
        height = LABEL_LINE * len(lines)
        cy = y - half - 4 - height / 2
        extra.node(
            f"{name}_caption",
            shape="plaintext",
            label=dot_text(*lines),
            fontsize="8",
            width=fmt_pt(1.4),
            height=fmt_pt(height / PT),
            fixedsize="true",
            pos=f"{fmt_pt(x)},{fmt_pt(cy)}",
        )
        box[1] = min(box[1], cy - height / 2 - 6)
        if person.is_dead_on(at):
            h = SYMBOL * PT / 2 * 0.95
            for i, (dx1, dy1, dx2, dy2) in enumerate(((-h, -h, h, h), (-h, h, h, -h))):
                a, b = f"{name}_x{i}a", f"{name}_x{i}b"
                extra.node(a, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x + dx1)},{fmt_pt(y + dy1)}")
                extra.node(b, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x + dx2)},{fmt_pt(y + dy2)}")
                extra.edge(
                    a, b, pos=straight(x + dx1, y + dy1, x + dx2, y + dy2), penwidth="1.6", id=f"{name}-cross{i}"
                )
    # household boundaries grow to hold the captions of the people inside them
    for cname, _, names in layout_info.drawing.clusters:
        cluster = layout["clusters"].get(cname)
        if not cluster or "bb" not in cluster:
            continue
        cbox = bbox(cluster["bb"])
        for name in names:
            caption = extra.nodes.get(f"{name}_caption")
            if caption:
                _, cy = parse_pos(caption["pos"])
                cbox[1] = min(cbox[1], cy - float(caption["height"]) * PT / 2 - 4)
        cluster["bb"] = ",".join(fmt_pt(v) for v in cbox)
        box[1] = min(box[1], cbox[1] - 4)
    for union, (slashes, caption) in layout_info.union_marks.items():
        if union not in layout["nodes"]:
            continue
        x, y = parse_pos(layout["nodes"][union])
        if slashes:
            extra.node(
                f"{union}_slash",
                shape="plaintext",
                label=slashes,
                fontsize="18",
                width="0.3",
                height="0.3",
                fixedsize="true",
                pos=f"{fmt_pt(x + 14)},{fmt_pt(y + 1)}",
            )
        if caption:
            extra.node(
                f"{union}_caption",
                shape="plaintext",
                label=dot_text(caption),
                fontsize="8",
                width="0.6",
                height="0.15",
                fixedsize="true",
                pos=f"{fmt_pt(x)},{fmt_pt(y + 9)}",
            )
    return extra, box


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
        "Deceased (cross)",
    ),
    ("line", {**PARTNER_STYLE["married"]}, "Married"),
    ("line", {**PARTNER_STYLE["cohabiting"]}, "Cohabiting"),
    ("line", {**PARTNER_STYLE["partner"]}, "Partners, not living together"),
    ("line", {**PARTNER_STYLE["separated"], "mark": "/"}, "Separated (or ended)"),
    ("line", {**PARTNER_STYLE["divorced"], "mark": "//"}, "Divorced"),
    ("line", {**PARTNER_STYLE[None]}, "Parents, relationship not recorded"),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["close"].items() if k != "label"}, "Close (double line)"),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["distant"].items() if k != "label"}, "Distant (dashed)"),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["conflict"].items() if k != "label"}, "Conflict (heavy line)"),
    (
        "line",
        {k: v for k, v in EMOTIONAL_STYLE["abuse"].items() if k != "label"},
        "Abuse (triple line, arrow to the harmed)",
    ),
    ("line", {k: v for k, v in EMOTIONAL_STYLE["cutoff"].items() if k != "label"}, "Cut off (barred ends)"),
    ("line", {"style": "dashed", "color": "gray25", "dir": "forward", "arrowhead": "empty"}, "Step-parent or carer"),
    (
        "node",
        {"shape": "box", "style": "rounded,dashed", "width": "0.36", "height": "0.24", "color": "gray30"},
        "Household on the date",
    ),
]


def render_genogram(
    family: fg.Family, at: dt.date, fmt: str = "svg", link_for: Callable[[int], str] | None = None
) -> bytes:
    """The genogram of the family as it stood on `at`, as SVG or PNG bytes."""
    check_family_size(len(family.people))
    info = genogram_drawing(family, at, link_for)
    if not info.people:
        return empty_drawing(fmt, "No people recorded on this date.")
    return two_pass(
        info.drawing,
        "dot",
        lambda layout: _overlay_genogram(info, layout, at),
        GENOGRAM_LEGEND,
        f"Genogram on {format_date(at)}",
        fmt,
    )


def genogram_dot_source(family: fg.Family, at: dt.date) -> str:
    """The DOT source the layout pass used (for benchmarks and debugging)."""
    drawing = genogram_drawing(family, at).drawing
    lay_out_with_fallback(drawing, "dot")
    return drawing.source()
