"""Meetings and actions for in-memory rule tests: a CaseBuilder whose snapshot carries them.

A held meeting gets its chronology entry, as meetings.services records it, so a test can retract
that entry. Every name is synthetic."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from reporting.flags.meeting_records import ActionRecord, MeetingRecord
from reporting.flags.snapshot import AgencyRecord, CaseSnapshot, EntryRecord
from tests.flags.builders import CSC, CaseBuilder

ENTRY_KINDS = {
    "strategy_discussion": "strategy_discussion",
    "initial_conference": "cp_conference",
    "review_conference": "cp_conference",
    "core_group": "core_group",
    "cin_review": "note",
    "professionals_meeting": "note",
}


class MeetingCaseBuilder(CaseBuilder):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.meetings: list[MeetingRecord] = []
        self.actions: list[ActionRecord] = []

    def meeting(
        self,
        kind: str,
        on: dt.date,
        *,
        decisions: Iterable[str] = (),
        invited: Iterable[AgencyRecord] = (),
        attended: Iterable[AgencyRecord] = (),
        status: str = "held",
        by: AgencyRecord = CSC,
    ) -> MeetingRecord:
        decisions = tuple(decisions)
        entry: EntryRecord | None = None
        if status == "held":
            detail = "\n".join(f"{n}. {d}" for n, d in enumerate(decisions, start=1))
            entry = self.entry(ENTRY_KINDS[kind], on, agency=by, summary=f"{kind} held", detail=detail)
        meeting = MeetingRecord(
            id=next(self._ids),
            kind=kind,
            held_on=on,
            status=status,
            invited=frozenset(a.id for a in invited),
            attended=frozenset(a.id for a in attended),
            decisions=decisions,
            entry_id=entry.id if entry is not None else None,
        )
        self.meetings.append(meeting)
        return meeting

    def action(
        self,
        description: str,
        due: dt.date,
        *,
        owner: AgencyRecord,
        set_on: dt.date,
        meeting: MeetingRecord | None = None,
        **fields: Any,
    ) -> ActionRecord:
        fields.setdefault("status", "open")
        action = ActionRecord(
            id=next(self._ids),
            description=description,
            owner_agency=owner,
            due_on=due,
            created_on=set_on,
            meeting_id=meeting.id if meeting is not None else None,
            **fields,
        )
        self.actions.append(action)
        return action

    def snapshot(self, at: dt.date) -> CaseSnapshot:
        return dataclasses.replace(super().snapshot(at), meetings=tuple(self.meetings), actions=tuple(self.actions))
