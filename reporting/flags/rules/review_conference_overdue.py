from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_months, say_date
from reporting.flags.meeting_records import counted_meetings, made_a_plan, meeting_entries, plan_lasts
from reporting.flags.snapshot import CaseSnapshot


@register
class ReviewConferenceOverdue(Rule):
    """The first review conference within 3 months of the initial conference that made a plan, then
    within every 6 months while the plan lasts."""

    id = "review_conference_overdue"
    title = "Review conference overdue"
    severity = Severity.HIGH
    rationale = "A child protection plan that is not reviewed on time may no longer fit the child's circumstances."
    defaults = {"first_review_months": 3, "then_every_months": 6}
    param_help = {
        "first_review_months": "Months after the initial conference within which the first review conference is held.",
        "then_every_months": "Months between review conferences after that.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        first_months = self.int_param("first_review_months")
        every = self.int_param("then_every_months")
        entries = meeting_entries(snapshot)
        reviews = counted_meetings(snapshot, at, ["review_conference"], entries)
        initials = [
            c for c in counted_meetings(snapshot, at, ["initial_conference"], entries) if made_a_plan(snapshot, c)
        ]
        flags: list[Flag] = []
        for index, initial in enumerate(initials):
            # A later initial conference (a new plan) starts a new sequence.
            until = initials[index + 1].held_on if index + 1 < len(initials) else None
            previous, months, what = initial, first_months, "the initial conference"
            while True:
                due = add_months(previous.held_on, months)
                following = next(
                    (r for r in reviews if r.held_on > previous.held_on and (until is None or r.held_on < until)),
                    None,
                )
                if following is not None and following.held_on <= due:
                    previous, months, what = following, every, "the review conference"
                    continue
                late_from = due + dt.timedelta(days=1)
                if (following is None and at <= due) or not plan_lasts(snapshot, late_from):
                    break
                if until is not None and until <= due:
                    break
                said = (
                    f"After {what} on {say_date(previous.held_on)} a review conference was due within "
                    f"{months} months, by {say_date(due)}"
                )
                evidence = [
                    entries[m.entry_id] for m in (previous, following) if m is not None and m.entry_id in entries
                ]
                if following is not None:
                    explanation = f"{said}; it was held on {say_date(following.held_on)}."
                else:
                    explanation = f"{said}, while the child protection plan lasts; none is recorded by {say_date(at)}."
                flags.append(
                    self.flag(key=f"after:{previous.id}", people=(), evidence=evidence, explanation=explanation)
                )
                if following is None:
                    break
                previous, months, what = following, every, "the review conference"
        return flags
