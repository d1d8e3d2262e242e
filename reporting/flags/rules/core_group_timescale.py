from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_working_days, say_date, working_days_between
from reporting.flags.meeting_records import (
    counted_meetings,
    made_a_plan,
    meeting_entries,
    meeting_entry_ids,
    plan_lasts,
)
from reporting.flags.snapshot import CaseSnapshot, EntryRecord


@register
class CoreGroupTimescale(Rule):
    """The first core group within 10 working days of the initial conference that made a child
    protection plan, then core groups no more than 6 weeks apart while the plan lasts."""

    id = "core_group_timescale"
    title = "Core group late"
    severity = Severity.MEDIUM
    rationale = "A child protection plan is carried out through the core group; when it does not meet, the plan drifts."
    defaults = {"first_within_working_days": 10, "max_weeks_between": 6}
    param_help = {
        "first_within_working_days": (
            "Working days after the initial conference within which the first core group meets."
        ),
        "max_weeks_between": "The most weeks between core groups while the plan lasts.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        first_days = self.int_param("first_within_working_days")
        gap = dt.timedelta(weeks=self.int_param("max_weeks_between"))
        weeks = self.int_param("max_weeks_between")
        entries = meeting_entries(snapshot)
        of_meetings = meeting_entry_ids(snapshot)
        # Core groups: held meetings, and core group entries recorded without a meeting.
        core_groups: list[tuple[dt.date, EntryRecord | None]] = [
            (m.held_on, entries.get(m.entry_id) if m.entry_id is not None else None)
            for m in counted_meetings(snapshot, at, ["core_group"], entries)
        ]
        core_groups += [(e.occurred_on, e) for e in snapshot.entries_of(at, ["core_group"]) if e.id not in of_meetings]
        core_groups.sort(key=lambda c: c[0])
        flags: list[Flag] = []
        conferences = [
            c for c in counted_meetings(snapshot, at, ["initial_conference"], entries) if made_a_plan(snapshot, c)
        ]
        for conference in conferences:
            due = add_working_days(conference.held_on, first_days)
            conference_entry = entries.get(conference.entry_id) if conference.entry_id is not None else None
            first = next((c for c in core_groups if c[0] >= conference.held_on), None)
            if (first is not None and first[0] <= due) or (first is None and at <= due):
                continue
            said = (
                f"The initial conference on {say_date(conference.held_on)} made a child protection plan, so the "
                f"first core group was due within {first_days} working days, by {say_date(due)}"
            )
            evidence = [e for e in (conference_entry,) if e is not None]
            if first is not None:
                late = working_days_between(conference.held_on, first[0])
                explanation = f"{said}; it met on {say_date(first[0])}, {late} working days after."
                evidence += [e for e in (first[1],) if e is not None]
            else:
                since = working_days_between(conference.held_on, at)
                explanation = f"{said}; none is recorded by {say_date(at)}, {since} working days after."
            flags.append(self.flag(key=f"first:{conference.id}", people=(), evidence=evidence, explanation=explanation))
        # Between core groups while the plan lasts: each core group should be followed by the next
        # within the gap; the day after the gap ends is when it is late.
        for index, (held_on, entry) in enumerate(core_groups):
            due = held_on + gap
            following = core_groups[index + 1] if index + 1 < len(core_groups) else None
            if following is not None and following[0] <= due:
                continue
            if following is None and at <= due:
                continue
            if not plan_lasts(snapshot, due + dt.timedelta(days=1)):
                continue
            said = (
                f"The core group met on {say_date(held_on)} while a child protection plan lasts, so the next "
                f"was due within {weeks} weeks, by {say_date(due)}"
            )
            evidence = [e for e in (entry,) if e is not None]
            if following is not None:
                explanation = f"{said}; it met on {say_date(following[0])}, {(following[0] - held_on).days} days after."
                evidence += [e for e in (following[1],) if e is not None]
            else:
                explanation = f"{said}; none is recorded by {say_date(at)}, {(at - held_on).days} days after."
            flags.append(
                self.flag(key=f"after:{held_on.isoformat()}", people=(), evidence=evidence, explanation=explanation)
            )
        return flags
