from __future__ import annotations

import datetime as dt
from collections import Counter

from reporting.flags.base import Flag, Rule, Severity, agency_names, by_agency_and_date, register
from reporting.flags.dates import add_months, dates_in_words
from reporting.flags.snapshot import AgencyRecord, CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words

ATTENDED_KINDS = frozenset({"appointment_attended", "home_visit", "child_seen"})
MISSED_KINDS = frozenset(
    {"appointment_missed", "appointment_cancelled", "home_visit_no_access", "home_visit_cancelled"}
)


@register
class EngagementDivergence(Rule):
    id = "engagement_divergence"
    title = "One agency sees engagement while others see none"
    severity = Severity.MEDIUM
    rationale = (
        "Families can engage with one service to give assurance while "
        "avoiding the others; no single agency sees the split."
    )
    defaults = {"attended_count": 2, "missed_count": 2, "window_months": 3}
    param_help = {
        "attended_count": "Contacts kept with one agency that count as steady attendance.",
        "missed_count": "Missed or cancelled contacts with other agencies.",
        "window_months": "In the same this many months.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("window_months")
        need_kept = self.int_param("attended_count")
        need_missed = self.int_param("missed_count")
        entries = snapshot.entries_of(at, ATTENDED_KINDS | MISSED_KINDS)
        kept: Counter[int] = Counter()
        missed: Counter[int] = Counter()
        agencies: dict[int, AgencyRecord] = {}
        found: tuple[int, int, list[int]] | None = None
        first = 0
        total_missed = 0
        # How many agencies are steady (kept >= need_kept, none missed) in the window, kept up as it slides,
        # so each step costs the same whatever the number of agencies.
        steady_count = 0
        found_at: tuple[int, int] | None = None
        for index, end in enumerate(entries):
            agency_id = end.agency.id
            was = kept[agency_id] >= need_kept and missed[agency_id] == 0
            if end.kind in MISSED_KINDS:
                missed[agency_id] += 1
                total_missed += 1
            else:
                kept[agency_id] += 1
            steady_count += (kept[agency_id] >= need_kept and missed[agency_id] == 0) - was
            agencies[agency_id] = end.agency
            start = add_months(end.occurred_on, -months)
            while entries[first].occurred_on < start:
                gone = entries[first]
                gone_id = gone.agency.id
                was = kept[gone_id] >= need_kept and missed[gone_id] == 0
                if gone.kind in MISSED_KINDS:
                    missed[gone_id] -= 1
                    total_missed -= 1
                else:
                    kept[gone_id] -= 1
                steady_count += (kept[gone_id] >= need_kept and missed[gone_id] == 0) - was
                first += 1
            if total_missed < need_missed:
                continue
            if steady_count if need_kept >= 1 else any(missed[i] == 0 for i in kept):  # with 0, every agency kept
                found_at = (first, index)
        if found_at is not None:
            # The steady agencies of the last such window, counted again over just that window.
            a, b = found_at
            kept_then: Counter[int] = Counter(e.agency.id for e in entries[a : b + 1] if e.kind not in MISSED_KINDS)
            missed_then = {e.agency.id for e in entries[a : b + 1] if e.kind in MISSED_KINDS}
            found = (a, b, [i for i, count in kept_then.items() if count >= need_kept and i not in missed_then])
        if found is None:
            return []
        a, b, steady_ids = found
        window = entries[a : b + 1]
        steady_entries = [e for e in window if e.agency.id in steady_ids and e.kind in ATTENDED_KINDS]
        others = [e for e in window if e.kind in MISSED_KINDS]
        first_day, last_day = dates_in_words([window[0].occurred_on, window[-1].occurred_on])
        steady_names = agency_names(steady_entries)
        explanation = (
            f"{join_words(steady_names)} {'records' if len(steady_names) == 1 else 'record'} steady contact "
            f"({counted(len(steady_entries), 'contact')} kept) while {join_words(agency_names(others))} "
            f"{'records' if len(agency_names(others)) == 1 else 'record'} "
            f"{counted(len(others), 'missed or cancelled contact')} in the same {months} months "
            f"({first_day} to {last_day}): {by_agency_and_date(others)}."
        )
        evidence: list[EntryRecord] = steady_entries + others
        people = {p for e in evidence for p in e.subjects}
        return [self.flag(key="case", people=people, evidence=evidence, explanation=explanation)]
