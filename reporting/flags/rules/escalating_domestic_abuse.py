from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import dates_in_words
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted, join_words


@register
class EscalatingDomesticAbuse(Rule):
    id = "escalating_domestic_abuse"
    title = "Domestic abuse incidents getting closer together"
    severity = Severity.HIGH
    rationale = "Incidents coming faster are a warning of escalation that each single call-out hides."
    defaults = {"count": 3}
    param_help = {"count": "How many incidents in a row, each gap shorter than the one before."}

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        # Reports of one incident by several agencies on the same day are one incident.
        by_day: dict[dt.date, list[EntryRecord]] = {}
        for entry in snapshot.entries_of(at, ["domestic_abuse_incident"]):
            by_day.setdefault(entry.occurred_on, []).append(entry)
        days = sorted(by_day)
        best: tuple[int, int] | None = None
        start = 0
        for end in range(1, len(days)):
            if end >= 2:
                gap = (days[end] - days[end - 1]).days
                previous = (days[end - 1] - days[end - 2]).days
                if gap >= previous:
                    start = end - 1
            if end - start + 1 >= self.int_param("count"):
                best = (start, end)
        if best is None:
            return []
        run = days[best[0] : best[1] + 1]
        words = dates_in_words(run)
        said = [words[0]] + [
            f"{word} ({(run[i] - run[i - 1]).days} days later)" for i, word in enumerate(words) if i > 0
        ]
        evidence = [e for day in run for e in by_day[day]]
        people = {p for e in evidence for p in e.subjects}
        explanation = (
            f"{counted(len(run), 'domestic abuse incident', capital=True)} are getting closer together: "
            f"{join_words(said)}."
        )
        return [self.flag(key="case", people=people, evidence=evidence, explanation=explanation)]
