"""Shared shape of the rules that flag an entry kind about a child under an age."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from reporting.flags.base import Flag, Rule, by_agency_and_date
from reporting.flags.dates import say_age
from reporting.flags.snapshot import CaseSnapshot, EntryRecord


class KindAboutYoungChild(Rule):
    kind: ClassVar[str]
    words: ClassVar[str]

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        under = self.int_param("age_years")
        found: dict[int, list[EntryRecord]] = {}
        for entry in snapshot.entries_of(at, [self.kind]):
            for person_id in entry.subjects:
                person = snapshot.person(person_id)
                age = person.age_on(entry.occurred_on) if person is not None else None
                if age is not None and age < under:
                    found.setdefault(person_id, []).append(entry)
        flags = []
        for person_id, entries in found.items():
            person = snapshot.people_by_id[person_id]
            explanation = (
                f"{self.words[:1].upper()}{self.words[1:]} recorded for {person.name}, "
                f"{say_age(person.date_of_birth, entries[0].occurred_on)} and under {under}: "
                f"{by_agency_and_date(entries)}."
            )
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=entries, explanation=explanation)
            )
        return flags
