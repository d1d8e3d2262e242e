"""Meetings and actions as the flag rules read them: frozen records in the CaseSnapshot, and the
questions the drift rules share (which meetings count, which decided on an enquiry or a plan).

A held meeting counts while its chronology entry does: retracting the entry (recorded in error)
takes the meeting out of every rule, as retracting any entry does. Cancelled meetings never count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reporting.flags.base import mentions_affirmed, phrase_pattern
from reporting.flags.snapshot import AgencyRecord, EntryRecord, flatten

if TYPE_CHECKING:
    from reporting.flags.snapshot import CaseSnapshot

CONFERENCE_KINDS = frozenset({"initial_conference", "review_conference"})
KIND_WORDS = {
    "strategy_discussion": "strategy discussion",
    "initial_conference": "initial child protection conference",
    "review_conference": "review child protection conference",
    "core_group": "core group",
    "cin_review": "child in need review",
    "professionals_meeting": "professionals meeting",
}
# What a strategy discussion says when it decides on a child protection (section 47) enquiry.
ENQUIRY_PHRASES = (
    "section 47",
    "s47",
    "s.47",
    "s 47",
    "child protection enquiry",
    "child protection enquiries",
    "child protection investigation",
)
# What an initial conference says when the child becomes subject to a plan.
PLAN_PHRASES = ("child protection plan", "cp plan", "subject to a plan", "subject of a plan", "plan under the category")
ENQUIRY_PHRASE_PATTERN = phrase_pattern(ENQUIRY_PHRASES)
PLAN_PHRASE_PATTERN = phrase_pattern(PLAN_PHRASES)


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    kind: str
    held_on: dt.date
    status: str  # scheduled, held, cancelled
    invited: frozenset[int] = frozenset()
    attended: frozenset[int] = frozenset()
    apologies: frozenset[int] = frozenset()
    decisions: tuple[str, ...] = ()
    entry_id: int | None = None

    @property
    def words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind.replace("_", " "))

    @property
    def decisions_text(self) -> str:
        return ". ".join(self.decisions)


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    description: str
    owner_agency: AgencyRecord
    due_on: dt.date
    status: str  # open, done, cancelled (now)
    created_on: dt.date  # the day it was set: its meeting's date, else the day it was recorded
    owner_name: str = ""
    meeting_id: int | None = None
    completed_on: dt.date | None = None
    cancelled_on: dt.date | None = None

    def open_on(self, day: dt.date) -> bool:
        """Set by then, and neither done nor cancelled by then."""
        if self.created_on > day:
            return False
        if self.completed_on is not None and self.completed_on <= day:
            return False
        if self.status == "done" and self.completed_on is None:
            return False
        return not (self.status == "cancelled" and (self.cancelled_on is None or self.cancelled_on <= day))

    def overdue_on(self, day: dt.date) -> bool:
        return self.open_on(day) and self.due_on < day


MEETING_ENTRY_KINDS = ("strategy_discussion", "cp_conference", "core_group", "note")


def meeting_entries(snapshot: CaseSnapshot) -> dict[int, EntryRecord]:
    """The counted (not retracted) entries of the kinds a held meeting adds, by id."""
    by_kind = snapshot.entries_by_kind
    return {e.id: e for kind in MEETING_ENTRY_KINDS for e in by_kind.get(kind, ())}


def counted_meetings(
    snapshot: CaseSnapshot, at: dt.date, kinds: Iterable[str], entries: dict[int, EntryRecord] | None = None
) -> list[MeetingRecord]:
    """Held meetings of the kinds, on or before `at`, whose entry is not retracted; oldest first."""
    wanted = frozenset(kinds)
    entries = meeting_entries(snapshot) if entries is None else entries
    found = [
        m
        for m in snapshot.meetings
        if m.kind in wanted and m.status == "held" and m.held_on <= at and (m.entry_id is None or m.entry_id in entries)
    ]
    return sorted(found, key=lambda m: (m.held_on, m.id))


def meeting_entry_ids(snapshot: CaseSnapshot) -> frozenset[int]:
    """Entries that belong to a meeting (held or not): rules that also read entries skip them."""
    return frozenset(m.entry_id for m in snapshot.meetings if m.entry_id is not None)


def evidence_of(meetings: Iterable[MeetingRecord], entries: dict[int, EntryRecord]) -> list[EntryRecord]:
    return [entries[m.entry_id] for m in meetings if m.entry_id is not None and m.entry_id in entries]


def plan_lasts(snapshot: CaseSnapshot, day: dt.date) -> bool:
    """A child protection plan in force on the day, on an open case (the status as it was then)."""
    case = snapshot.case
    return case.open_on(day) and case.legal_status_on(day) == "child_protection"


def made_a_plan(snapshot: CaseSnapshot, conference: MeetingRecord) -> bool:
    """An initial conference made a plan: its decisions say so, or the case is on a child
    protection plan from the day of the conference."""
    if mentions_affirmed(flatten(conference.decisions_text), PLAN_PHRASE_PATTERN, flat=True):
        return True
    return plan_lasts(snapshot, conference.held_on)
