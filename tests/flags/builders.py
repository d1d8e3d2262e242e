"""Build case snapshots in memory for rule tests: no database. Every name is synthetic."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from reporting.flags.engine import evaluate
from reporting.flags.snapshot import (
    AgencyRecord,
    CaseRecord,
    CaseSnapshot,
    EntryRecord,
    InjuryRecord,
    MembershipRecord,
    PersonRecord,
    RelationshipRecord,
)

D = dt.date
OPENED = D(2024, 1, 10)

HV = AgencyRecord(1, "Northshire Health Visiting", "health_visiting")
GP = AgencyRecord(2, "Riverside GP Practice", "gp")
HOSPITAL = AgencyRecord(3, "Northshire General Hospital", "hospital")
SCHOOL = AgencyRecord(4, "Riverside Primary School", "school")
POLICE = AgencyRecord(5, "Northshire Police", "police")
CSC = AgencyRecord(6, "Northshire Children's Social Care", "childrens_social_care")
AMH = AgencyRecord(7, "Northshire Adult Mental Health", "adult_mental_health")
DRUGS = AgencyRecord(8, "Northshire Recovery Service", "substance_misuse")


class CaseBuilder:
    def __init__(self, *, legal_status: str = "child_protection", opened_on: dt.date = OPENED) -> None:
        self.case = CaseRecord(1, "NS-0001", "Testfamily", "open", legal_status, opened_on)
        self.people: list[PersonRecord] = []
        self.entries: list[EntryRecord] = []
        self.relationships: list[RelationshipRecord] = []
        self.memberships: list[MembershipRecord] = []
        self._ids = itertools.count(100)

    def person(self, name: str, dob: dt.date | None, **fields: Any) -> PersonRecord:
        fields.setdefault("ethnicity", "White British")
        person = PersonRecord(next(self._ids), f"{name} Testfamily", dob, **fields)
        self.people.append(person)
        return person

    def child(self, name: str, dob: dt.date, **fields: Any) -> PersonRecord:
        return self.person(name, dob, is_subject=True, **fields)

    def entry(
        self,
        kind: str,
        on: dt.date,
        *,
        agency: AgencyRecord = HV,
        about: Iterable[PersonRecord] = (),
        seen: Iterable[PersonRecord] = (),
        seen_alone: Iterable[PersonRecord] = (),
        present: Iterable[PersonRecord] = (),
        **fields: Any,
    ) -> EntryRecord:
        entry = EntryRecord(
            id=next(self._ids),
            occurred_on=on,
            agency=agency,
            kind=kind,
            subjects=frozenset(p.id for p in about),
            seen=frozenset(p.id for p in seen),
            seen_alone=frozenset(p.id for p in seen_alone),
            present=frozenset(p.id for p in present),
            **fields,
        )
        self.entries.append(entry)
        return entry

    def injury(
        self, on: dt.date, child: PersonRecord, *, agency: AgencyRecord = HOSPITAL, **fields: Any
    ) -> EntryRecord:
        return self.entry(
            "injury",
            on,
            agency=agency,
            about=[child],
            injury=InjuryRecord(body_site="left cheek", injury_type="bruise", explanation="fell"),
            **fields,
        )

    def relate(
        self, kind: str, a: PersonRecord, b: PersonRecord, start: dt.date | None = None, end: dt.date | None = None
    ) -> None:
        self.relationships.append(RelationshipRecord(next(self._ids), kind, a.id, b.id, start, end))

    def lives(self, person: PersonRecord, since: dt.date, until: dt.date | None = None, household: int = 1) -> None:
        self.memberships.append(MembershipRecord(next(self._ids), household, "12 Oak Road", person.id, since, until))

    def snapshot(self, at: dt.date) -> CaseSnapshot:
        return CaseSnapshot(
            case=self.case,
            at=at,
            people=tuple(self.people),
            entries=tuple(e for e in self.entries if e.occurred_on <= at),
            relationships=tuple(self.relationships),
            memberships=tuple(self.memberships),
        )

    def flags(self, rule: str, at: dt.date, settings: dict[str, dict[str, int | str]] | None = None) -> list[Any]:
        return [f for f in evaluate(self.snapshot(at), at, settings) if f.rule == rule]


def retracted(entry: EntryRecord) -> EntryRecord:
    """The same entry in a retracting revision."""
    return entry._replace(retracted=True, revision=entry.revision + 1)


def retract(builder: CaseBuilder, entry: EntryRecord) -> None:
    builder.entries[builder.entries.index(entry)] = retracted(entry)
