from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, mentions_affirmed, register
from reporting.flags.dates import add_working_days, say_date, working_days_between
from reporting.flags.meeting_records import (
    ENQUIRY_PHRASE_PATTERN,
    counted_meetings,
    meeting_entries,
    meeting_entry_ids,
)
from reporting.flags.snapshot import CaseSnapshot, EntryRecord, flatten


@register
class ConferenceTimescale(Rule):
    """A strategy discussion that decides on a child protection (section 47) enquiry should lead to an
    initial child protection conference within 15 working days (Working Together)."""

    id = "conference_timescale"
    title = "Initial conference not held in time"
    severity = Severity.HIGH
    rationale = "A child protection enquiry left without a conference leaves the risk unshared and the plan unmade."
    defaults = {"working_days": 15}
    param_help = {
        "working_days": "Working days after a strategy discussion deciding on a section 47 enquiry "
        "within which the initial conference should be held."
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        days = self.int_param("working_days")
        entries = meeting_entries(snapshot)
        of_meetings = meeting_entry_ids(snapshot)
        # Strategy discussions that decided on an enquiry: meetings by their decisions; entries
        # recorded without a meeting (imported, or another agency's record) by their text.
        decided: list[tuple[dt.date, str, EntryRecord | None]] = [
            (m.held_on, f"meeting:{m.id}", entries.get(m.entry_id) if m.entry_id is not None else None)
            for m in counted_meetings(snapshot, at, ["strategy_discussion"], entries)
            if mentions_affirmed(flatten(m.decisions_text), ENQUIRY_PHRASE_PATTERN, flat=True)
        ]
        decided += [
            (e.occurred_on, f"entry:{e.id}", e)
            for e in snapshot.entries_of(at, ["strategy_discussion"])
            if e.id not in of_meetings and mentions_affirmed(snapshot.flat_text(e), ENQUIRY_PHRASE_PATTERN, flat=True)
        ]
        conferences: list[tuple[dt.date, EntryRecord | None]] = [
            (m.held_on, entries.get(m.entry_id) if m.entry_id is not None else None)
            for m in counted_meetings(snapshot, at, ["initial_conference"], entries)
        ]
        # A conference entry with no meeting behind it (an imported chronology) answers too.
        conferences += [
            (e.occurred_on, e) for e in snapshot.entries_of(at, ["cp_conference"]) if e.id not in of_meetings
        ]
        conferences.sort(key=lambda c: c[0])
        flags = []
        for held_on, key, entry in sorted(decided, key=lambda d: d[0]):
            due = add_working_days(held_on, days)
            answer = next((c for c in conferences if c[0] >= held_on), None)
            if answer is not None and answer[0] <= due:
                continue
            if answer is None and at <= due:
                continue
            said = (
                f"A strategy discussion on {say_date(held_on)} decided on a child protection (section 47) enquiry, "
                f"so an initial conference was due within {days} working days, by {say_date(due)}"
            )
            evidence = [e for e in (entry,) if e is not None]
            if answer is not None:
                late = working_days_between(held_on, answer[0])
                explanation = f"{said}; it was held on {say_date(answer[0])}, {late} working days after."
                evidence += [e for e in (answer[1],) if e is not None]
            else:
                since = working_days_between(held_on, at)
                explanation = f"{said}; none is recorded by {say_date(at)}, {since} working days after."
            flags.append(self.flag(key=key, people=(), evidence=evidence, explanation=explanation))
        return flags
