from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_months, say_age, say_date
from reporting.flags.rules._per_child import say_times
from reporting.flags.snapshot import CaseSnapshot, EntryRecord

STATUS_WORDS = {"child_protection": "child protection plan", "child_in_need": "child in need plan"}


def hears_child(entry: EntryRecord, child_id: int) -> bool:
    """An entry recording the child's own words, or direct work with the child (kind child_seen)."""
    return entry.kind == "child_seen" or (entry.source == "child_voice" and child_id in entry.subjects)


@register
class ChildVoiceAbsent(Rule):
    id = "child_voice_absent"
    title = "Child's voice not recorded"
    severity = Severity.MEDIUM
    rationale = (
        "Reviews keep finding plans made about children who were never asked: "
        "what the child says, and how they seem, is missing from the record."
    )
    defaults = {"min_age_years": 4, "window_months": 3}
    param_help = {
        "min_age_years": "Children at least this old should have their own words or direct work recorded.",
        "window_months": "Months in which a child on a plan should have their words or direct work recorded.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        case = snapshot.case
        legal_status = case.legal_status_on(at)
        if legal_status not in STATUS_WORDS or not case.open_on(at):
            return []
        months = self.int_param("window_months")
        since = add_months(at, -months)
        if case.opened_on > since:
            return []  # the case has not been open for the whole window yet
        flags = []
        for child in snapshot.subject_children(at):
            age = child.age_on(at)
            if age is None or age < self.int_param("min_age_years"):
                continue
            about = snapshot.entries_about(child.id, at)
            heard = [e for e in about if hears_child(e, child.id)]
            if heard and heard[-1].occurred_on >= since:
                continue
            seen = [e for e in about if e.occurred_on >= since and (child.id in e.seen or child.id in e.seen_alone)]
            explanation = (
                f"{child.name} ({say_age(child.date_of_birth, at)}) is on a {STATUS_WORDS[legal_status]} and no "
                f"entry since {say_date(since)} records their own words or direct work with them"
            )
            if heard:
                last = heard[-1]
                explanation += f"; the last was by {last.agency.name} on {say_date(last.occurred_on)}"
            else:
                explanation += "; none is recorded at all"
            if seen:
                explanation += f". They were seen {say_times(len(seen))} in that time without their views recorded"
            evidence = seen + heard[-1:]
            flags.append(
                self.flag(key=f"person:{child.id}", people=[child.id], evidence=evidence, explanation=explanation + ".")
            )
        return flags
