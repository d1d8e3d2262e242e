from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, register
from reporting.flags.dates import say_span, within_months
from reporting.flags.rules._per_child import entries_per_child, runs_by_day
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, number

HOSPITAL_KINDS = ("hospital_attendance", "injury")


def recorded_by_hospital(entry: EntryRecord) -> bool:
    return entry.agency.kind == "hospital"


@register
class RepeatHospitalAttendance(Rule):
    id = "repeat_hospital_attendance"
    title = "Repeated hospital attendances for one child"
    severity = Severity.HIGH
    rationale = (
        "Emergency department visits are seen one at a time, often at different hospitals or by different "
        "staff; together they can show injuries, neglect or illness nobody has put together."
    )
    defaults = {"count": 3, "window_months": 12}
    param_help = {
        "count": "How many hospital attendances or hospital-recorded injuries for one child.",
        "window_months": "Within how many months.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        per_child = entries_per_child(snapshot, at, HOSPITAL_KINDS, keep=recorded_by_hospital)
        flags = []
        for person_id, entries in per_child.items():
            runs = runs_by_day(entries, self.int_param("count"), self.int_param("window_months"))
            if not runs:
                continue
            latest = runs[-1]
            days = sorted({e.occurred_on for e in latest})
            injuries = sum(1 for day in days if any(e.kind == "injury" for e in latest if e.occurred_on == day))
            explanation = (
                f"{snapshot.name(person_id)} attended hospital on {counted(len(days), 'day')} in "
                f"{say_span(days[0], days[-1])}"
            )
            months = self.int_param("window_months")
            if not within_months(days[0], days[-1], months):
                explanation += f", at least {number(self.int_param('count'))} of them within {months} months"
            explanation += f": {by_agency_and_date(latest)}"
            if injuries:
                explanation += f"; {counted(injuries, 'of them', 'of them')} recorded an injury"
            explanation += "."
            if len(runs) > 1:
                earlier = len({e.occurred_on for run in runs[:-1] for e in run})
                explanation += f" An earlier run of {earlier} is also recorded."
            evidence = [e for run in runs for e in run]
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=evidence, explanation=explanation)
            )
        return flags
