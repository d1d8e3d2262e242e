from __future__ import annotations

import datetime as dt

from reporting.flags.base import (
    EVIDENCE_ORDER,
    Flag,
    Rule,
    Severity,
    by_agency_and_date,
    mentions_affirmed,
    phrase_pattern,
    register,
)
from reporting.flags.dates import add_months, say_age, say_date
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


SEEN_UNSAFE, SEEN_SAFE = "seen_unsafe", "seen_safe"


def recorded_sleep(entry: EntryRecord) -> bool | None:
    """What the entry's structured safer-sleep fields say: True (co-sleeping, or the sleep space seen and
    not safe), False (no co-sleeping, or the sleep space seen and safe), None (nothing recorded)."""
    if entry.safer_sleep_co_sleeping is True or entry.safer_sleep_space == SEEN_UNSAFE:
        return True
    if entry.safer_sleep_co_sleeping is False or entry.safer_sleep_space == SEEN_SAFE:
        return False
    return None


def is_unsafe_sleep(snapshot: CaseSnapshot, entry: EntryRecord) -> bool:
    """The structured fields when recorded (they are the practitioner's answer), otherwise the text."""
    recorded = recorded_sleep(entry)
    if recorded is not None:
        return recorded
    return mentions_affirmed(snapshot.flat_text(entry), SLEEP_PATTERN, flat=True, keys=SLEEP_KEYS)


def advice_words(snapshot: CaseSnapshot, person_id: int, at: dt.date) -> str:
    """The latest safer sleep advice recorded about the infant, in a sentence (or nothing)."""
    answered = [e for e in snapshot.entries_about(person_id, at) if e.safer_sleep_advice_given is not None]
    if not answered:
        return ""
    last = answered[-1]
    given = "given" if last.safer_sleep_advice_given else "not given"
    return f" Safer sleep advice is last recorded as {given} by {last.agency.name} on {say_date(last.occurred_on)}."


def is_substance_use(snapshot: CaseSnapshot, entry: EntryRecord) -> bool:
    return entry.kind == "parental_substance_misuse" or mentions_affirmed(
        snapshot.flat_text(entry), SUBSTANCE_PATTERN, flat=True
    )


def merged_spans(spans: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Spans (from, to, both inclusive; sorted by their start) with overlapping ones merged."""
    merged: list[tuple[dt.date, dt.date]] = []
    for since, until in spans:
        if merged and since <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(until, merged[-1][1]))
        else:
            merged.append((since, until))
    return merged


def merged_windows(days: list[dt.date], months: int) -> list[tuple[dt.date, dt.date]]:
    """The spans `months` either side of each day (days oldest first), overlapping spans merged."""
    return merged_spans([(add_months(day, -months), add_months(day, months)) for day in days])


@register
class UnsafeSleep(Rule):
    id = "unsafe_sleep"
    title = "Unsafe sleep alongside parental substance or alcohol use"
    severity = Severity.HIGH
    rationale = (
        "Most sudden unexpected infant deaths reviewed involve co-sleeping after a parent has used alcohol or drugs."
    )
    defaults = {"age_months": 12, "window_months": 3}
    # 2: reads the structured safer sleep fields (co-sleeping, the sleep space seen not safe) of any entry,
    # a safer_sleep entry above all, before its text; names the latest safer sleep advice recorded.
    version = 2
    param_help = {
        "age_months": "Infants younger than this many months.",
        "window_months": "Substance or alcohol use recorded within this many months either side.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("window_months")
        under = self.int_param("age_months")
        # Only entries holding a phrase can affirm it, and only while someone in the case was an infant:
        # the snapshot finds those in one pass per phrase over just those months (a margin of a month).
        infancy = sorted(
            (p.date_of_birth, add_months(p.date_of_birth, under + 1)) for p in snapshot.people if p.date_of_birth
        )
        by_text = []
        for since, until in merged_spans(infancy):
            if since <= at:
                by_text += snapshot.entries_containing(SLEEP_PATTERN, min(until, at), since)
        # One pass over the counted entries for the structured answer, without a call per entry.
        by_fields = [
            e
            for e in snapshot.counted_entries
            if (e.safer_sleep_co_sleeping is True or e.safer_sleep_space == SEEN_UNSAFE) and e.occurred_on <= at
        ]
        sleep = sorted(
            {e.id: e for e in [*by_text, *by_fields] if is_unsafe_sleep(snapshot, e)}.values(),
            key=EVIDENCE_ORDER,
        )
        if not sleep:
            return []
        # Substance use counts only within the window around an unsafe-sleep entry: search just those months.
        maybe = snapshot.entries_of(at, ["parental_substance_misuse"])
        for since, until in merged_windows([e.occurred_on for e in sleep], months):
            maybe += snapshot.entries_containing(SUBSTANCE_PATTERN, min(until, at), since)
        substance = sorted({e.id: e for e in maybe if is_substance_use(snapshot, e)}.values(), key=EVIDENCE_ORDER)
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
            explanation += advice_words(snapshot, person_id, at)
            flags.append(
                self.flag(
                    key=f"person:{person_id}", people=[person_id], evidence=[*sleeps, *uses], explanation=explanation
                )
            )
        return flags
