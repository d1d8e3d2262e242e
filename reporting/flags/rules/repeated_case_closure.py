from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, clusters, register
from reporting.flags.dates import say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted

CLOSURE_KINDS = ("case_closed", "stepped_down")
REFERRAL_KINDS = ("referral_made", "case_opened", "stepped_up")


@register
class RepeatedCaseClosure(Rule):
    id = "repeated_case_closure"
    title = "Case closed repeatedly and then re-referred"
    severity = Severity.MEDIUM
    rationale = "The 'revolving door': a case closed and re-opened again and again means need was never met."
    defaults = {"count": 2, "window_months": 24}
    param_help = {"count": "How many closures or step-downs.", "window_months": "Within how many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        closures = snapshot.entries_of(at, CLOSURE_KINDS)
        referrals = snapshot.entries_of(at, REFERRAL_KINDS)
        first_of_day: dict[dt.date, EntryRecord] = {}
        for entry in closures:
            first_of_day.setdefault(entry.occurred_on, entry)
        chosen: tuple[list[EntryRecord], EntryRecord] | None = None
        for run in clusters(list(first_of_day.values()), self.int_param("count"), self.int_param("window_months")):
            last_closed = run[-1].occurred_on
            after = [r for r in referrals if r.occurred_on > last_closed]
            if after:
                run_days = {e.occurred_on for e in run}
                chosen = ([e for e in closures if e.occurred_on in run_days], after[0])
        if chosen is None:
            return []
        closed, referral = chosen
        days = sorted({e.occurred_on for e in closed})
        explanation = (
            f"The case was closed or stepped down {counted(len(days), 'time')} ({by_agency_and_date(closed)}) "
            f"and then referred again: {referral.agency.name} on {say_date(referral.occurred_on)}."
        )
        people = {p for e in [*closed, referral] for p in e.subjects}
        return [self.flag(key="case", people=people, evidence=[*closed, referral], explanation=explanation)]
