"""The family as it stood on a date, and the questions the rest of the product asks of it.

Everything here is a pure function over plain data (a `Family` of frozen dataclasses): no ORM,
no queries. `genogram.selectors.family_snapshot(case)` builds a Family from the database with a
fixed number of queries; the flags engine and tests can build one in memory.

Date ranges are half-open, as in genogram.models: a record holds on d when start <= d < end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent", "foster_carer", "kinship_carer"})
LINEAGE_KINDS = frozenset({"biological_parent", "adoptive_parent"})
PARTNERSHIP_KINDS = frozenset({"married", "cohabiting", "partner", "separated", "divorced"})
CURRENT_PARTNERSHIP_KINDS = frozenset({"married", "cohabiting", "partner"})
EMOTIONAL_KINDS = frozenset({"close", "distant", "conflict", "abuse", "cutoff"})
ADULT_AGE = 18
PREGNANCY = dt.timedelta(weeks=40)


@dataclass(frozen=True)
class PersonData:
    id: int
    given_name: str = ""
    family_name: str = ""
    known_as: str = ""
    sex: str = "unknown"
    date_of_birth: dt.date | None = None
    date_of_birth_precision: str = "day"
    date_of_death: dt.date | None = None
    expected_date_of_delivery: dt.date | None = None
    is_subject: bool = False

    @property
    def name(self) -> str:
        full = " ".join(p for p in (self.given_name, self.family_name) if p)
        return full or self.known_as or "Unnamed person"

    def exists_on(self, on: dt.date) -> bool:
        """Born by then; or a pregnancy by then (up to 40 weeks before the expected date of delivery)."""
        if self.date_of_birth is not None:
            return self.date_of_birth <= on
        if self.expected_date_of_delivery is not None:
            return on >= self.expected_date_of_delivery - PREGNANCY
        return True

    def is_unborn_on(self, on: dt.date) -> bool:
        return self.date_of_birth is None and self.expected_date_of_delivery is not None

    def is_dead_on(self, on: dt.date) -> bool:
        return self.date_of_death is not None and self.date_of_death <= on

    def age_on(self, on: dt.date) -> int | None:
        dob = self.date_of_birth
        if dob is None or on < dob:
            return None
        end = min(on, self.date_of_death) if self.date_of_death else on
        return end.year - dob.year - ((end.month, end.day) < (dob.month, dob.day))

    def is_adult_on(self, on: dt.date) -> bool:
        """Unknown age counts as adult unless the person is unborn: an adult nobody has identified is the risk."""
        if self.is_unborn_on(on):
            return False
        age = self.age_on(on)
        return age is None or age >= ADULT_AGE


@dataclass(frozen=True)
class RelationshipData:
    id: int
    from_id: int
    to_id: int
    kind: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def active_on(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on < self.end_date)

    def started_by(self, on: dt.date) -> bool:
        return self.start_date is None or self.start_date <= on


@dataclass(frozen=True)
class HouseholdData:
    id: int
    label: str
    address: str = ""


@dataclass(frozen=True)
class MembershipData:
    person_id: int
    household_id: int
    from_date: dt.date
    to_date: dt.date | None = None

    def active_on(self, on: dt.date) -> bool:
        return self.from_date <= on and (self.to_date is None or on < self.to_date)


@dataclass(frozen=True)
class EcomapLinkData:
    id: int
    resource_name: str
    strength: str
    direction: str = "none"
    resource_kind: str = "agency"
    person_id: int | None = None
    household_id: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def active_on(self, on: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on < self.end_date)


@dataclass(frozen=True)
class Family:
    people: tuple[PersonData, ...] = ()
    relationships: tuple[RelationshipData, ...] = ()
    households: tuple[HouseholdData, ...] = ()
    memberships: tuple[MembershipData, ...] = ()
    ecomap_links: tuple[EcomapLinkData, ...] = ()

    @cached_property
    def by_id(self) -> dict[int, PersonData]:
        return {p.id: p for p in self.people}

    @cached_property
    def household_by_id(self) -> dict[int, HouseholdData]:
        return {h.id: h for h in self.households}


@dataclass(frozen=True)
class ParentFigure:
    person_id: int
    role: str  # a parent relationship kind, or "parent_partner": the current partner of a parent
    lives_with_child: bool


@dataclass(frozen=True)
class Siblings:
    full: tuple[int, ...] = ()
    half: tuple[int, ...] = ()
    step: tuple[int, ...] = ()
    recorded: tuple[int, ...] = ()  # a `sibling` relationship with no shared parent recorded

    @property
    def all(self) -> tuple[int, ...]:
        return self.full + self.half + self.step + self.recorded


# --- the graph -------------------------------------------------------------------------------


def family_graph(family: Family, at: dt.date) -> nx.MultiDiGraph:
    """People who existed on `at` (deceased ones included) and the relationships that held then.

    Nodes carry the PersonData (`person`) and the household they lived in (`household`, or None);
    edges go from_id -> to_id with `kind` and `relationship` (the RelationshipData).
    """
    graph = nx.MultiDiGraph(at=at)
    for person in family.people:
        if person.exists_on(at):
            graph.add_node(person.id, person=person, household=None)
    for membership in family.memberships:
        if membership.active_on(at) and membership.person_id in graph:
            graph.nodes[membership.person_id]["household"] = membership.household_id
    for rel in family.relationships:
        if rel.active_on(at) and rel.from_id in graph and rel.to_id in graph:
            graph.add_edge(rel.from_id, rel.to_id, key=rel.id, kind=rel.kind, relationship=rel)
    return graph


def _in_kinds(graph: nx.MultiDiGraph, node: int, kinds: frozenset[str]) -> list[tuple[int, str]]:
    if node not in graph:
        return []
    return [(src, data["kind"]) for src, _, data in graph.in_edges(node, data=True) if data["kind"] in kinds]


def _out_kinds(graph: nx.MultiDiGraph, node: int, kinds: frozenset[str]) -> list[tuple[int, str]]:
    if node not in graph:
        return []
    return [(dst, data["kind"]) for _, dst, data in graph.out_edges(node, data=True) if data["kind"] in kinds]


def _partners(graph: nx.MultiDiGraph, node: int, kinds: frozenset[str] = CURRENT_PARTNERSHIP_KINDS) -> set[int]:
    return {other for other, _ in _out_kinds(graph, node, kinds)} | {
        other for other, _ in _in_kinds(graph, node, kinds)
    }


# --- households ------------------------------------------------------------------------------


def household_of(family: Family, person_id: int, at: dt.date) -> int | None:
    """The household the person lived in on `at`, or None when none is recorded."""
    for membership in family.memberships:
        if membership.person_id == person_id and membership.active_on(at):
            return membership.household_id
    return None


def household_members(family: Family, household_id: int, at: dt.date) -> list[int]:
    """Who lived in the household on `at` (living people only), oldest first."""
    ids = [m.person_id for m in family.memberships if m.household_id == household_id and m.active_on(at)]
    people = [family.by_id[i] for i in ids if i in family.by_id and not family.by_id[i].is_dead_on(at)]
    return [p.id for p in sorted(people, key=_birth_key)]


def lives_with(family: Family, person_id: int, at: dt.date) -> list[int]:
    """The other people in the person's household on `at`."""
    household = household_of(family, person_id, at)
    if household is None:
        return []
    return [i for i in household_members(family, household, at) if i != person_id]


