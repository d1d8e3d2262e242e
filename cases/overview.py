"""What the case overview shows: the children with their age and household today, everyone's
relationship to the subject children, the current plan and since when, key dates, the team around
the child, the summary and the flags waiting for a review.

Built from the selectors, for a case the caller holds from case_for_user; entries are read only
where the user may read them in full (a restricted conference does not reveal itself by its date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cases import selectors
from cases.models import Case, CaseClosure, CaseSummaryRevision, LegalStatusChange, Person, TeamMember
from reporting.flags.dates import say_age

PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent", "foster_carer", "kinship_carer"})
LINEAGE_KINDS = frozenset({"biological_parent", "adoptive_parent"})
PARTNER_KINDS = frozenset({"married", "cohabiting", "partner"})
PARENT_WORDS = {
    "biological_parent": {"female": "Mother", "male": "Father"},
    "adoptive_parent": {"female": "Adoptive mother", "male": "Adoptive father"},
    "step_parent": {"female": "Stepmother", "male": "Stepfather"},
    "foster_carer": {},
    "kinship_carer": {},
}
KIND_WORDS = {
    "biological_parent": "Parent",
    "adoptive_parent": "Adoptive parent",
    "step_parent": "Step-parent",
    "foster_carer": "Foster carer",
    "kinship_carer": "Kinship carer",
}
KEY_DATE_KINDS = (
    ("strategy_discussion", "Last strategy discussion"),
    ("cp_conference", "Last child protection conference"),
    ("core_group", "Last core group"),
    ("child_seen", "Last seen (direct work with the child)"),
)


def say_day(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day is not None else ""


def _names(people: list[Person]) -> str:
    names = [p.given_name or p.full_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class PersonRow:
    person: Person
    age: str
    relationship: str
    household: str


@dataclass
class KeyDate:
    label: str
    day: dt.date | None

    @property
    def said(self) -> str:
        return say_day(self.day) if self.day is not None else "None recorded"


@dataclass
class Overview:
    today: dt.date
    status: LegalStatusChange | None
    history: list[Any]
    closure: CaseClosure | None
    closures: list[CaseClosure]
    children: list[PersonRow]
    others: list[PersonRow]
    key_dates: list[KeyDate]
    team: list[TeamMember]
    summary: CaseSummaryRevision | None
    handovers: list[Any] = field(default_factory=list)
    flags_to_review: int = 0
    flags_reopened: int = 0


def _age(person: Person, today: dt.date) -> str:
    if person.date_of_death is not None:
        return f"Died {say_day(person.date_of_death)}"
    if person.date_of_birth is None:
        if person.expected_date_of_delivery is not None:
            return f"Unborn, due {say_day(person.expected_date_of_delivery)}"
        return "Age not known"
    said = say_age(person.date_of_birth, today)
    return said + (" (estimated)" if person.date_of_birth_precision != "day" else "")


def _current(start: dt.date | None, end: dt.date | None, today: dt.date) -> bool:
    return (start is None or start <= today) and (end is None or today < end)


def _relationships(people: list[Person], relationships: list[Any], today: dt.date) -> dict[int, str]:
    """Each person's relationship to the subject children, in words ("Mother of Robin and Kit")."""
    subjects = [p for p in people if p.is_subject]
    subject_ids = {p.pk for p in subjects}
    by_id = {p.pk: p for p in people}
    said: dict[int, dict[str, list[Person]]] = defaultdict(lambda: defaultdict(list))
    lineage: dict[int, set[int]] = defaultdict(set)  # child -> their parents
    for r in relationships:
        if r.kind in LINEAGE_KINDS:
            lineage[r.to_person_id].add(r.from_person_id)
    parents_of_subjects: dict[int, list[Person]] = defaultdict(list)
    for r in relationships:
        if r.kind in PARENT_KINDS and r.to_person_id in subject_ids:
            if r.kind not in LINEAGE_KINDS and not _current(r.start_date, r.end_date, today):
                continue
            parent = by_id.get(r.from_person_id)
            if parent is None:
                continue
            word = PARENT_WORDS[r.kind].get(parent.sex) or KIND_WORDS[r.kind]
            said[parent.pk][word].append(by_id[r.to_person_id])
            parents_of_subjects[parent.pk].append(by_id[r.to_person_id])
    for person in people:
        for subject in subjects:
            if person.pk == subject.pk:
                continue
            shared = lineage.get(person.pk, set()) & lineage.get(subject.pk, set())
            if shared:
                word = "Sibling" if len(shared) > 1 else "Half-sibling"
                said[person.pk][word].append(subject)
    for r in relationships:
        if r.kind == "sibling":
            for a, b in ((r.from_person_id, r.to_person_id), (r.to_person_id, r.from_person_id)):
                if b in subject_ids and a in by_id and by_id[b] not in said[a]["Sibling"]:
                    said[a]["Sibling"].append(by_id[b])
        if r.kind in PARTNER_KINDS and _current(r.start_date, r.end_date, today):
            for a, b in ((r.from_person_id, r.to_person_id), (r.to_person_id, r.from_person_id)):
                if b in parents_of_subjects and a not in parents_of_subjects and a in by_id:
                    said[a][f"Partner of {by_id[b].full_name}, parent of"].extend(parents_of_subjects[b])
    words: dict[int, str] = {}
    for person_id, groups in said.items():
        parts = []
        for word, children in groups.items():
            unique = list(dict.fromkeys(children))
            if unique:
                parts.append(f"{word} of {_names(unique)}" if not word.endswith(" of") else f"{word} {_names(unique)}")
        words[person_id] = "; ".join(parts)
    return words


def case_overview(user: object, case: Case, today: dt.date) -> Overview:
    from genogram import selectors as family

    people = list(selectors.case_people(case))
    relationships = list(family.case_relationships(case))
    households: dict[int, list[str]] = defaultdict(list)
    for member in family.case_memberships(case):
        if _current(member.from_date, member.to_date, today):
            households[member.person_id].append(member.household.label)
    related = _relationships(people, relationships, today)
    rows = [
        PersonRow(
            person=p,
            age=_age(p, today),
            relationship="Subject child" if p.is_subject and p.pk not in related else related.get(p.pk, ""),
            household=", ".join(households.get(p.pk, [])),
        )
        for p in people
    ]
    for row in rows:
        if row.person.is_subject and row.person.pk in related:
            row.relationship = f"Subject child; {related[row.person.pk]}"
    history = list(selectors.case_status_history(case))
    closures = list(selectors.case_closures(case))
    open_closure = next((c for c in closures if c.reopened_on is None), None)
    last = selectors.last_entry_dates(user, case, [kind for kind, _ in KEY_DATE_KINDS])
    key_dates = [KeyDate(label, last.get(kind)) for kind, label in KEY_DATE_KINDS]
    return Overview(
        today=today,
        status=history[-1] if history else None,
        history=history,
        closure=open_closure,
        closures=closures,
        children=[r for r in rows if r.person.is_subject],
        others=[r for r in rows if not r.person.is_subject],
        key_dates=key_dates,
        team=list(selectors.case_team(case)),
        summary=selectors.case_summary(case),
        handovers=list(selectors.case_handovers(case)),
    )
