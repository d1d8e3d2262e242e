"""Running Graphviz, and the building blocks the genogram and the ecomap drawings share.

Every drawing takes two passes, both through the system's Graphviz with a timeout
(settings.GRAPHVIZ_TIMEOUT_SECONDS):

1. layout: `dot` (genogram) or `twopi` (ecomap) lays out a Drawing and returns positions as JSON
   (lay_out).
2. drawing: `neato -n2` draws the laid-out graph unchanged, plus what a layout engine cannot
   place (an overlay the drawing supplies) and the legend (two_pass).

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

FONT = "Helvetica"
PT = 72.0


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
    sizes: dict[str, tuple[float, float]] = {}
    clusters: dict[str, dict[str, str]] = {}
    for obj in data.get("objects", []):
        if "nodes" in obj or "bb" in obj:
            if str(obj.get("name", "")).startswith("cluster"):
                clusters[obj["name"]] = {k: obj[k] for k in ("bb", "lp") if k in obj}
        elif "pos" in obj:
            nodes[obj["name"]] = obj["pos"]
            if "width" in obj and "height" in obj:
                sizes[obj["name"]] = (float(obj["width"]) * PT, float(obj["height"]) * PT)
    edges = {e["id"]: {k: e[k] for k in ("pos", "lp") if k in e} for e in data.get("edges", []) if "id" in e}
    return {"bb": data.get("bb", "0,0,0,0"), "nodes": nodes, "sizes": sizes, "clusters": clusters, "edges": edges}


def parse_pos(pos: str) -> tuple[float, float]:
    x, y = pos.rstrip("!").split(",")[:2]
    return float(x), float(y)


def bbox(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def fmt_pt(v: float) -> str:
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


# --- the second pass: overlay, legend and pinned positions -----------------------------------


def straight(x1: float, y1: float, x2: float, y2: float) -> str:
    """A straight line as a one-segment Bezier spline (control points a third of the way along)."""
    points = [(x1 + (x2 - x1) * t / 3, y1 + (y2 - y1) * t / 3) for t in range(4)]
    return " ".join(f"{fmt_pt(px)},{fmt_pt(py)}" for px, py in points)


def draw_legend(
    entries: list[tuple[str, dict[str, str], str]],
    left: float,
    top: float,
    title: str,
    *,
    step: float = 26,
    prefix: str = "legend",
    css_class: str = "",
) -> tuple[Drawing, float]:
    """A legend column: each entry is (kind "node" or "line", attributes, text). Returns its bottom y.

    `prefix` names its nodes (two legends in one drawing need two), `css_class` marks every part
    of it (the page can hide a legend group with the lines it explains)."""
    d = _legend_column(entries, left, top, title, step)
    if prefix != "legend" or css_class:
        renamed = Drawing()
        for name, attrs in d.nodes.items():
            renamed.node(prefix + name.removeprefix("legend"), **_with_class(attrs, css_class))
        for tail, head, attrs in d.edges:
            attrs = _with_class(attrs, css_class)
            attrs["id"] = prefix + attrs["id"].removeprefix("legend")
            renamed.edges.append((prefix + tail.removeprefix("legend"), prefix + head.removeprefix("legend"), attrs))
        d = renamed
    return d, top - 34 - step * len(entries)


def _with_class(attrs: dict[str, str], css_class: str) -> dict[str, str]:
    if not css_class:
        return dict(attrs)
    return {**attrs, "class": f"{attrs['class']} {css_class}" if attrs.get("class") else css_class}


def _legend_column(
    entries: list[tuple[str, dict[str, str], str]], left: float, top: float, title: str, step: float
) -> Drawing:
    d = Drawing()
    d.node(
        "legend_title",
        shape="plaintext",
        label=dot_text(title),
        fontsize="11",
        fontname=FONT,
        width="2.6",
        height="0.25",
        fixedsize="true",
        pos=f"{fmt_pt(left + 2.6 * PT / 2)},{fmt_pt(top - 9)}",
    )
    y = top - 34
    for i, (kind, attrs, text) in enumerate(entries):
        if kind == "node":
            d.node(
                f"legend_{i}", **{"fixedsize": "true", "label": "", **attrs, "pos": f"{fmt_pt(left + 18)},{fmt_pt(y)}"}
            )
        else:
            a, b = f"legend_{i}a", f"legend_{i}b"
            x1, x2 = left + 4, left + 34
            d.node(a, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x1)},{fmt_pt(y)}")
            d.node(b, shape="point", style="invis", width="0.01", pos=f"{fmt_pt(x2)},{fmt_pt(y)}")
            line = {k: v for k, v in attrs.items() if k not in ("label", "mark")}
            line["pos"] = straight(x1, y, x2, y)
            if line.get("dir") in ("forward", "both"):
                line["pos"] = f"e,{fmt_pt(x2 + 6)},{fmt_pt(y)} " + line["pos"]
            if line.get("dir") in ("back", "both"):
                line["pos"] = f"s,{fmt_pt(x1 - 6)},{fmt_pt(y)} " + line["pos"]
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
                    pos=f"{fmt_pt(left + 19)},{fmt_pt(y + 1)}",
                )
        d.node(
            f"legend_{i}_text",
            shape="plaintext",
            label=dot_text(text, end="\\l"),
            fontsize="9",
            width="2.5",
            height="0.2",
            fixedsize="true",
            pos=f"{fmt_pt(left + 46 + 1.25 * PT)},{fmt_pt(y)}",
        )
        y -= step
    return d


def lay_out_with_fallback(drawing: Drawing, engine: str) -> dict:
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


def two_pass(drawing: Drawing, engine: str, overlay: Callable[[dict], tuple[Drawing, list[float]]], legend, title, fmt):
    layout = lay_out_with_fallback(drawing, engine)
    extra, box = overlay(layout)
    legend_left = box[2] + 30
    legend_drawing, bottom = draw_legend(legend, legend_left, box[3], title)
    box[2] = legend_left + 3.4 * PT
    box[1] = min(box[1], bottom)
    final = Drawing(
        graph_attr={**drawing.graph_attr, "bb": ",".join(fmt_pt(v) for v in box), "splines": "true"},
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


def empty_drawing(fmt: str, message: str) -> bytes:
    g = graphviz.Graph("G", graph_attr={"pad": "0.3"})
    g.node("empty", label=dot_text(message), shape="plaintext", fontname=FONT)
    return run_graphviz("dot", fmt, g.source)