def adults_in_household(family: Family, child_id: int, at: dt.date) -> list[int]:
    """Adults (18 or over, or of unknown age) living with the child on `at`."""
    return [i for i in lives_with(family, child_id, at) if family.by_id[i].is_adult_on(at)]


# --- parents, parent figures, siblings -------------------------------------------------------


def parents(family: Family, child_id: int, at: dt.date) -> list[int]:
    """Biological and adoptive parents recorded on `at`."""
    graph = family_graph(family, at)
    return sorted(
        {src for src, _ in _in_kinds(graph, child_id, LINEAGE_KINDS)}, key=lambda i: _birth_key(family.by_id[i])
    )


def parent_figures(family: Family, child_id: int, at: dt.date) -> list[ParentFigure]:
    """Parents, step-parents and carers of the child on `at`, and the current partners of the parents
    and carers the child lives with (the new partner who has moved in, or visits)."""
    graph = family_graph(family, at)
    home = set(lives_with(family, child_id, at))
    figures: dict[int, str] = {}
    for src, kind in _in_kinds(graph, child_id, PARENT_KINDS):
        if not family.by_id[src].is_dead_on(at) and (src not in figures or kind in LINEAGE_KINDS):
            figures[src] = kind
    carers = [i for i in figures if i in home] or list(figures)
    for carer in carers:
        for partner in _partners(graph, carer):
            if partner != child_id and partner not in figures and not family.by_id[partner].is_dead_on(at):
                figures[partner] = "parent_partner"
    return [
        ParentFigure(person_id=i, role=role, lives_with_child=i in home)
        for i, role in sorted(figures.items(), key=lambda item: _birth_key(family.by_id[item[0]]))
    ]


