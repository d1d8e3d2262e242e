from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, mentions_affirmed, phrase_pattern, register
from reporting.flags.dates import add_months, say_age
from reporting.flags.snapshot import CaseSnapshot, EntryRecord

UNSAFE_SLEEP_WORDS = (
    "co-sleep",
    "cosleep",
    "bed-shar",
    "bedshar",
    "unsafe sleep",
    "asleep on the sofa",
    "slept on the sofa",
    "sleeping on the sofa",
    "asleep in the adult bed",
    "in the parents' bed",
    "in bed with",
)
SUBSTANCE_WORDS = (
    "alcohol",
    "drunk",
    "intoxicated",
    "under the influence",
    "cannabis",
    "cocaine",
    "heroin",
    "methadone",
    "drug use",
    "using drugs",
)


SLEEP_PATTERN = phrase_pattern(UNSAFE_SLEEP_WORDS)
# Every unsafe-sleep phrase holds one of these: most entries are ruled out by them alone.
SLEEP_KEYS = ("sleep", "shar", "sofa", "bed")
SUBSTANCE_PATTERN = phrase_pattern(SUBSTANCE_WORDS)


def is_unsafe_sleep(snapshot: CaseSnapshot, entry: EntryRecord) -> bool:
    return mentions_affirmed(snapshot.flat_text(entry), SLEEP_PATTERN, flat=True, keys=SLEEP_KEYS)


def is_substance_use(snapshot: CaseSnapshot, entry: EntryRecord) -> bool:
    return entry.kind == "parental_substance_misuse" or mentions_affirmed(
        snapshot.flat_text(entry), SUBSTANCE_PATTERN, flat=True
    )


def merged_windows(days: list[dt.date], months: int) -> list[tuple[dt.date, dt.date]]:
    """The spans `months` either side of each day (days oldest first), overlapping spans merged."""
    windows: list[tuple[dt.date, dt.date]] = []
    for day in days:
        since, until = add_months(day, -months), add_months(day, months)
        if windows and since <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(until, windows[-1][1]))
        else:
            windows.append((since, until))
    return windows


@register
class UnsafeSleep(Rule):
    id = "unsafe_sleep"
    title = "Unsafe sleep alongside parental substance or alcohol use"
    severity = Severity.HIGH
    rationale = (
        "Most sudden unexpected infant deaths reviewed involve co-sleeping after a parent has used alcohol or drugs."
    )
    defaults = {"age_months": 12, "window_months": 3}
    param_help = {
        "age_months": "Infants younger than this many months.",
        "window_months": "Substance or alcohol use recorded within this many months either side.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("window_months")
        under = self.int_param("age_months")
        # Only entries holding a phrase can affirm it: the snapshot finds those in one pass per phrase.
        sleep = [e for e in snapshot.entries_containing(SLEEP_PATTERN, at) if is_unsafe_sleep(snapshot, e)]
        if not sleep:
            return []
        # Substance use counts only within the window around an unsafe-sleep entry: search just those months.
        maybe = snapshot.entries_of(at, ["parental_substance_misuse"])
        for since, until in merged_windows([e.occurred_on for e in sleep], months):
            maybe += snapshot.entries_containing(SUBSTANCE_PATTERN, min(until, at), since)
        substance = sorted(
            {e.id: e for e in maybe if is_substance_use(snapshot, e)}.values(), key=lambda e: (e.occurred_on, e.id)
        )
        found: dict[int, tuple[list[EntryRecord], list[EntryRecord]]] = {}
        for entry in sleep:
            near = [
                s
                for s in substance
                if s.id != entry.id
                and add_months(entry.occurred_on, -months) <= s.occurred_on <= add_months(entry.occurred_on, months)
            ]
            if is_substance_use(snapshot, entry):
                near.append(entry)
            if not near:
                continue
            named = [snapshot.person(p) for p in entry.subjects]
            candidates = [p for p in named if p is not None] or list(snapshot.people)
            for person in candidates:
                age = person.months_on(entry.occurred_on)
                if age is not None and age < under:
                    sleeps, uses = found.setdefault(person.id, ([], []))
                    sleeps.append(entry)
                    uses.extend(n for n in near if n not in uses and n.id != entry.id)
        flags = []
        for person_id, (sleeps, uses) in found.items():
            person = snapshot.people_by_id[person_id]
            explanation = (
                f"Unsafe sleep is recorded for {person.name} ({say_age(person.date_of_birth, sleeps[0].occurred_on)}): "
                f"{by_agency_and_date(sleeps)}"
            )
            if uses:
                explanation += f", alongside parental substance or alcohol use: {by_agency_and_date(uses)}."
            else:
                explanation += ", in an entry that also records parental substance or alcohol use."
            flags.append(
                self.flag(
                    key=f"person:{person_id}", people=[person_id], evidence=[*sleeps, *uses], explanation=explanation
                )
            )
        return flags
