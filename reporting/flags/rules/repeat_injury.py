from __future__ import annotations

import datetime as dt

from reporting.flags.base import (
    EVIDENCE_ORDER,
    Flag,
    Rule,
    Severity,
    agency_names,
    by_agency_and_date,
    clusters,
    mentions_affirmed,
    phrase_pattern,
    register,
)
from reporting.flags.dates import say_span
from reporting.flags.rules.nonmobile_injury import injuries_by_day
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words

HOSPITAL_ATTENDANCE = "hospital_attendance"
# A hospital attendance with no injury details is for an injury when its text says so (not negated).
INJURY_WORDS = phrase_pattern(
    (
        "injur",
        "fracture",
        "broken arm",
        "broken leg",
        "broken wrist",
        "burn",
        "scald",
        "bruis",
        "laceration",
        "wound",
        "bite mark",
        "swallowed",
        "ingested",
    )
)


def injuries_and_attendances(snapshot: CaseSnapshot, at: dt.date) -> list[EntryRecord]:
    """Entries recording an injury, and hospital attendances for one (by their text), to `at`, oldest first."""
    found = {e.id: e for e in snapshot.injuries(at)}
    for entry in snapshot.entries_of(at, [HOSPITAL_ATTENDANCE]):
        if entry.id not in found and mentions_affirmed(snapshot.flat_text(entry), INJURY_WORDS, flat=True):
            found[entry.id] = entry
    return sorted(found.values(), key=EVIDENCE_ORDER)


@register
class RepeatInjury(Rule):
    id = "repeat_injury"
    title = "Repeated injuries to the same child"
    severity = Severity.HIGH
    rationale = "Injuries seen one at a time by different agencies each look explained; together they form a pattern."
    defaults = {"count": 2, "window_months": 12}
    param_help = {
        "count": "How many injuries (or hospital attendances for one) to one child.",
        "window_months": "Within how many months.",
    }
    # 2: counts hospital attendances for an injury; says when an explanation was recorded as not consistent.
    version = 2

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        per_child: dict[int, list[EntryRecord]] = {}
        for entry in injuries_and_attendances(snapshot, at):
            for person_id in entry.subjects:
                person = snapshot.person(person_id)
                if person is not None and person.is_child_on(entry.occurred_on):
                    per_child.setdefault(person_id, []).append(entry)
        flags = []
        for person_id, entries in per_child.items():
            # Several agencies seeing one injury on the same day is one injury, seen by each of them.
            first_of_day: dict[dt.date, EntryRecord] = {}
            for entry in entries:
                first_of_day.setdefault(entry.occurred_on, entry)
            runs = clusters(list(first_of_day.values()), self.int_param("count"), self.int_param("window_months"))
            if not runs:
                continue
            days = {e.occurred_on for run in runs for e in run}
            evidence = [e for e in entries if e.occurred_on in days]
            latest_days = {e.occurred_on for e in runs[-1]}
            latest = [e for e in entries if e.occurred_on in latest_days]
            agencies = agency_names(evidence)
            first, last = min(latest_days), max(latest_days)
            explanation = (
                f"{counted(len(latest_days), 'injury', 'injuries', capital=True)} to {snapshot.name(person_id)} in "
                f"{say_span(first, last)}, seen by {counted(len(agencies), 'agency', 'agencies')} "
                f"({join_words(agencies)}): {join_words(injuries_by_day(latest))}."
            )
            if len(runs) > 1:
                explanation += f" An earlier run of {len(days) - len(latest_days)} is also recorded."
            inconsistent = [e for e in evidence if e.injury is not None and e.injury.explanation_consistent is False]
            if inconsistent:
                explanation += (
                    " The explanation given was recorded as not consistent with the injury: "
                    f"{by_agency_and_date(inconsistent)}."
                )
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=evidence, explanation=explanation)
            )
        return flags
