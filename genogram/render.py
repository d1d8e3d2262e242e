"""Drawing the genogram and the ecomap with Graphviz.

Two passes, both through the system's Graphviz with a timeout (settings.GRAPHVIZ_TIMEOUT_SECONDS):

1. layout: `dot` (genogram) or `neato` (ecomap) lays out the family and returns positions as JSON.
   A partnership is its own point node on the partners' rank, children hang from it in birth
   order (`ordering=out` and invisible edges between siblings), each generation is one
   `rank=same` group (`newrank=true` lets households, drawn as clusters, cut across ranks), and
   emotional lines are `constraint=false` so they never bend the generations.
2. drawing: `neato -n2` draws the laid-out graph unchanged, plus what a layout engine cannot
   place: names and dates under each symbol, a cross through the deceased, the slashes of a
   separation or divorce on the partnership line, and the legend.

Line meanings never rest on colour: every kind has its own pattern, and emotional and ecomap
lines carry a word as well.

Recorded text (names, household labels, resource names) reaches DOT only through dot_text, which
escapes the whole final value: it is always a quoted DOT string shown exactly as typed, never an
HTML-like label, so it can add no link or markup to a drawing and cannot make dot fail. The only
links are the service's own pages (dot_url).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

import graphviz
from django.conf import settings

from genogram import graph as fg

FONT = "Helvetica"
SYMBOL = 0.55  # inches
PT = 72.0
LABEL_LINE = 10.0  # points per line of the text under a symbol


class RenderError(RuntimeError):
    """Graphviz failed or took longer than settings.GRAPHVIZ_TIMEOUT_SECONDS."""


class FamilyTooLarge(RenderError):
    """The family has more people than a drawing shows (settings.GENOGRAM_MAX_PEOPLE_PER_CASE).

    Not a passing failure: the same family fails the same way until people are removed, so the
    message says the limit instead of asking to try again."""


def check_family_size(people: int) -> None:
    """Refuse, before any layout work, a family bigger than a drawing can show within the timeout
    (a family of 1,000 is drawn in a few seconds; several thousand take dot past its timeout)."""
    limit = settings.GENOGRAM_MAX_PEOPLE_PER_CASE
    if people > limit:
        raise FamilyTooLarge(
            f"This case has {people:,} people recorded; a genogram or ecomap is drawn for at most "
            f"{limit:,} people. The family can still be exported as GEDCOM or JSON."
        )


def run_graphviz(engine: str, fmt: str, source: str, extra: tuple[str, ...] = ()) -> bytes:
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, the source goes to stdin
            [getattr(settings, "GRAPHVIZ_DOT_PATH", "dot"), f"-K{engine}", f"-T{fmt}", *extra],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=settings.GRAPHVIZ_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz took longer than {settings.GRAPHVIZ_TIMEOUT_SECONDS} seconds.")
    if done.returncode != 0:
        raise RenderError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace')[:500]}")
    return done.stdout


# --- a small description of a drawing, turned into DOT for either pass -----------------------


@dataclass
class Drawing:
    graph_attr: dict[str, str] = field(default_factory=dict)
    node_attr: dict[str, str] = field(default_factory=dict)
    edge_attr: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    clusters: list[tuple[str, dict[str, str], list[str]]] = field(default_factory=list)
    ranks: list[list[str]] = field(default_factory=list)

    def node(self, name: str, **attrs: str) -> None:
        self.nodes[name] = attrs

    def edge(self, tail: str, head: str, **attrs: str) -> None:
        attrs.setdefault("id", f"e{len(self.edges)}")
        self.edges.append((tail, head, attrs))

    def source(self, layout: dict | None = None) -> str:
        """DOT for the layout pass, or, given a layout, for the drawing pass with every position pinned."""
        g = graphviz.Graph("G", graph_attr=self.graph_attr, node_attr=self.node_attr, edge_attr=self.edge_attr)
        in_cluster = {name for _, _, members in self.clusters for name in members}
        node_pos = layout["nodes"] if layout else {}
        for cname, cattrs, members in self.clusters:
            with g.subgraph(name=cname) as sub:
                attrs = dict(cattrs)
                if layout and cname in layout["clusters"]:
                    attrs.update(layout["clusters"][cname])
                sub.attr(**attrs)
                for member in members:
                    sub.node(member, **self._pinned(member, node_pos))
        for name in self.nodes:
            if name not in in_cluster:
                g.node(name, **self._pinned(name, node_pos))
        if not layout:
            for rank in self.ranks:
                with g.subgraph() as sub:
                    sub.attr(rank="same")
                    for name in rank:
                        sub.node(name)
        for tail, head, attrs in self.edges:
            attrs = dict(attrs)
            if layout:
                if attrs.get("style") == "invis":
                    continue
                attrs.update(layout["edges"].get(attrs["id"], {}))
            g.edge(tail, head, **attrs)
        return g.source

    def _pinned(self, name: str, node_pos: dict) -> dict[str, str]:
        attrs = dict(self.nodes[name])
        if name in node_pos:
            attrs["pos"] = node_pos[name]
        return attrs


def lay_out(drawing: Drawing, engine: str) -> dict:
    data = json.loads(run_graphviz(engine, "json0", drawing.source()))
    nodes: dict[str, str] = {}
    clusters: dict[str, dict[str, str]] = {}
    for obj in data.get("objects", []):
        if "nodes" in obj or "bb" in obj:
            if str(obj.get("name", "")).startswith("cluster"):
                clusters[obj["name"]] = {k: obj[k] for k in ("bb", "lp") if k in obj}
        elif "pos" in obj:
            nodes[obj["name"]] = obj["pos"]
    edges = {e["id"]: {k: e[k] for k in ("pos", "lp") if k in e} for e in data.get("edges", []) if "id" in e}
    return {"bb": data.get("bb", "0,0,0,0"), "nodes": nodes, "clusters": clusters, "edges": edges}


def _xy(pos: str) -> tuple[float, float]:
    x, y = pos.rstrip("!").split(",")[:2]
    return float(x), float(y)


def _bb(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def _fmt(v: float) -> str:
    return f"{v:.2f}"


# --- text --------------------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_date(value: dt.date, precision: str = "day") -> str:
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    if precision == "estimated":
        return f"c. {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _literal(text: str) -> str:
    """One line of text shown as written: control characters (line breaks too) become spaces,
    backslashes are doubled (no \\N, \\G or \\l escapes) and "&" is written "&amp;" (Graphviz reads
    entities such as "&lt;" in labels)."""
    return _CONTROL.sub(" ", str(text)).replace("\\", "\\\\").replace("&", "&amp;")


def dot_text(*lines: str, end: str = "") -> str:
    """A DOT label or tooltip made of lines of literal text, escaped as one whole value.

    Every label, tooltip and other text attribute built from recorded data goes through here. The
    value is marked as not HTML-like (graphviz.nohtml) after it is complete, so it is always written
    as a quoted string, even when the text starts with "<" and ends with ">"; joining escaped parts
    would make a plain str again and lose that mark. `end` is a DOT line ending ("\\l") or nothing.
    """
    if end not in ("", "\\n", "\\l", "\\r"):
        raise ValueError(f"Not a DOT line ending: {end!r}")
    return graphviz.nohtml("\\n".join(_literal(line) for line in lines) + end)


def dot_url(url: str) -> str:
    """A link into the service: a path on this site only (no scheme, no other host), escaped as a whole."""
    if not url.startswith("/") or url.startswith("//") or "\\" in url or _CONTROL.search(url):
        raise ValueError(f"Drawings link only to the service's own pages, not {url!r}.")
    return graphviz.nohtml(url.replace("&", "&amp;").replace('"', "%22").replace("<", "%3C").replace(">", "%3E"))


# --- the genogram ------------------------------------------------------------------------------

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
            "width": _fmt(size),
            "height": _fmt(SYMBOL * (0.9 if unborn else 1.0) * (1.25 if shape == "diamond" else 1.0)),
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
    box = _bb(layout["bb"])
    for name, person in layout_info.people.items():
        if name not in layout["nodes"]:
            continue
        x, y = _xy(layout["nodes"][name])
        half = SYMBOL * PT / 2 * (1.25 if SHAPES.get(person.sex) is None else 1.0)
        lines = person_caption(person, at)
        height = LABEL_LINE * len(lines)
        cy = y - half - 4 - height / 2
        extra.node(
            f"{name}_caption",
            shape="plaintext",
            label=dot_text(*lines),
            fontsize="8",
            width=_fmt(1.4),
            height=_fmt(height / PT),
            fixedsize="true",
            pos=f"{_fmt(x)},{_fmt(cy)}",
        )
        box[1] = min(box[1], cy - height / 2 - 6)
        if person.is_dead_on(at):
            h = SYMBOL * PT / 2 * 0.95
            for i, (dx1, dy1, dx2, dy2) in enumerate(((-h, -h, h, h), (-h, h, h, -h))):
                a, b = f"{name}_x{i}a", f"{name}_x{i}b"
                extra.node(a, shape="point", style="invis", width="0.01", pos=f"{_fmt(x + dx1)},{_fmt(y + dy1)}")
                extra.node(b, shape="point", style="invis", width="0.01", pos=f"{_fmt(x + dx2)},{_fmt(y + dy2)}")
                extra.edge(
                    a, b, pos=_straight(x + dx1, y + dy1, x + dx2, y + dy2), penwidth="1.6", id=f"{name}-cross{i}"
                )
    # household boundaries grow to hold the captions of the people inside them
    for cname, _, names in layout_info.drawing.clusters:
        cluster = layout["clusters"].get(cname)
        if not cluster or "bb" not in cluster:
            continue
        cbox = _bb(cluster["bb"])
        for name in names:
            caption = extra.nodes.get(f"{name}_caption")
            if caption:
                _, cy = _xy(caption["pos"])
                cbox[1] = min(cbox[1], cy - float(caption["height"]) * PT / 2 - 4)
        cluster["bb"] = ",".join(_fmt(v) for v in cbox)
        box[1] = min(box[1], cbox[1] - 4)
    for union, (slashes, caption) in layout_info.union_marks.items():
        if union not in layout["nodes"]:
            continue
        x, y = _xy(layout["nodes"][union])
        if slashes:
            extra.node(
                f"{union}_slash",
                shape="plaintext",
                label=slashes,
                fontsize="18",
                width="0.3",
                height="0.3",
                fixedsize="true",
                pos=f"{_fmt(x + 14)},{_fmt(y + 1)}",
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
                pos=f"{_fmt(x)},{_fmt(y + 9)}",
            )
    return extra, box


def _straight(x1: float, y1: float, x2: float, y2: float) -> str:
    """A straight line as a one-segment Bezier spline (control points a third of the way along)."""
    points = [(x1 + (x2 - x1) * t / 3, y1 + (y2 - y1) * t / 3) for t in range(4)]
    return " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points)


def _legend(
    entries: list[tuple[str, dict[str, str], str]], left: float, top: float, title: str
) -> tuple[Drawing, float]:
    """A legend column: each entry is (kind "node" or "line", attributes, text). Returns its bottom y."""
    d = Drawing()
    d.node(
        "legend_title",
        shape="plaintext",
        label=dot_text(title),
        fontsize="11",
        fontname=f"{FONT} Bold",
        width="2.6",
        height="0.25",
        fixedsize="true",
        pos=f"{_fmt(left + 2.6 * PT / 2)},{_fmt(top - 9)}",
    )
    y = top - 34
    for i, (kind, attrs, text) in enumerate(entries):
        if kind == "node":
            d.node(f"legend_{i}", **{"fixedsize": "true", "label": "", **attrs, "pos": f"{_fmt(left + 18)},{_fmt(y)}"})
        else:
            a, b = f"legend_{i}a", f"legend_{i}b"
            x1, x2 = left + 4, left + 34
            d.node(a, shape="point", style="invis", width="0.01", pos=f"{_fmt(x1)},{_fmt(y)}")
            d.node(b, shape="point", style="invis", width="0.01", pos=f"{_fmt(x2)},{_fmt(y)}")
            line = {k: v for k, v in attrs.items() if k not in ("label", "mark")}
            line["pos"] = _straight(x1, y, x2, y)
            if line.get("dir") in ("forward", "both"):
                line["pos"] = f"e,{_fmt(x2 + 6)},{_fmt(y)} " + line["pos"]
            if line.get("dir") in ("back", "both"):
                line["pos"] = f"s,{_fmt(x1 - 6)},{_fmt(y)} " + line["pos"]
            d.edge(a, b, **line, id=f"legend-line-{i}")
            if attrs.get("mark"):
                d.node(
                    f"legend_{i}_mark",
                    shape="plaintext",
                    label=attrs["mark"],
                    fontsize="14",
                    width="0.2",
                    height="0.2",
                    fixedsize="true",
                    pos=f"{_fmt(left + 19)},{_fmt(y + 1)}",
                )
        d.node(
            f"legend_{i}_text",
            shape="plaintext",
            label=dot_text(text, end="\\l"),
            fontsize="9",
            width="2.5",
            height="0.2",
            fixedsize="true",
            pos=f"{_fmt(left + 46 + 1.25 * PT)},{_fmt(y)}",
        )
        y -= 26
    return d, y


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


def _lay_out_with_fallback(drawing: Drawing, engine: str) -> dict:
    try:
        return lay_out(drawing, engine)
    except RenderError as exc:
        # dot's ranking can fail ("trouble in init_rank") on some mixes of rank groups and clusters:
        # lay out without the generation groups (edges still keep children below their parents)
        if "init_rank" not in str(exc) or not drawing.ranks:
            raise
        drawing.ranks = []
        drawing.graph_attr.pop("newrank", None)
        return lay_out(drawing, engine)


def _two_pass(
    drawing: Drawing, engine: str, overlay: Callable[[dict], tuple[Drawing, list[float]]], legend, title, fmt
):
    layout = _lay_out_with_fallback(drawing, engine)
    extra, box = overlay(layout)
    legend_left = box[2] + 30
    legend_drawing, bottom = _legend(legend, legend_left, box[3], title)
    box[2] = legend_left + 3.4 * PT
    box[1] = min(box[1], bottom)
    final = Drawing(
        graph_attr={**drawing.graph_attr, "bb": ",".join(_fmt(v) for v in box), "splines": "true"},
        node_attr=drawing.node_attr,
        edge_attr=drawing.edge_attr,
        nodes={**drawing.nodes, **extra.nodes, **legend_drawing.nodes},
        edges=drawing.edges + extra.edges + legend_drawing.edges,
        clusters=drawing.clusters,
    )
    # pin the overlay's own positions through the layout table
    pins = {
        "nodes": {**layout["nodes"]},
        "clusters": layout["clusters"],
        "edges": {**layout["edges"]},
    }
    for name, attrs in {**extra.nodes, **legend_drawing.nodes}.items():
        pins["nodes"][name] = attrs["pos"]
    for _, _, attrs in extra.edges + legend_drawing.edges:
        pins["edges"][attrs["id"]] = {"pos": attrs["pos"]}
    return run_graphviz("neato", fmt, final.source(pins), ("-n2",))


def render_genogram(
    family: fg.Family, at: dt.date, fmt: str = "svg", link_for: Callable[[int], str] | None = None
) -> bytes:
    """The genogram of the family as it stood on `at`, as SVG or PNG bytes."""
    check_family_size(len(family.people))
    info = genogram_drawing(family, at, link_for)
    if not info.people:
        return _empty(fmt, "No people recorded on this date.")
    return _two_pass(
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
    _lay_out_with_fallback(drawing, "dot")
    return drawing.source()


def _empty(fmt: str, message: str) -> bytes:
    g = graphviz.Graph("G", graph_attr={"pad": "0.3"})
    g.node("empty", label=dot_text(message), shape="plaintext", fontname=FONT)
    return run_graphviz("dot", fmt, g.source)


# --- the ecomap --------------------------------------------------------------------------------

STRENGTH_STYLE = {
    "strong": {"penwidth": "3.5", "style": "solid", "color": "#00703c"},
    "tenuous": {"penwidth": "1.2", "style": "dashed", "color": "gray20"},
    "stressful": {"penwidth": "1.2", "style": "solid", "color": "#d4351c:invis:#d4351c:invis:#d4351c"},
}
DIRECTION_DIR = {"to_resource": "forward", "from_resource": "back", "both": "both", "none": "none"}


def ecomap_centre(family: fg.Family, at: dt.date, child_id: int | None = None) -> int | None:
    """The household at the centre: the given child's, else the first subject child's on the date."""
    candidates = [child_id] if child_id else []
    candidates += [p.id for p in sorted(family.people, key=fg._birth_key) if p.is_subject and p.exists_on(at)]
    for pid in candidates:
        hid = fg.household_of(family, pid, at)
        if hid is not None:
            return hid
    return None


def ecomap_drawing(family: fg.Family, at: dt.date, child_id: int | None = None) -> Drawing:
    d = Drawing(
        graph_attr={
            "root": "centre",
            "ranksep": "3.0",
            "overlap": "false",
            "splines": "true",
            "fontname": FONT,
            "pad": "0.3",
        },
        node_attr={"fontname": FONT, "fontsize": "10"},
        edge_attr={"fontname": FONT, "fontsize": "8", "len": "2.4"},
    )
    centre = ecomap_centre(family, at, child_id)
    members = set(fg.household_members(family, centre, at)) if centre is not None else set()
    if centre is not None:
        household = family.household_by_id[centre]
        names = [family.by_id[i].name + (" (subject)" if family.by_id[i].is_subject else "") for i in members]
        names = [family.by_id[i].name for i in fg.birth_order(family, members)]
        label = dot_text(household.label, *names)
        d.node(
            "centre",
            shape="ellipse",
            peripheries="2",
            label=label,
            style="filled",
            fillcolor="#f3f2f1",
            id=f"household-{centre}",
            width="2.2",
        )
    else:
        d.node("centre", shape="ellipse", label="No household recorded\\non this date")
    resources: dict[str, str] = {}
    outsiders: set[int] = set()
    for link in family.ecomap_links:
        if not link.active_on(at):
            continue
        if link.household_id is not None and link.household_id != centre:
            continue
        if link.person_id is not None and link.person_id not in family.by_id:
            continue
        key = link.resource_name.strip().lower()
        if key not in resources:
            resources[key] = f"r{len(resources)}"
            d.node(
                resources[key],
                shape="box",
                style="rounded",
                label=dot_text(link.resource_name),
                id=f"resource-{len(resources)}",
            )
        tail = "centre"
        label = link.strength
        if link.person_id is not None:
            if link.person_id in members:
                label = f"{family.by_id[link.person_id].name}: {link.strength}"
            else:
                tail = f"p{link.person_id}"
                if link.person_id not in outsiders:
                    outsiders.add(link.person_id)
                    person = family.by_id[link.person_id]
                    d.node(
                        tail,
                        shape="box",
                        style="dashed",
                        label=dot_text(person.name, "(lives elsewhere)"),
                        id=f"person-{person.id}",
                    )
                    d.edge("centre", tail, style="invis")
        d.edge(
            tail,
            resources[key],
            dir=DIRECTION_DIR.get(link.direction, "none"),
            label=dot_text(label),
            id=f"link-{link.id}",
            **STRENGTH_STYLE.get(link.strength, {}),
        )
    return d


ECOMAP_LEGEND = [
    ("line", dict(STRENGTH_STYLE["strong"].items()), "Strong (heavy line)"),
    ("line", dict(STRENGTH_STYLE["tenuous"].items()), "Tenuous (dashed)"),
    ("line", dict(STRENGTH_STYLE["stressful"].items()), "Stressful (triple line)"),
    ("line", {"dir": "forward"}, "Energy flows in the arrow's direction"),
    ("line", {"dir": "both", "arrowtail": "normal"}, "Energy flows both ways"),
    ("node", {"shape": "ellipse", "peripheries": "2", "width": "0.36", "height": "0.24"}, "The child's household"),
    ("node", {"shape": "box", "style": "rounded", "width": "0.36", "height": "0.24"}, "Agency or resource"),
]


def render_ecomap(family: fg.Family, at: dt.date, fmt: str = "svg", child_id: int | None = None) -> bytes:
    check_family_size(len(family.people))
    drawing = ecomap_drawing(family, at, child_id)
    return _two_pass(
        drawing,
        "twopi",
        lambda layout: (Drawing(), _bb(layout["bb"])),
        ECOMAP_LEGEND,
        f"Ecomap on {format_date(at)}",
        fmt,
    )
