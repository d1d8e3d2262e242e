from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reporting.flags.base import Flag, Rule, Severity, agency_names, register
from reporting.flags.dates import say_age, say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words


def injury_words(entry: EntryRecord, also: Sequence[EntryRecord] = ()) -> str:
    """'bruise to left cheek, seen by Hospital on 2 March 2026'; `also` are other agencies' entries that day."""
    what = entry.injury.describe() if entry.injury is not None else (entry.summary or "injury")
    who = join_words(agency_names([entry, *also]))
    return f"{what}, seen by {who} on {say_date(entry.occurred_on)}"


def injuries_by_day(entries: Sequence[EntryRecord]) -> list[str]:
    """One phrase per day: several agencies seeing one injury on a day is one injury."""
    days: dict[dt.date, list[EntryRecord]] = {}
    for entry in entries:
        days.setdefault(entry.occurred_on, []).append(entry)
    return [injury_words(same[0], same[1:]) for same in days.values()]


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
        for entry in snapshot.injuries(at):
            for person_id in entry.subjects:
                person = snapshot.person(person_id)
                if person is not None and person.not_mobile_on(entry.occurred_on, under):
                    found.setdefault(person_id, []).append(entry)
        flags = []
        for person_id, entries in found.items():
            person = snapshot.people_by_id[person_id]
            age = say_age(person.date_of_birth, entries[0].occurred_on)
            who = f"{person.name}{f', {age},' if age else ''}"
            said = injuries_by_day(entries)
            if len(said) == 1:
                explanation = f"{who} is not independently mobile and has an injury recorded: {said[0]}."
            else:
                explanation = (
                    f"{counted(len(said), 'injury', 'injuries', capital=True)} recorded for {person.name} while "
                    f"not independently mobile: {join_words(said)}."
                )
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=entries, explanation=explanation)
            )
        return flags
