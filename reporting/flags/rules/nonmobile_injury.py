from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import say_age, say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words


def is_injury(entry: EntryRecord) -> bool:
    return entry.kind == "injury" or entry.injury is not None


def injury_words(entry: EntryRecord) -> str:
    what = entry.injury.describe() if entry.injury is not None else (entry.summary or "injury")
    return f"{what}, seen by {entry.agency.name} on {say_date(entry.occurred_on)}"


@register
class NonmobileInjury(Rule):
    id = "nonmobile_injury"
    title = "Injury to a baby who is not independently mobile"
    severity = Severity.HIGH
    rationale = (
        "Bruising or any injury in a baby who cannot move about is rare and must be explained, not explained away."
    )
    defaults = {"age_months": 6}
    param_help = {"age_months": "A child younger than this many months counts as not independently mobile."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        under = self.int_param("age_months")
        found: dict[int, list[EntryRecord]] = {}
        for entry in snapshot.live_entries(at):
            if not is_injury(entry):
                continue
            for person_id in entry.subjects:
                person = snapshot.person(person_id)
                if person is not None and person.not_mobile_on(entry.occurred_on, under):
                    found.setdefault(person_id, []).append(entry)
        flags = []
        for person_id, entries in found.items():
            person = snapshot.people_by_id[person_id]
            first = entries[0]
            age = say_age(person.date_of_birth, first.occurred_on)
            who = f"{person.name}{f', {age},' if age else ''}"
            if len(entries) == 1:
                explanation = f"{who} is not independently mobile and has an injury recorded: {injury_words(first)}."
            else:
                explanation = (
                    f"{counted(len(entries), 'injury', 'injuries', capital=True)} recorded for {person.name} while "
                    f"not independently mobile: {join_words([injury_words(e) for e in entries])}."
                )
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=entries, explanation=explanation)
            )
        return flags
