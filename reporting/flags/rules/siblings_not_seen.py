from __future__ import annotations

import bisect
import datetime as dt

from cases import permissions
from reporting.flags.base import EVIDENCE_ORDER, Flag, Rule, Severity, register
from reporting.flags.dates import (
    add_working_days,
    bank_holiday_nation,
    dates_in_words,
    say_age,
    say_date,
    working_days_between,
)
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words

TRIGGER_KINDS = ("disclosure", "allegation")
KIND_WORDS = {"disclosure": "a disclosure", "allegation": "an allegation"}


def trigger_words(entry: EntryRecord) -> str:
    if entry.kind in KIND_WORDS:
        return KIND_WORDS[entry.kind]
    # Explanations are shared with everyone involved: a restricted entry's injury details are not told.
    if not permissions.shows_in_full_when_shared(restricted=entry.restricted):
        return "an injury (restricted)"
    return f"an injury ({entry.injury.describe()})" if entry.injury is not None else "an injury"


@register
class SiblingsNotSeen(Rule):
    id = "siblings_not_seen"
    title = "Brother or sister not seen after a concern about a child"
    severity = Severity.HIGH
    rationale = (
        "When one child discloses harm or is injured, the other children in the home may be at the same risk; "
        "reviews find the siblings were never seen."
    )
    defaults = {"working_days": 10}
    param_help = {
        "working_days": "Working days (Monday to Friday, not bank holidays) after a disclosure, allegation or "
        "injury within which each brother or sister living with the child should be seen."
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        days = self.int_param("working_days")
        nation = bank_holiday_nation()  # read once, not for every date
        # (sibling, day) -> the entries about their brothers or sisters that day
        concerns: dict[tuple[int, dt.date], list[EntryRecord]] = {}
        entries = snapshot.entries_of(at, TRIGGER_KINDS) + [
            e for e in snapshot.injuries(at) if e.kind not in TRIGGER_KINDS
        ]
        living_with: dict[tuple[int, dt.date], set[int]] = {}
        for entry in sorted(entries, key=EVIDENCE_ORDER):
            day = entry.occurred_on
            for child_id in entry.subjects:
                child = snapshot.person(child_id)
                if child is None or not child.is_child_on(day):
                    continue
                if (child_id, day) not in living_with:
                    living_with[child_id, day] = snapshot.siblings_in_household_of(child_id, day)
                for sibling_id in sorted(living_with[child_id, day]):
                    sibling = snapshot.person(sibling_id)
                    if sibling is None or not sibling.is_child_on(day) or sibling_id in entry.subjects:
                        continue
                    found = concerns.setdefault((sibling_id, day), [])
                    # By id: comparing whole records field by field is slow, and ids are unique.
                    if all(e.id != entry.id for e in found):
                        found.append(entry)
        # Each brother or sister: the concerns after which they were not seen in time, oldest first.
        missed: dict[int, list[tuple[dt.date, list[EntryRecord], EntryRecord | None]]] = {}
        sightings: dict[int, tuple[list[dt.date], list[EntryRecord]]] = {}
        dues: dict[dt.date, dt.date] = {}
        for (sibling_id, day), about in concerns.items():
            if day not in dues:
                dues[day] = add_working_days(day, days, nation)
            due = dues[day]
            if sibling_id not in sightings:
                seen = snapshot.entries_seeing(sibling_id, at)
                sightings[sibling_id] = ([e.occurred_on for e in seen], seen)
            days_seen, seen = sightings[sibling_id]
            index = bisect.bisect_left(days_seen, day)
            first = seen[index] if index < len(seen) else None
            if first is not None and first.occurred_on <= due:
                continue
            if first is None and at <= due:
                continue
            missed.setdefault(sibling_id, []).append((day, about, first))
        flags = []
        for sibling_id, misses in missed.items():
            day, about, first = misses[-1]  # the latest is told in full, earlier ones by date
            due = add_working_days(day, days, nation)
            sibling = snapshot.people_by_id[sibling_id]
            said = join_words(
                [
                    f"{e.agency.name} recorded {trigger_words(e)} about "
                    f"{join_words([snapshot.name(p) for p in sorted(e.subjects) if p != sibling_id])}"
                    for e in about
                ]
            )
            age = say_age(sibling.date_of_birth, day)
            explanation = (
                f"On {say_date(day)} {said}; {sibling.name}{f' ({age})' if age else ''}, who lived with them, "
                f"was due to be seen within {days} working days, by {say_date(due)}"
            )
            if first is not None:
                late = working_days_between(day, first.occurred_on, nation)
                explanation += (
                    f", and was first seen by {first.agency.name} on {say_date(first.occurred_on)}, "
                    f"{late} working days after."
                )
            else:
                explanation += f", and no entry records them as seen by {say_date(at)}."
            if len(misses) > 1:
                earlier = [m[0] for m in misses[:-1]]
                explanation += (
                    f" They were not seen in time after {counted(len(earlier), 'earlier concern')} either "
                    f"({join_words(dates_in_words(earlier))})."
                )
            evidence = [
                e for _, entries, seen_first in misses for e in [*entries, *([seen_first] if seen_first else [])]
            ]
            children = {p for _, entries, _ in misses for e in entries for p in e.subjects if p != sibling_id}
            flags.append(
                self.flag(
                    key=f"person:{sibling_id}",
                    people=[sibling_id, *children],
                    evidence=evidence,
                    explanation=explanation,
                )
            )
        return flags
