from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, agency_names, clusters, register
from reporting.flags.dates import say_span
from reporting.flags.rules.nonmobile_injury import injury_words, is_injury
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words


@register
class RepeatInjury(Rule):
    id = "repeat_injury"
    title = "Repeated injuries to the same child"
    severity = Severity.HIGH
    rationale = "Injuries seen one at a time by different agencies each look explained; together they form a pattern."
    defaults = {"count": 2, "window_months": 12}
    param_help = {"count": "How many injuries to one child.", "window_months": "Within how many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        per_child: dict[int, list[EntryRecord]] = {}
        for entry in snapshot.live_entries(at):
            if not is_injury(entry):
                continue
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
            agencies = agency_names(evidence)
            explanation = (
                f"{counted(len(latest), 'injury', 'injuries', capital=True)} to {snapshot.name(person_id)} in "
                f"{say_span(latest[0].occurred_on, latest[-1].occurred_on)}, seen by "
                f"{counted(len(agencies), 'agency', 'agencies')} ({join_words(agencies)}): "
                f"{join_words([injury_words(e) for e in latest])}."
            )
            if len(runs) > 1:
                explanation += f" An earlier run of {len(evidence) - len(latest)} is also recorded."
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=evidence, explanation=explanation)
            )
        return flags
