from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_working_days, say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord


def answers(outcome: EntryRecord, referral: EntryRecord) -> bool:
    """An outcome on or after the referral, about the same people where both name anyone."""
    if outcome.occurred_on < referral.occurred_on:
        return False
    return not outcome.subjects or not referral.subjects or bool(outcome.subjects & referral.subjects)


@register
class ReferralNoOutcome(Rule):
    id = "referral_no_outcome"
    title = "Referral with no recorded outcome"
    severity = Severity.MEDIUM
    rationale = "Referrals that drop between agencies leave everyone believing someone else is acting."
    defaults = {"working_days": 10}
    param_help = {"working_days": "Working days (Monday to Friday) within which an outcome should be recorded."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        days = self.int_param("working_days")
        outcomes = snapshot.entries_of(at, ["referral_outcome"])
        used: set[int] = set()
        flags = []
        for referral in snapshot.entries_of(at, ["referral_made"]):
            if referral.outcome.strip():
                continue
            match = next((o for o in outcomes if o.id not in used and answers(o, referral)), None)
            if match is not None:
                used.add(match.id)
                continue
            due = add_working_days(referral.occurred_on, days)
            if at <= due:
                continue
            about = ", ".join(snapshot.name(p) for p in sorted(referral.subjects))
            # A restricted entry's content is for its own agency and the lead: say only that it exists.
            summary = "restricted" if referral.restricted else (referral.summary.strip() or "no summary")
            explanation = (
                f"{referral.agency.name} made a referral on {say_date(referral.occurred_on)}"
                f"{f' about {about}' if about else ''} ({summary}) and no outcome "
                f"is recorded {days} working days later, by {say_date(due)}."
            )
            flags.append(
                self.flag(
                    key=f"entry:{referral.id}", people=referral.subjects, evidence=[referral], explanation=explanation
                )
            )
        return flags
