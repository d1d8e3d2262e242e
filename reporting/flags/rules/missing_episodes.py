from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, register
from reporting.flags.dates import say_span, within_months
from reporting.flags.rules._per_child import entries_per_child, runs_by_day, say_times
from reporting.flags.snapshot import CaseSnapshot
from reporting.flags.text import number


@register
class MissingEpisodes(Rule):
    id = "missing_episodes"
    title = "Child repeatedly missing"
    severity = Severity.HIGH
    rationale = (
        "A child who goes missing again and again may be being exploited or harmed; "
        "each episode on its own is closed as 'returned safe'."
    )
    defaults = {"count": 2, "window_months": 3}
    param_help = {"count": "How many missing episodes for one child.", "window_months": "Within how many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        flags = []
        for person_id, entries in entries_per_child(snapshot, at, ["missing_episode"]).items():
            runs = runs_by_day(entries, self.int_param("count"), self.int_param("window_months"))
            if not runs:
                continue
            latest = runs[-1]
            days = sorted({e.occurred_on for e in latest})
            explanation = (
                f"{snapshot.name(person_id)} went missing {say_times(len(days))} in {say_span(days[0], days[-1])}"
            )
            months = self.int_param("window_months")
            if not within_months(days[0], days[-1], months):
                explanation += f", at least {number(self.int_param('count'))} times within {months} months"
            explanation += f": {by_agency_and_date(latest)}."
            if len(runs) > 1:
                earlier = len({e.occurred_on for run in runs[:-1] for e in run})
                explanation += f" An earlier run of {earlier} is also recorded."
            evidence = [e for run in runs for e in run]
            flags.append(
                self.flag(key=f"person:{person_id}", people=[person_id], evidence=evidence, explanation=explanation)
            )
        return flags
