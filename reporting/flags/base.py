"""The Rule base class, the Flag it returns, and the registry of rules by id."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from reporting.flags.dates import add_months, dates_in_words
from reporting.flags.snapshot import CaseSnapshot, EntryRecord, flatten
from reporting.flags.text import join_words

# Evidence is listed oldest first (ties by id); attrgetter sorts faster than a lambda.
EVIDENCE_ORDER = operator.attrgetter("occurred_on", "id")

ParamValue = int | str


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Lower sorts first: the most severe flag leads."""
        return {"high": 0, "medium": 1, "low": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Flag:
    """A prompt for professional judgement: which rule, about whom, on what evidence, and why.

    `key` identifies the flag over time within a case (with the rule id): usually the person it
    is about, so a review stays attached as evidence grows.
    """

    rule: str
    title: str
    severity: Severity
    key: str
    people: tuple[int, ...]
    evidence: tuple[int, ...]
    explanation: str
    rule_version: int = 1


class Rule:
    """One pattern. Subclasses set the class attributes and implement evaluate().

    Rules read only the snapshot they are given; they never touch the database.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    rationale: ClassVar[str]
    defaults: ClassVar[Mapping[str, ParamValue]] = {}
    param_help: ClassVar[Mapping[str, str]] = {}
    version: ClassVar[int] = 1

    def __init__(self, params: Mapping[str, ParamValue] | None = None) -> None:
        merged = dict(self.defaults)
        for name, value in (params or {}).items():
            if name not in self.defaults:
                raise ValueError(f"{self.id} has no parameter {name!r}.")
            if type(value) is not type(self.defaults[name]):
                wanted = "a whole number" if isinstance(self.defaults[name], int) else "text"
                raise ValueError(f"{self.id}.{name} must be {wanted}.")
            merged[name] = value
        self.params: dict[str, ParamValue] = merged

    def int_param(self, name: str) -> int:
        value = self.params[name]
        assert isinstance(value, int)
        return value

    def str_param(self, name: str) -> str:
        value = self.params[name]
        assert isinstance(value, str)
        return value

    def evaluate(self, snapshot: CaseSnapshot, at: dt.date) -> list[Flag]:
        raise NotImplementedError

    def flag(self, *, key: str, people: Iterable[int], evidence: Iterable[EntryRecord], explanation: str) -> Flag:
        ordered = sorted({e.id: e for e in evidence}.values(), key=EVIDENCE_ORDER)
        return Flag(
            rule=self.id,
            title=self.title,
            severity=self.severity,
            key=key,
            people=tuple(sorted(set(people))),
            evidence=tuple(e.id for e in ordered),
            explanation=explanation,
            rule_version=self.version,
        )


REGISTRY: dict[str, type[Rule]] = {}


def register[R: type[Rule]](rule: R) -> R:
    if rule.id in REGISTRY:
        raise ValueError(f"Rule {rule.id} is registered twice.")
    REGISTRY[rule.id] = rule
    return rule


# Helpers the rules share.


def by_agency_and_date(entries: Sequence[EntryRecord]) -> str:
    """'Northshire Health Visiting 2 March, GP 14 March and 2 May 2026': one name per run of an agency's dates."""
    ordered = sorted(entries, key=EVIDENCE_ORDER)
    words = dates_in_words([e.occurred_on for e in ordered])
    said: list[str] = []
    previous: int | None = None
    for entry, word in zip(ordered, words, strict=True):
        said.append(word if entry.agency.id == previous else f"{entry.agency.name} {word}")
        previous = entry.agency.id
    return join_words(said)


def agency_names(entries: Iterable[EntryRecord]) -> list[str]:
    seen: dict[int, str] = {}
    for entry in sorted(entries, key=EVIDENCE_ORDER):
        seen.setdefault(entry.agency.id, entry.agency.name)
    return list(seen.values())


def clusters(
    entries: Sequence[EntryRecord], count: int, months: int, *, day_of: Callable[[EntryRecord], dt.date] | None = None
) -> list[list[EntryRecord]]:
    """Runs of entries where at least `count` fall within `months` calendar months.

    Overlapping qualifying windows merge into one cluster; clusters come oldest first.
    """
    when = day_of or (lambda e: e.occurred_on)
    ordered = sorted(entries, key=lambda e: (when(e), e.id))
    marked: list[tuple[int, int]] = []
    j = 0
    for i, first in enumerate(ordered):
        j = max(j, i)
        while j + 1 < len(ordered) and when(ordered[j + 1]) <= add_months(when(first), months):
            j += 1
        if j - i + 1 >= max(count, 1):
            if marked and i <= marked[-1][1]:
                marked[-1] = (marked[-1][0], j)
            else:
                marked.append((i, j))
    return [ordered[a : b + 1] for a, b in marked]


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether the phrase appears in the text, ignoring case, hyphens and spacing."""
    return flatten(phrase) in flatten(text)


NEGATIONS = ("no ", "not ", "never ", "denies ", "denied ", "without ")


def phrase_pattern(phrases: Iterable[str]) -> tuple[str, ...]:
    """The phrases flattened once, ready for mentions_affirmed(..., flat=True)."""
    return tuple(needle for needle in (flatten(p) for p in phrases) if needle)


def mentions_affirmed(text: str, phrases: Iterable[str], *, flat: bool = False, keys: tuple[str, ...] = ()) -> bool:
    """True when a phrase appears without a negation earlier in the same clause (a few words back).

    Pass flat=True when `text` and `phrases` are already flattened (CaseSnapshot.flat_text, phrase_pattern).
    `keys` is a quick first test: when given, text holding none of them cannot match.
    """
    haystack = text if flat else flatten(text)
    if keys and not any(key in haystack for key in keys):
        return False
    for phrase in phrases:
        needle = phrase if flat else flatten(phrase)
        start = haystack.find(needle)
        while start != -1:
            before = " " + re.split(r"[.;,:!?]", haystack[max(0, start - 30) : start])[-1]
            if not any(f" {neg}" in before for neg in NEGATIONS):
                return True
            start = haystack.find(needle, start + 1)
    return False
