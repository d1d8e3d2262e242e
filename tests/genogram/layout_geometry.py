"""What a drawn genogram looks like, read from Graphviz's own output (-Tjson of the drawing pass):
every text's box (from its position, width and font size), every person's symbol and every line's
points, so tests can check overlaps on the real coordinates."""

from __future__ import annotations

import json
from dataclasses import dataclass

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Text:
    owner: str
    text: str
    box: Rect


@dataclass(frozen=True)
class Line:
    owner: str
    css_class: str
    points: tuple[tuple[float, float], ...]


@dataclass
class Geometry:
    texts: list[Text]
    symbols: dict[str, Rect]  # person node name -> its symbol's box
    lines: list[Line]
    positions: dict[str, tuple[float, float]]  # node name -> centre


def _bezier(points: list[list[float]], steps: int = 12) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for k in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[k : k + 4]
        for s in range(steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _texts(owner: str, ops: list[dict]) -> list[Text]:
    size = 14.0
    found = []
    for op in ops:
        if op["op"] == "F":
            size = float(op["size"])
        elif op["op"] == "T" and op["text"].strip():
            x, y = op["pt"]
            width = float(op["width"])
            left = {"l": x, "r": x - width}.get(op["align"], x - width / 2)
            found.append(Text(owner, op["text"], (left, y - 0.22 * size, left + width, y + 0.78 * size)))
    return found


def geometry(json_bytes: bytes) -> Geometry:
    data = json.loads(json_bytes)
    texts: list[Text] = []
    symbols: dict[str, Rect] = {}
    positions: dict[str, tuple[float, float]] = {}
    objects = data.get("objects", [])
    for obj in objects:
        name = obj.get("name", "")
        texts += _texts(name, obj.get("_ldraw_", []))
        if "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(",")[:2])
            positions[name] = (x, y)
        if "genogram-person" in obj.get("class", ""):
            boxes: list[Rect] = []
            for op in obj.get("_draw_", []):
                if op["op"] in ("e", "E"):
                    cx, cy, rx, ry = op["rect"]
                    boxes.append((cx - rx, cy - ry, cx + rx, cy + ry))
                elif op["op"] in ("p", "P"):
                    xs = [p[0] for p in op["points"]]
                    ys = [p[1] for p in op["points"]]
                    boxes.append((min(xs), min(ys), max(xs), max(ys)))
            symbols[name] = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
    lines: list[Line] = []
    for edge in data.get("edges", []):
        owner = edge.get("id", "")
        for op in edge.get("_draw_", []):
            if op["op"] in ("b", "B"):
                lines.append(Line(owner, edge.get("class", ""), tuple(_bezier(op["points"]))))
        texts += _texts(owner, edge.get("_ldraw_", []))
    return Geometry(texts=texts, symbols=symbols, lines=lines, positions=positions)


def overlap(a: Rect, b: Rect, tolerance: float = 0.5) -> bool:
    return a[0] + tolerance < b[2] and b[0] + tolerance < a[2] and a[1] + tolerance < b[3] and b[1] + tolerance < a[3]


def inside(point: tuple[float, float], box: Rect, tolerance: float = 0.5) -> bool:
    return box[0] + tolerance < point[0] < box[2] - tolerance and box[1] + tolerance < point[1] < box[3] - tolerance


def text_overlaps(geo: Geometry) -> list[str]:
    """Pairs of texts of different owners that overlap, and texts over a symbol not their own."""
    problems = []
    texts = sorted(geo.texts, key=lambda t: t.box[0])
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if b.box[0] >= a.box[2]:
                break
            if a.owner != b.owner and overlap(a.box, b.box):
                problems.append(f"{a.text!r} ({a.owner}) overlaps {b.text!r} ({b.owner})")
    for text in geo.texts:
        for name, box in geo.symbols.items():
            if text.owner != name and overlap(text.box, box):
                problems.append(f"{text.text!r} ({text.owner}) overlaps the symbol of {name}")
    return problems


def lines_through_texts(geo: Geometry, css_class: str | None = None) -> list[str]:
    """Lines (of the given class, or all) passing through a text box. A partnership's slashes sit on
    its line by design, and a legend's sample lines are not in the drawing."""
    problems = []
    texts = [t for t in geo.texts if not t.owner.endswith("_slash")]
    for line in geo.lines:
        if css_class is not None and css_class not in line.css_class.split():
            continue
        if line.owner.startswith(("legend", "rellegend")):
            continue
        for text in texts:
            if any(inside(p, text.box) for p in line.points):
                problems.append(f"line {line.owner} passes through {text.text!r} ({text.owner})")
    return problems
