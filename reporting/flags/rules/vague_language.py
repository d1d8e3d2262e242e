from __future__ import annotations

import datetime as dt

from reporting.flags.base import Flag, Rule, Severity, register
from reporting.flags.dates import say_date
from reporting.flags.snapshot import CaseSnapshot, EntryRecord, flatten
from reporting.flags.text import counted, join_words

OBSERVED_SOURCES = frozenset({"observed", "child_voice"})


def phrases(value: str) -> list[tuple[str, str]]:
    """(as written, as searched) for each comma-separated phrase."""
    return [(p.strip(), flatten(p)) for p in value.split(",") if p.strip()]


@register
class VagueLanguage(Rule):
    id = "vague_language"
    title = "Reassuring stock phrases with nothing seen"
    severity = Severity.LOW
    rationale = (
        "'Safe and well' and 'no concerns' written without seeing the child gave false assurance in case after case."
    )
    defaults = {
        "seen_phrases": "safe and well, safe & well",
        "stock_phrases": "doing well, no concerns, all fine, presented well, happy and settled, appears fine",
        "count": 1,
    }
    param_help = {
        "seen_phrases": "Phrases claiming the child is safe: flagged when no child is seen (comma-separated).",
        "stock_phrases": "Stock phrases: flagged when nothing was observed and nobody was seen (comma-separated).",
        "count": "How many such entries before the flag shows.",
    }

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        seen_phrases = phrases(self.str_param("seen_phrases"))
        stock_phrases = phrases(self.str_param("stock_phrases"))
        found: list[tuple[EntryRecord, str]] = []
        # Only entries holding one of the phrases somewhere can qualify: the snapshot finds them in one pass each.
        holding = snapshot.entries_containing([needle for _, needle in seen_phrases + stock_phrases], at)
        for entry in holding:
            text = snapshot.flat_text(entry)
            claim = next((p for p, needle in seen_phrases if needle in text), None)
            if claim is not None:
                children_seen = [
                    p
                    for p in entry.seen | entry.seen_alone
                    if (person := snapshot.person(p)) is not None and person.is_child_on(entry.occurred_on)
                ]
                if not children_seen:
                    found.append((entry, claim))
                continue
            stock = next((p for p, needle in stock_phrases if needle in text), None)
            if stock is not None and entry.source not in OBSERVED_SOURCES and not entry.seen and not entry.seen_alone:
                found.append((entry, stock))
        if len(found) < self.int_param("count"):
            return []
        said = [f"'{phrase}' ({entry.agency.name}, {say_date(entry.occurred_on)})" for entry, phrase in found]
        explanation = (
            f"{counted(len(found), 'entry', 'entries', capital=True)} {'leans' if len(found) == 1 else 'lean'} on "
            f"reassuring phrases with no record of the child being seen or observed: {join_words(said, limit=4)}."
        )
        people = {p for entry, _ in found for p in entry.subjects}
        return [self.flag(key="case", people=people, evidence=[e for e, _ in found], explanation=explanation)]