def siblings(family: Family, child_id: int, at: dt.date) -> Siblings:
    """Full, half and step siblings on `at`, derived from shared parents.

    Full: the same two recorded parents. Half: one shared parent. Step: no shared parent, but a
    parent of one was the current partner (or recorded step-parent) of a parent of the other.
    Recorded: a `sibling` relationship and no parent recorded in common.
    """
    graph = family_graph(family, at)
    if child_id not in graph:
        return Siblings()
    mine = {src for src, _ in _in_kinds(graph, child_id, LINEAGE_KINDS)}
    full: set[int] = set()
    half: set[int] = set()
    for parent in mine:
        for other, _ in _out_kinds(graph, parent, LINEAGE_KINDS):
            if other == child_id:
                continue
            theirs = {src for src, _ in _in_kinds(graph, other, LINEAGE_KINDS)}
            if len(mine) >= 2 and theirs == mine:
                full.add(other)
            else:
                half.add(other)
    half -= full
    # step: children of my parents' partners, and of step-parents, with no parent shared
    linked_adults: set[int] = set()
    for parent in mine:
        linked_adults |= _partners(graph, parent)
    linked_adults |= {src for src, _ in _in_kinds(graph, child_id, frozenset({"step_parent"}))}
    linked_adults -= mine
    step: set[int] = set()
    for adult in linked_adults:
        for other, _ in _out_kinds(graph, adult, LINEAGE_KINDS):
            if other != child_id and other not in full | half:
                step.add(other)
    # and the children I am a step-child alongside: those whose step-parent is one of my parents
    for parent in mine:
        for other, _ in _out_kinds(graph, parent, frozenset({"step_parent"})):
            if other != child_id and other not in full | half:
                step.add(other)
    recorded = (
        {
            other
            for other, _ in _out_kinds(graph, child_id, frozenset({"sibling"}))
            + _in_kinds(graph, child_id, frozenset({"sibling"}))
        }
        - full
        - half
        - step
    )
    order = lambda ids: tuple(sorted(ids, key=lambda i: _birth_key(family.by_id[i])))  # noqa: E731
    return Siblings(full=order(full), half=order(half), step=order(step), recorded=order(recorded))


def grandparents(family: Family, child_id: int, at: dt.date) -> list[int]:
    found: set[int] = set()
    for parent in parents(family, child_id, at):
        found |= set(parents(family, parent, at))
    return sorted(found, key=lambda i: _birth_key(family.by_id[i]))


def people_who_matter_elsewhere(family: Family, child_id: int, at: dt.date) -> list[int]:
    """Living people the child does not live with on `at` but who matter: parents and parent figures,
    siblings, grandparents, and anyone with a recorded emotional relationship to the child."""
    graph = family_graph(family, at)
    home = set(lives_with(family, child_id, at))
    wanted: set[int] = {f.person_id for f in parent_figures(family, child_id, at)}
    wanted |= set(siblings(family, child_id, at).all)
    wanted |= set(grandparents(family, child_id, at))
    wanted |= {o for o, _ in _out_kinds(graph, child_id, EMOTIONAL_KINDS) + _in_kinds(graph, child_id, EMOTIONAL_KINDS)}
    wanted -= home | {child_id}
    return sorted((i for i in wanted if not family.by_id[i].is_dead_on(at)), key=lambda i: _birth_key(family.by_id[i]))


# --- generations -----------------------------------------------------------------------------


