from __future__ import annotations

import bisect
import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import add_months, dates_in_words, say_date
from reporting.flags.meeting_records import CONFERENCE_KINDS, counted_meetings, meeting_entries
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words

SIGNIFICANCE_RANK = {"low": 0, "medium": 1, "high": 2}
LEVEL_WORDS = {0: "low, medium or high", 1: "medium or high", 2: "high"}


@register
class AgencyNotInvited(Rule):
    """A conference or core group to which an involved agency holding recent significant information
    was not invited (domestic abuse services, probation, adult mental health are the usual gaps)."""

    id = "agency_not_invited"
    title = "Agency holding the concern not invited"
    severity = Severity.MEDIUM
    rationale = "Agencies that hold part of the picture and are not invited cannot share it; reviews keep finding this."
    defaults = {"months": 6, "min_significance": "medium"}
    param_help = {
        "months": "Months before the meeting in which the agency recorded a significant entry.",
        "min_significance": (
            "The least significance (low, medium, high) of an entry that makes an agency one to invite."
        ),
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("months")
        least = SIGNIFICANCE_RANK.get(self.str_param("min_significance"), 1)
        entries = meeting_entries(snapshot)
        # Only significant enough entries can make an agency one to invite: pick them out once.
        live = [e for e in snapshot.counted_entries if SIGNIFICANCE_RANK.get(e.significance, 0) >= least]
        # Each agency's entries (with their place among all of them, to keep the order they were recorded in),
        # so a meeting looks up the months before it per agency instead of walking every entry.
        by_agency: dict[int, tuple[list[dt.date], list[int], list[EntryRecord]]] = {}
        for position, entry in enumerate(live):
            days, positions, rows = by_agency.setdefault(entry.agency.id, ([], [], []))
            days.append(entry.occurred_on)
            positions.append(position)
            rows.append(entry)
        flags = []
        for meeting in counted_meetings(snapshot, at, [*CONFERENCE_KINDS, "core_group"], entries):
            since = add_months(meeting.held_on, -months)
            meeting_entry = entries.get(meeting.entry_id) if meeting.entry_id is not None else None
            # The agency that recorded the meeting was there, whatever the lists say.
            there = meeting.invited | meeting.attended | meeting.apologies
            if meeting_entry is not None:
                there = there | {meeting_entry.agency.id}
            # Counted entries from `since` up to the day before the meeting, of agencies not there,
            # agency by agency in the order of each one's first such entry.
            found: list[tuple[int, list[EntryRecord]]] = []
            for agency_id, (days, positions, rows) in by_agency.items():
                if agency_id in there:
                    continue
                low, high = bisect.bisect_left(days, since), bisect.bisect_left(days, meeting.held_on)
                if low < high:
                    found.append((positions[low], rows[low:high]))
            found.sort(key=lambda item: item[0])
            held = {agency_entries[0].agency.id: agency_entries for _, agency_entries in found}
            if not held:
                continue
            said = []
            evidence: list[EntryRecord] = [e for e in (meeting_entry,) if e is not None]
            for agency_entries in held.values():
                agency = agency_entries[0].agency
                on = join_words(dates_in_words([e.occurred_on for e in agency_entries]))
                said.append(f"{agency.name} ({counted(len(agency_entries), 'entry', 'entries')} on {on})")
                evidence += agency_entries
            explanation = (
                f"The {meeting.words} on {say_date(meeting.held_on)} did not invite "
                f"{join_words(said)}, though they recorded {LEVEL_WORDS[least]} significance entries in the "
                f"{months} months before."
            )
            flags.append(self.flag(key=f"meeting:{meeting.id}", people=(), evidence=evidence, explanation=explanation))
        return flags
