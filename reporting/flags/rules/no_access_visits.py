from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, clusters, register
from reporting.flags.dates import say_span
from reporting.flags.snapshot import CaseSnapshot
from reporting.flags.text import counted

NO_ACCESS_KINDS = ("home_visit_no_access", "home_visit_cancelled")


@register
class NoAccessVisits(Rule):
    id = "no_access_visits"
    title = "Repeated home visits with no access"
    severity = Severity.MEDIUM
    rationale = "Professionals kept from the home cannot see the child or the conditions the child lives in."
    defaults = {"count": 2, "window_months": 3}
    param_help = {"count": "How many no-access or cancelled home visits.", "window_months": "Within how many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        entries = snapshot.entries_of(at, NO_ACCESS_KINDS)
        runs = clusters(entries, self.int_param("count"), self.int_param("window_months"))
        if not runs:
            return []
        evidence = [e for run in runs for e in run]
        latest = runs[-1]
        no_access = sum(1 for e in latest if e.kind == "home_visit_no_access")
        cancelled = len(latest) - no_access
        parts = []
        if no_access:
            parts.append(f"{counted(no_access, 'visit')} with no access")
        if cancelled:
            parts.append(f"{counted(cancelled, 'visit')} cancelled")
        people = {p for e in evidence for p in e.subjects}
        explanation = (
            f"{' and '.join(parts)[:1].upper()}{' and '.join(parts)[1:]} in "
            f"{say_span(latest[0].occurred_on, latest[-1].occurred_on)}: {by_agency_and_date(latest)}."
        )
        return [self.flag(key="case", people=people, evidence=evidence, explanation=explanation)]
