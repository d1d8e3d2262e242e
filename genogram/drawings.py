"""The genogram and ecomap of a case, ready to embed: for pages, the API and PDF packs.

Callers hold the case through cases.selectors.case_for_user (the access check) and audit the
read themselves (a page view, an API read, a pack download).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from cases.models import Case, Person
from genogram import graph as fg
from genogram.ecomap_drawing import render_ecomap
from genogram.gedcom import gedcom_export
from genogram.genogram_drawing import render_genogram
from genogram.graphviz import check_family_size
from genogram.models import PersonGedcom
from genogram.selectors import family_snapshot


@dataclass(frozen=True)
class CaseDrawings:
    genogram_svg: str
    ecomap_svg: str


def _drawable_family(case: Case) -> fg.Family:
    """The case's family, after a count that refuses (FamilyTooLarge) a family too big to draw
    before its rows are loaded."""
    check_family_size(Person.objects.live().filter(case=case).count())
    return family_snapshot(case)


def case_drawings(case: Case, at: dt.date, link_for: Callable[[int], str] | None = None) -> CaseDrawings:
    """The genogram and ecomap SVG (as text) of the case's family as it stood on `at`."""
    family = _drawable_family(case)
    return CaseDrawings(
        genogram_svg=render_genogram(family, at, "svg", link_for).decode("utf-8"),
        ecomap_svg=render_ecomap(family, at, "svg").decode("utf-8"),
    )


def genogram_image(case: Case, at: dt.date, fmt: str, link_for: Callable[[int], str] | None = None) -> bytes:
    return render_genogram(_drawable_family(case), at, fmt, link_for)


def ecomap_image(case: Case, at: dt.date, fmt: str = "svg") -> bytes:
    return render_ecomap(_drawable_family(case), at, fmt)


def genogram_gedcom(case: Case, at: dt.date) -> str:
    precision = dict(PersonGedcom.objects.filter(person__case=case).values_list("person_id", "date_of_death_precision"))
    return gedcom_export(family_snapshot(case), at, precision)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def genogram_node_link(case: Case, at: dt.date) -> dict:
    """The family on `at` as node-link JSON (networkx's node_link_data), with households and generations."""
    family = family_snapshot(case)
    graph = fg.family_graph(family, at)
    generation = fg.generations(family)
    plain = nx.MultiDiGraph()
    for pid, data in graph.nodes(data=True):
        person: fg.PersonData = data["person"]
        plain.add_node(
            pid,
            name=person.name,
            given_name=person.given_name,
            family_name=person.family_name,
            sex=person.sex,
            date_of_birth=_iso(person.date_of_birth),
            date_of_birth_precision=person.date_of_birth_precision,
            date_of_death=_iso(person.date_of_death) if person.is_dead_on(at) else None,
            expected_date_of_delivery=_iso(person.expected_date_of_delivery),
            is_subject=person.is_subject,
            age=person.age_on(at),
            household=data["household"],
            generation=generation.get(pid, 0),
        )
    for src, dst, key, data in graph.edges(keys=True, data=True):
        rel: fg.RelationshipData = data["relationship"]
        plain.add_edge(src, dst, key=key, kind=rel.kind, start_date=_iso(rel.start_date), end_date=_iso(rel.end_date))
    data = nx.node_link_data(plain, edges="links")
    data["at"] = at.isoformat()
    data["households"] = [
        {"id": h.id, "label": h.label, "address": h.address, "members": fg.household_members(family, h.id, at)}
        for h in family.households
    ]
    return data
