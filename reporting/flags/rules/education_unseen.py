from __future__ import annotations

import bisect
import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, clusters, register
from reporting.flags.dates import add_months, say_date
from reporting.flags.rules._per_child import entries_per_child
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted

ABSENCE_KINDS = ("school_absence", "school_exclusion")


@register
class EducationUnseen(Rule):
    id = "education_unseen"
    title = "Child out of school and not seen"
    severity = Severity.HIGH
    rationale = (
        "School is often the only place a child is seen every day; a child taken out of school, "
        "or absent or excluded again and again, can drop out of sight."
    )
    defaults = {"absence_count": 3, "absence_window_months": 2, "seen_within_months": 2}
    param_help = {
        "absence_count": "How many school absences or exclusions for one child.",
        "absence_window_months": "Within how many months.",
        "seen_within_months": "Months after home education or the absences within which a professional "
        "should record seeing the child.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("seen_within_months")
        # (child, the day the concern arose, the entries behind it, what it was)
        concerns: list[tuple[int, dt.date, list[EntryRecord], str]] = []
        for child_id, entries in entries_per_child(snapshot, at, ["elective_home_education"]).items():
            for entry in entries:
                concerns.append((child_id, entry.occurred_on, [entry], "home education"))
        count = self.int_param("absence_count")
        for child_id, entries in entries_per_child(snapshot, at, ABSENCE_KINDS).items():
            for run in clusters(entries, count, self.int_param("absence_window_months")):
                # The concern arises on the day the count is first reached within the window.
                reached = next(
                    run[i + count - 1]
                    for i in range(len(run) - count + 1)
                    if run[i + count - 1].occurred_on
                    <= add_months(run[i].occurred_on, self.int_param("absence_window_months"))
                )
                concerns.append((child_id, reached.occurred_on, run, "absences"))
        flags = []
        sightings: dict[int, tuple[list[dt.date], list[EntryRecord]]] = {}
        for child_id, day, evidence, what in concerns:
            due = add_months(day, months)
            if child_id not in sightings:
                seen = snapshot.entries_seeing(child_id, at)
                sightings[child_id] = ([e.occurred_on for e in seen], seen)
            days_seen, seen = sightings[child_id]
            index = bisect.bisect_left(days_seen, day)
            first = seen[index] if index < len(seen) else None
            if first is not None and first.occurred_on <= due:
                continue
            if first is None and at <= due:
                continue
            name = snapshot.name(child_id)
            if what == "home education":
                entry = evidence[0]
                explanation = f"{entry.agency.name} recorded on {say_date(day)} that {name} is electively home educated"
            else:
                exclusions = sum(1 for e in evidence if e.kind == "school_exclusion")
                words = counted(len(evidence), "school absence or exclusion", "school absences or exclusions")
                explanation = f"{name} had {words} by {say_date(day)} ({by_agency_and_date(evidence)})"
                if exclusions:
                    explanation += f", {counted(exclusions, 'exclusion')} among them"
            explanation += f"; no professional recorded seeing them in the {months} months after, by {say_date(due)}"
            if first is not None:
                explanation += f". They were next seen by {first.agency.name} on {say_date(first.occurred_on)}."
                evidence = [*evidence, first]
            else:
                explanation += f", nor since, to {say_date(at)}."
            flags.append(
                self.flag(
                    key=f"person:{child_id}:from:{day.isoformat()}",
                    people=[child_id],
                    evidence=evidence,
                    explanation=explanation,
                )
            )
        return flags
