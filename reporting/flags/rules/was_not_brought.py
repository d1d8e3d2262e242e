from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, agency_names, by_agency_and_date, clusters, register
from reporting.flags.dates import say_span
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted


@register
class WasNotBrought(Rule):
    id = "was_not_brought"
    title = "Child repeatedly not brought to appointments"
    severity = Severity.HIGH
    rationale = (
        "A child who was not brought is a child whose needs are not met; missed appointments are read one at a time."
    )
    defaults = {"count": 3, "window_months": 6}
    param_help = {"count": "How many missed appointments for one child.", "window_months": "Within how many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        per_child: dict[int, list[EntryRecord]] = {}
        for entry in snapshot.entries_of(at, ["appointment_missed"]):
            for person_id in entry.subjects:
                person = snapshot.person(person_id)
                if person is not None and person.is_child_on(entry.occurred_on):
                    per_child.setdefault(person_id, []).append(entry)
        flags = []
        for person_id, entries in per_child.items():
            runs = clusters(entries, self.int_param("count"), self.int_param("window_months"))
            if not runs:
                continue
            evidence = [e for run in runs for e in run]
            latest = runs[-1]
            agencies = agency_names(latest)
            explanation = (
                f"{counted(len(latest), 'appointment', capital=True)} missed for {snapshot.name(person_id)} "
                f"with {counted(len(agencies), 'agency', 'agencies')} in "
                f"{say_span(latest[0].occurred_on, latest[-1].occurred_on)}: {by_agency_and_date(latest)}."
            )
            if len(runs) > 1:
                explanation += f" An earlier run of {len(evidence) - len(latest)} is also recorded."
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=evidence, explanation=explanation)
            )
        return flags
