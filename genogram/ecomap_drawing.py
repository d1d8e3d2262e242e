"""The ecomap: the child's household at the centre and its links to agencies and resources, drawn
with Graphviz (genogram.graphviz). Line meanings never rest on colour: every strength has its own
pattern and every line carries a word. Recorded text reaches DOT only through dot_text.
"""

from __future__ import annotations

import datetime as dt

from genogram import graph as fg
from genogram.graphviz import FONT, Drawing, bbox, check_family_size, dot_text, format_date, two_pass

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
    return two_pass(
        drawing,
        "twopi",
        lambda layout: (Drawing(), bbox(layout["bb"])),
        ECOMAP_LEGEND,
        f"Ecomap on {format_date(at)}",
        fmt,
    )
