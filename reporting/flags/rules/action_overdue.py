from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import say_date, working_days_between
from reporting.flags.meeting_records import meeting_entries
from reporting.flags.snapshot import CaseSnapshot
from reporting.flags.text import plural


@register
class ActionOverdue(Rule):
    id = "action_overdue"
    title = "Action past its due date"
    severity = Severity.MEDIUM
    rationale = "Plans drift when actions pass their due date with nobody noticing; reviews keep finding it."
    defaults = {"grace_days": 0}
    param_help = {"grace_days": "Calendar days after the due date before an open action is flagged (0: the day after)."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        grace = self.int_param("grace_days")
        entries = meeting_entries(snapshot)
        meetings = {m.id: m for m in snapshot.meetings}
        flags = []
        for action in sorted(snapshot.actions, key=lambda a: (a.due_on, a.id)):
            if not action.open_on(at) or at <= action.due_on + dt.timedelta(days=grace):
                continue
            late = working_days_between(action.due_on, at)
            owner = action.owner_agency.name + (f" ({action.owner_name})" if action.owner_name else "")
            meeting = meetings.get(action.meeting_id) if action.meeting_id is not None else None
            set_at = f", set at the {meeting.words} on {say_date(meeting.held_on)}," if meeting is not None else ""
            explanation = (
                f"The action “{action.description}” owned by {owner}{set_at} was due on {say_date(action.due_on)} "
                f"and is still open on {say_date(at)}, {late} working {plural(late, 'day')} later."
            )
            evidence = (
                [entries[meeting.entry_id]]
                if meeting is not None and meeting.entry_id is not None and meeting.entry_id in entries
                else []
            )
            flags.append(self.flag(key=f"action:{action.id}", people=(), evidence=evidence, explanation=explanation))
        return flags
