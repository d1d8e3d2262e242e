from __future__ import annotations

import bisect
import datetime as dt
import itertools

from cases import permissions
from reporting.flags.base import EVIDENCE_ORDER, Flag, Rule, Severity, register
from reporting.flags.dates import add_working_days, bank_holiday_nation, say_date, working_days_between
from reporting.flags.meeting_records import counted_meetings, meeting_entries, meeting_entry_ids
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import join_words

TRIGGER_KINDS = ("disclosure", "allegation")
KIND_WORDS = {"disclosure": "a disclosure", "allegation": "an allegation"}


def inconsistent_injury(entry: EntryRecord) -> bool:
    return entry.injury is not None and entry.injury.explanation_consistent is False


def triggers(snapshot: CaseSnapshot, at: dt.date) -> list[EntryRecord]:
    """Disclosures, allegations and injuries whose explanation was recorded as not consistent, oldest first."""
    found = snapshot.entries_of(at, TRIGGER_KINDS)
    found += [e for e in snapshot.injuries(at) if inconsistent_injury(e) and e.kind not in TRIGGER_KINDS]
    return sorted(found, key=EVIDENCE_ORDER)


def trigger_words(entry: EntryRecord, about: str) -> str:
    """'a disclosure about Robin Testfamily', 'an injury (bruise to ear) to Robin Testfamily, its explanation
    recorded as not consistent'."""
    if entry.kind in KIND_WORDS:
        return KIND_WORDS[entry.kind] + (f" about {about}" if about else "")
    # Explanations are shared with everyone involved: a restricted entry's injury details are not told.
    in_full = permissions.shows_in_full_when_shared(restricted=entry.restricted)
    what = (entry.injury.describe() if entry.injury is not None else "injury") if in_full else "restricted"
    return f"an injury ({what}){f' to {about}' if about else ''}, its explanation recorded as not consistent"


def strategy_discussions(
    snapshot: CaseSnapshot, at: dt.date
) -> list[tuple[dt.date, frozenset[int], EntryRecord | None]]:
    """Held strategy discussions (meetings, and entries recorded without a meeting): day, who they name, entry."""
    entries = meeting_entries(snapshot)
    of_meetings = meeting_entry_ids(snapshot)
    found: list[tuple[dt.date, frozenset[int], EntryRecord | None]] = []
    for meeting in counted_meetings(snapshot, at, ["strategy_discussion"], entries):
        entry = entries.get(meeting.entry_id) if meeting.entry_id is not None else None
        found.append((meeting.held_on, entry.subjects if entry is not None else frozenset(), entry))
    found += [
        (e.occurred_on, e.subjects, e)
        for e in snapshot.entries_of(at, ["strategy_discussion"])
        if e.id not in of_meetings
    ]
    return sorted(found, key=lambda s: s[0])


@register
class DisclosureWithoutStrategy(Rule):
    id = "disclosure_without_strategy"
    title = "Disclosure or allegation with no strategy discussion"
    severity = Severity.HIGH
    rationale = (
        "When a child tells, or an injury is not explained, agencies must decide together and quickly; "
        "reviews find disclosures logged by one agency and acted on by none."
    )
    defaults = {"working_days": 2}
    param_help = {
        "working_days": "Working days (Monday to Friday, not bank holidays) within which a strategy discussion "
        "should be held after a disclosure, an allegation or an injury not consistently explained."
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        days = self.int_param("working_days")
        nation = bank_holiday_nation()  # read once, not for every date
        by_day: dict[dt.date, list[EntryRecord]] = {}
        for entry in triggers(snapshot, at):
            by_day.setdefault(entry.occurred_on, []).append(entry)
        discussions = strategy_discussions(snapshot, at)
        discussion_days = [s[0] for s in discussions]
        flags = []
        for day, entries in by_day.items():
            due = add_working_days(day, days, nation)
            people = frozenset(p for e in entries for p in e.subjects)
            start = bisect.bisect_left(discussion_days, day)
            answer = next(
                (s for s in itertools.islice(discussions, start, None) if not s[1] or not people or s[1] & people),
                None,
            )
            if answer is not None and answer[0] <= due:
                continue
            if answer is None and at <= due:
                continue
            said = join_words(
                [
                    f"{e.agency.name} recorded "
                    + trigger_words(e, join_words([snapshot.name(p) for p in sorted(e.subjects)]))
                    for e in entries
                ]
            )
            explanation = (
                f"On {say_date(day)} {said}; a strategy discussion was due within {days} working days, "
                f"by {say_date(due)}"
            )
            evidence = list(entries)
            if answer is not None:
                late = working_days_between(day, answer[0], nation)
                explanation += f", and the first was held on {say_date(answer[0])}, {late} working days after."
                evidence += [e for e in (answer[2],) if e is not None]
            else:
                explanation += f", and none is recorded by {say_date(at)}."
            flags.append(
                self.flag(key=f"on:{day.isoformat()}", people=people, evidence=evidence, explanation=explanation)
            )
        return flags
