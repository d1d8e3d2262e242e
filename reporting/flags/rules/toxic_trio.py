from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, by_agency_and_date, register
from reporting.flags.dates import add_months
from reporting.flags.snapshot import CaseSnapshot, EntryRecord

TRIO = {
    "domestic_abuse_incident": "domestic abuse",
    "parental_mental_health": "parental mental ill-health",
    "parental_substance_misuse": "parental substance misuse",
}


@register
class ToxicTrio(Rule):
    id = "toxic_trio"
    title = "Domestic abuse, parental mental ill-health and substance misuse together"
    severity = Severity.HIGH
    rationale = (
        "Where domestic abuse, parental mental ill-health and substance "
        "misuse meet, children are most often seriously harmed."
    )
    defaults = {"window_months": 12}
    param_help = {"window_months": "All three recorded within this many months."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        months = self.int_param("window_months")
        entries = snapshot.entries_of(at, TRIO)
        evidence: dict[int, EntryRecord] = {}
        latest: list[EntryRecord] = []
        last_of_kind: dict[str, dt.date] = {}
        first = 0
        covered = 0  # windows only move forward: entries before this index are already evidence
        for index, end in enumerate(entries):
            last_of_kind[end.kind] = end.occurred_on
            start = add_months(end.occurred_on, -months)
            while entries[first].occurred_on < start:
                first += 1
            if len(last_of_kind) == len(TRIO) and min(last_of_kind.values()) >= start:
                # Same-day entries after `end` belong to this window too.
                stop = index + 1
                while stop < len(entries) and entries[stop].occurred_on == end.occurred_on:
                    stop += 1
                latest = entries[first:stop]
                evidence.update((e.id, e) for e in entries[max(first, covered) : stop])
                covered = max(covered, stop)
        if not latest:
            return []
        parts = []
        for kind, words in TRIO.items():
            of_kind = [e for e in latest if e.kind == kind]
            parts.append(f"{words} ({by_agency_and_date(of_kind)})")
        explanation = (
            f"{parts[0][:1].upper()}{parts[0][1:]}, {parts[1]} and {parts[2]} are all recorded within {months} months."
        )
        people = {p for e in evidence.values() for p in e.subjects}
        return [self.flag(key="case", people=people, evidence=evidence.values(), explanation=explanation)]
