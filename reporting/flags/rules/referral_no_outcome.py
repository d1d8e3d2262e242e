from __future__ import annotations

import bisect
import datetime as dt

from cases import permissions
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
        referrals = [r for r in snapshot.entries_of(at, ["referral_made"]) if not r.outcome.strip()]
        answered: set[int] = set()
        referral_days = [r.occurred_on for r in referrals]  # oldest first, as entries_of gives them
        # Each outcome answers the most recent referral before it that it could be about.
        for outcome in snapshot.entries_of(at, ["referral_outcome"]):
            # Referrals after the outcome cannot be answered by it: start the search at the outcome's day.
            before = referrals[: bisect.bisect_right(referral_days, outcome.occurred_on)]
            match = next(
                (r for r in reversed(before) if r.id not in answered and answers(outcome, r)),
                None,
            )
            if match is not None:
                answered.add(match.id)
        flags = []
        for referral in referrals:
            if referral.id in answered:
                continue
            due = add_working_days(referral.occurred_on, days)
            if at <= due:
                continue
            about = ", ".join(snapshot.name(p) for p in sorted(referral.subjects))
            # Explanations are shared with everyone involved: a restricted referral is only named.
            in_full = permissions.shows_in_full_when_shared(restricted=referral.restricted)
            summary = (referral.summary.strip() or "no summary") if in_full else "restricted"
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