def generations(family: Family) -> dict[int, int]:
    """Generation of each person, 0 for the eldest drawn: a child is one below its parents, partners
    and siblings share a generation. People with no family link take the generation whose births
    are nearest their own."""
    graph = nx.Graph()
    parent_of: list[tuple[int, int]] = []
    same: list[tuple[int, int]] = []
    ids = {p.id for p in family.people}
    for rel in family.relationships:
        if rel.from_id not in ids or rel.to_id not in ids:
            continue
        if rel.kind in PARENT_KINDS:
            parent_of.append((rel.from_id, rel.to_id))
            graph.add_edge(rel.from_id, rel.to_id)
        elif rel.kind in PARTNERSHIP_KINDS or rel.kind == "sibling":
            same.append((rel.from_id, rel.to_id))
            graph.add_edge(rel.from_id, rel.to_id)
    level = dict.fromkeys(ids, 0)
    limit = len(ids) + 2
    for _ in range(limit):
        changed = False
        for parent, child in parent_of:
            if level[child] < level[parent] + 1:
                level[child] = level[parent] + 1
                changed = True
        for a, b in same:
            top = max(level[a], level[b])
            if level[a] != top or level[b] != top:
                level[a] = level[b] = top
                changed = True
        if not changed:
            break
    # every connected family starts at generation 0
    for component in nx.connected_components(graph):
        low = min(level[i] for i in component)
        for i in component:
            level[i] -= low
    # loners: nearest generation by year of birth
    linked = set(graph.nodes)
    years: dict[int, list[int]] = {}
    for person in family.people:
        if person.id in linked and person.date_of_birth:
            years.setdefault(level[person.id], []).append(person.date_of_birth.year)
    centres = {g: sum(ys) / len(ys) for g, ys in years.items()}
    for person in family.people:
        if person.id not in linked and person.date_of_birth and centres:
            level[person.id] = min(centres, key=lambda g: abs(centres[g] - person.date_of_birth.year))
    return level


def _birth_key(person: PersonData) -> tuple:
    born = person.date_of_birth or person.expected_date_of_delivery or dt.date.max
    return (born, person.id)


def birth_order(family: Family, ids: Iterable[int]) -> list[int]:
    return sorted(ids, key=lambda i: _birth_key(family.by_id[i]))


@dataclass(frozen=True)
class Union:
    """A couple drawn together: a partnership record, or two people who share a child."""

    a: int
    b: int
    kind: str | None  # the partnership's state on the date; None when only a shared child links them
    ended: bool = False
    start_date: dt.date | None = None
    children: tuple[int, ...] = field(default=())


def unions(family: Family, at: dt.date) -> list[Union]:
    """The couples to draw on `at`, each with its children in birth order.

    A couple's state is its partnership record that held on `at`; one that had ended with no later
    record is drawn as separated (`ended`). Couples with no partnership but a shared child are
    drawn too, so every child hangs from its parents.
    """
    graph = family_graph(family, at)
    pairs: dict[frozenset[int], list[RelationshipData]] = {}
    for rel in family.relationships:
        if rel.kind in PARTNERSHIP_KINDS and rel.from_id in graph and rel.to_id in graph and rel.started_by(at):
            pairs.setdefault(frozenset((rel.from_id, rel.to_id)), []).append(rel)
    child_pairs: dict[frozenset[int], list[int]] = {}
    for node in graph.nodes:
        mine = sorted({src for src, _ in _in_kinds(graph, node, LINEAGE_KINDS)})
        if len(mine) == 2:
            child_pairs.setdefault(frozenset(mine), []).append(node)
    result = []
    for pair in set(pairs) | set(child_pairs):
        records = sorted(pairs.get(pair, []), key=lambda r: (r.start_date or dt.date.min, r.id))
        current = next((r for r in records if r.active_on(at)), None)
        first_start = records[0].start_date if records else None
        a, b = sorted(pair, key=lambda i: (_sex_rank(family.by_id[i]), _birth_key(family.by_id[i])))
        kind, ended = None, False
        if current is not None:
            kind = current.kind
        elif records:
            kind, ended = records[-1].kind, True
        result.append(
            Union(
                a=a,
                b=b,
                kind=kind,
                ended=ended,
                start_date=first_start,
                children=tuple(birth_order(family, child_pairs.get(pair, []))),
            )
        )
    result.sort(key=lambda u: (u.start_date or _first_child_birth(family, u) or dt.date.max, u.a, u.b))
    return result


def _first_child_birth(family: Family, union: Union) -> dt.date | None:
    for child in union.children:
        return family.by_id[child].date_of_birth
    return None


def _sex_rank(person: PersonData) -> int:
    return {"male": 0, "female": 1}.get(person.sex, 2)
