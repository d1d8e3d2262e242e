from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import say_age, say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted

# The legal statuses (cases.models.LegalStatus codes) whose children should be seen alone, as said in a sentence.
STATUS_WORDS = {
    "child_protection": "on a child protection plan",
    "child_in_need": "on a child in need plan",
    "looked_after": "while looked after",
}
LOOKED_AFTER = "looked_after"


@register
class ChildNotSeenAlone(Rule):
    id = "child_not_seen_alone"
    title = "Child not seen alone"
    severity = Severity.HIGH
    rationale = (
        "A child seen only with the adults around them cannot say what is happening; the child's voice goes unheard."
    )
    defaults = {"min_age_years": 2, "days": 30, "looked_after_days": 42}
    param_help = {
        "min_age_years": "Children at least this old should be seen alone.",
        "days": "Days in which a child on a plan should have been seen alone.",
        "looked_after_days": "Days in which a looked-after child should have been seen alone (statutory visits "
        "are at least every six weeks).",
    }
    # 2: also looked-after children (the legal status on the date evaluated), over their own number of days.
    version = 2

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        case = snapshot.case
        # The legal status as it was on the date evaluated, from the case's status history.
        legal_status = case.legal_status_on(at)
        if legal_status not in STATUS_WORDS or not case.open_on(at):
            return []
        days = self.int_param("looked_after_days" if legal_status == LOOKED_AFTER else "days")
        since = at - dt.timedelta(days=days - 1)
        if case.opened_on > since:
            return []
        flags = []
        for child in snapshot.subject_children(at):
            age = child.age_on(at)
            if age is None or age < self.int_param("min_age_years"):
                continue
            about = snapshot.entries_about(child.id, at)
            alone = [e for e in about if child.id in e.seen_alone]
            if alone and alone[-1].occurred_on >= since:
                continue
            seen_with_others: list[EntryRecord] = [
                e for e in about if e.occurred_on >= since and child.id in e.seen and child.id not in e.seen_alone
            ]
            explanation = (
                f"{child.name} ({say_age(child.date_of_birth, at)}) has not been seen alone in the {days} days to "
                f"{say_date(at)}, {STATUS_WORDS[legal_status]}"
            )
            if alone:
                last = alone[-1]
                explanation += f"; last seen alone by {last.agency.name} on {say_date(last.occurred_on)}"
            else:
                explanation += "; no entry records them as ever seen alone"
            if seen_with_others:
                explanation += f". They were seen with others {counted(len(seen_with_others), 'time')} in that time"
            evidence = seen_with_others + (alone[-1:] if alone else [])
            flags.append(
                self.flag(key=f"person:{child.id}", people=[child.id], evidence=evidence, explanation=explanation + ".")
            )
        return flags
