"""A frozen, in-memory picture of one case as of a date: what the flag rules read.

Nothing here touches the database. The loader (reporting/flags/loader.py) builds a CaseSnapshot
with a fixed number of queries; tests build one by hand.
"""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from reporting.flags.dates import age_in_months, age_in_years

if TYPE_CHECKING:
    from reporting.flags.meeting_records import ActionRecord, MeetingRecord

PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent", "foster_carer", "kinship_carer"})
LEGAL_PARENT_KINDS = frozenset({"biological_parent", "adoptive_parent", "step_parent"})
PARTNER_KINDS = frozenset({"married", "cohabiting", "partner"})
SIBLING_KINDS = frozenset({"sibling"})
ADULT_AGE = 18


SEPARATOR = "\x00"  # never in stored text (PostgreSQL text cannot hold it), never changed by casefold()


# Every whitespace character but the space itself (str.isspace: tests/flags/test_snapshot_text.py checks).
OTHER_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _spaces_collapsed(text: str) -> str:
    """Every run of whitespace as one space. A few whole-string passes (str.replace), rather than a
    regular expression or a split into words: most texts hold no whitespace but single spaces."""
    for space in OTHER_SPACES:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def flatten(text: str) -> str:
    """Text made easy to search: case-folded, hyphens as spaces, every run of whitespace (line breaks,
    tabs, no-break spaces) one space, none at either end."""
    return _spaces_collapsed(text.casefold().replace("-", " ")).strip(" ")


def flatten_joined(texts: list[str]) -> str:
    """flatten() of each text, joined by SEPARATOR: the same string as SEPARATOR.join(map(flatten, texts)),
    made in a few passes over all of them at once rather than one call per text.

    Case folding and the hyphens are per character; whitespace is collapsed over the whole (SEPARATOR
    is not whitespace, so no run crosses from one text into the next), and the space each text may
    then begin or end with is dropped beside its separators."""
    flat = _spaces_collapsed(SEPARATOR.join(texts).casefold().replace("-", " "))
    if f" {SEPARATOR}" in flat or f"{SEPARATOR} " in flat:
        flat = flat.replace(f" {SEPARATOR}", SEPARATOR).replace(f"{SEPARATOR} ", SEPARATOR)
    return flat.strip(" ")


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    id: int
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """A row of the case's legal-status history: from `effective_from` until the next row's (half-open)."""

    legal_status: str
    effective_from: dt.date
    protection_category: str = ""


@dataclass(frozen=True, slots=True)
class ClosureRecord:
    """A period the case was closed: from `closed_on` up to, not including, `reopened_on` (None: still closed)."""

    closed_on: dt.date
    reopened_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """The case's own facts: its legal status over time and when it was open.

    `legal_status` and `closed_on` are today's; `status_history` and `closures` say what they were
    on any date. A record built without a history (tests, old callers) reads today's status for
    every date."""

    id: int
    reference: str
    title: str
    status: str
    legal_status: str
    opened_on: dt.date
    closed_on: dt.date | None = None
    protection_category: str = ""
    status_history: tuple[StatusRecord, ...] = ()
    closures: tuple[ClosureRecord, ...] | None = None

    def status_on(self, day: dt.date) -> StatusRecord | None:
        """The legal status in force on the date (the history is oldest first); None before the case opened."""
        if day < self.opened_on:
            return None
        if not self.status_history:
            return StatusRecord(self.legal_status, self.opened_on, self.protection_category)
        found: StatusRecord | None = None
        for row in self.status_history:
            if row.effective_from > day:
                break
            found = row
        return found if found is not None else self.status_history[0]

    def legal_status_on(self, day: dt.date) -> str:
        row = self.status_on(day)
        return row.legal_status if row is not None else ""

    def open_on(self, day: dt.date) -> bool:
        if day < self.opened_on:
            return False
        if self.closures is None:
            return self.closed_on is None or day < self.closed_on
        return not any(c.closed_on <= day and (c.reopened_on is None or day < c.reopened_on) for c in self.closures)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    name: str
    date_of_birth: dt.date | None = None
    sex: str = "unknown"
    ethnicity: str = ""
    is_subject: bool = False
    independently_mobile: bool | None = None
    date_of_death: dt.date | None = None
    expected_date_of_delivery: dt.date | None = None

    def age_on(self, day: dt.date) -> int | None:
        """Whole years on a date; None when the date of birth is unknown or later."""
        if self.date_of_birth is None or day < self.date_of_birth:
            return None
        return age_in_years(self.date_of_birth, day)

    def months_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None or day < self.date_of_birth:
            return None
        return age_in_months(self.date_of_birth, day)

    def is_adult_on(self, day: dt.date) -> bool:
        age = self.age_on(day)
        return age is not None and age >= ADULT_AGE

    def is_child_on(self, day: dt.date) -> bool:
        """Under 18 on the date; a subject with no date of birth is taken to be a child."""
        age = self.age_on(day)
        if age is None:
            return self.is_subject
        return age < ADULT_AGE

    def alive_on(self, day: dt.date) -> bool:
        return self.date_of_death is None or day < self.date_of_death

    def not_mobile_on(self, day: dt.date, under_months: int) -> bool:
        """Recorded as not independently mobile, or younger than `under_months` on the date."""
        if self.independently_mobile is False:
            return True
        months = self.months_on(day)
        return months is not None and months < under_months


@dataclass(frozen=True, slots=True)
class InjuryRecord:
    body_site: str = ""
    injury_type: str = ""
    explanation: str = ""
    explanation_consistent: bool | None = None

    def describe(self) -> str:
        what = " to ".join(part for part in (self.injury_type, self.body_site) if part)
        return what or "injury"


class EntryRecord(NamedTuple):
    """One chronology entry in its current revision.

    A named tuple rather than a frozen dataclass, unlike the other records: a snapshot holds
    thousands of entries, and a frozen dataclass sets each of its 26 fields through
    object.__setattr__, ten times the cost of building the tuple (40 ms of a 10,000-entry load).
    Immutable all the same; change one with `_replace`."""

    id: int
    occurred_on: dt.date
    agency: AgencyRecord
    kind: str
    summary: str = ""
    detail: str = ""
    date_precision: str = "day"
    significance: str = "medium"
    subjects: frozenset[int] = frozenset()
    present: frozenset[int] = frozenset()
    seen: frozenset[int] = frozenset()
    seen_alone: frozenset[int] = frozenset()
    source: str = "observed"
    injury: InjuryRecord | None = None
    # An adult check (kind adult_check): which check (police, childrens_services, probation, health,
    # other) and its result (no_concerns, concerns, pending); the agency that made it is `agency`.
    adult_check_type: str = ""
    adult_check_result: str = ""
    # Safer sleep, wherever recorded (None: not recorded); sleep space: seen_safe, seen_unsafe, not_seen.
    safer_sleep_advice_given: bool | None = None
    safer_sleep_co_sleeping: bool | None = None
    safer_sleep_space: str = ""
    action: str = ""
    outcome: str = ""
    revision: int = 1
    amended: bool = False
    retracted: bool = False
    restricted: bool = False

    @property
    def text(self) -> str:
        """Summary and detail as one text; the full stop keeps a negation in one from reaching the other."""
        return f"{self.summary}. {self.detail}" if self.detail else self.summary

    def mentions(self, person_id: int) -> bool:
        return person_id in self.subjects or person_id in self.present or person_id in self.seen


# (occurred_on, id): the order entries are read in; attrgetter sorts thousands of them faster than a function.
_entry_order = operator.attrgetter("occurred_on", "id")


@dataclass(frozen=True, slots=True)
class RelationshipRecord:
    id: int
    kind: str
    from_person: int
    to_person: int
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def current_on(self, day: dt.date) -> bool:
        """Half-open, as the genogram records it: start <= day < end."""
        if self.start_date is not None and day < self.start_date:
            return False
        return self.end_date is None or day < self.end_date


@dataclass(frozen=True, slots=True)
class MembershipRecord:
    """A person living in a household from a date until the day they left (half-open; None is open)."""

    id: int
    household_id: int
    household_label: str
    person_id: int
    from_date: dt.date | None = None
    to_date: dt.date | None = None

    def current_on(self, day: dt.date) -> bool:
        if self.from_date is not None and day < self.from_date:
            return False
        return self.to_date is None or day < self.to_date


@dataclass(frozen=True)
class CaseSnapshot:
    """The case as of a date. Entries are current revisions occurring on or before `at`,
    oldest first; retracted ones are kept (a rule must skip them) so reviews can say why a
    flag changed."""

    case: CaseRecord
    at: dt.date
    people: tuple[PersonRecord, ...] = ()
    entries: tuple[EntryRecord, ...] = ()
    relationships: tuple[RelationshipRecord, ...] = ()
    memberships: tuple[MembershipRecord, ...] = ()
    agencies: tuple[AgencyRecord, ...] = field(default=())
    # Meetings (any status) and actions of the case: reporting/flags/meeting_records.py reads them.
    meetings: tuple[MeetingRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()

    @cached_property
    def people_by_id(self) -> dict[int, PersonRecord]:
        return {person.id: person for person in self.people}

    def person(self, person_id: int) -> PersonRecord | None:
        return self.people_by_id.get(person_id)

    def name(self, person_id: int) -> str:
        person = self.people_by_id.get(person_id)
        return person.name if person is not None else "an unnamed person"

    @cached_property
    def counted_entries(self) -> tuple[EntryRecord, ...]:
        """Entries that are not retracted, oldest first."""
        return tuple(sorted((e for e in self.entries if not e.retracted), key=_entry_order))

    @cached_property
    def entries_by_person(self) -> dict[int, list[EntryRecord]]:
        """Counted entries naming each person as subject, present or seen, oldest first."""
        index: dict[int, list[EntryRecord]] = {}
        get = index.get
        for entry in self.counted_entries:
            for person_id in entry.subjects.union(entry.present, entry.seen, entry.seen_alone):
                found = get(person_id)
                if found is None:
                    index[person_id] = [entry]
                else:
                    found.append(entry)
        return index

    @cached_property
    def entries_by_kind(self) -> dict[str, tuple[EntryRecord, ...]]:
        """Counted entries of each kind, oldest first: the rules ask for a few kinds out of thousands of entries."""
        index: dict[str, list[EntryRecord]] = {}
        for entry in self.counted_entries:
            index.setdefault(entry.kind, []).append(entry)
        return {kind: tuple(entries) for kind, entries in index.items()}

    @cached_property
    def injury_entries(self) -> tuple[EntryRecord, ...]:
        """Counted entries recording an injury (of kind injury, or with injury details), oldest first."""
        return tuple(e for e in self.counted_entries if e.kind == "injury" or e.injury is not None)

    def injuries(self, at: dt.date) -> list[EntryRecord]:
        return [e for e in self.injury_entries if e.occurred_on <= at]

    @cached_property
    def _flat_texts(self) -> dict[int, str]:
        return {}

    @cached_property
    def _corpus(self) -> tuple[str, list[int]]:
        """The counted entries' flat texts joined by SEPARATOR, and where each one starts."""
        corpus = flatten_joined([entry.text for entry in self.counted_entries])
        starts = [0]
        find = corpus.find
        found = find(SEPARATOR)
        while found != -1:
            starts.append(found + 1)
            found = find(SEPARATOR, found + 1)
        return corpus, starts

    @cached_property
    def _counted_days(self) -> list[dt.date]:
        return [entry.occurred_on for entry in self.counted_entries]

    def entries_containing(
        self, needles: Iterable[str], at: dt.date, since: dt.date | None = None
    ) -> list[EntryRecord]:
        """Counted entries from `since` (or the first) to `at` whose flat text holds any of the (flattened)
        needles, oldest first.

        One search per needle over all those texts at once, instead of one per needle per entry.
        """
        corpus, starts = self._corpus
        entries = self.counted_entries
        days = self._counted_days
        first = 0 if since is None else bisect.bisect_left(days, since)
        stop = bisect.bisect_right(days, at)
        if first >= stop:
            return []
        low, high = starts[first], (starts[stop] - 1 if stop < len(starts) else len(corpus))
        hits: set[int] = set()
        for needle in needles:
            if not needle:
                continue
            found = corpus.find(needle, low, high)
            while found != -1:
                index = bisect.bisect_right(starts, found) - 1
                hits.add(index)
                if index + 1 >= stop:
                    break
                found = corpus.find(needle, starts[index + 1], high)
        return [entries[i] for i in sorted(hits)]

    def flat_text(self, entry: EntryRecord) -> str:
        """The entry's summary and detail, case-folded, hyphens as spaces, whitespace collapsed (cached)."""
        cache = self._flat_texts
        flat = cache.get(entry.id)
        if flat is None:
            flat = cache[entry.id] = flatten(entry.text)
        return flat

    def live_entries(self, at: dt.date) -> Iterator[EntryRecord]:
        """Entries that count: not retracted, occurring on or before `at`, oldest first."""
        for entry in self.counted_entries:
            if entry.occurred_on > at:
                return
            yield entry

    @cached_property
    def _days_by_person(self) -> dict[int, list[dt.date]]:
        return {person_id: [e.occurred_on for e in entries] for person_id, entries in self.entries_by_person.items()}

    def entries_about(self, person_id: int, at: dt.date, since: dt.date | None = None) -> list[EntryRecord]:
        """Counted entries naming the person (entries_by_person) from `since` (or the first) to `at`, oldest first."""
        entries = self.entries_by_person.get(person_id)
        if not entries:
            return []
        days = self._days_by_person[person_id]
        first = 0 if since is None else bisect.bisect_left(days, since)
        return entries[first : bisect.bisect_right(days, at)]

    @cached_property
    def _seen_by_person(self) -> dict[int, tuple[list[dt.date], list[EntryRecord]]]:
        index: dict[int, list[EntryRecord]] = {}
        for entry in self.counted_entries:
            if entry.seen or entry.seen_alone:
                for person_id in entry.seen | entry.seen_alone:
                    index.setdefault(person_id, []).append(entry)
        return {person_id: ([e.occurred_on for e in found], found) for person_id, found in index.items()}

    def entries_seeing(self, person_id: int, at: dt.date) -> list[EntryRecord]:
        """Counted entries occurring on or before `at` that record the person as seen (alone or not), oldest first."""
        days, found = self._seen_by_person.get(person_id, ([], []))
        return found[: bisect.bisect_right(days, at)]

    def entries_of(self, at: dt.date, kinds: Iterable[str]) -> list[EntryRecord]:
        """Counted entries of the given kinds occurring on or before `at`, oldest first."""
        by_kind = self.entries_by_kind
        runs = [by_kind[kind] for kind in frozenset(kinds) if kind in by_kind]
        if not runs:
            return []
        found = list(runs[0]) if len(runs) == 1 else sorted((e for run in runs for e in run), key=_entry_order)
        if found and found[-1].occurred_on > at:
            found = [e for e in found if e.occurred_on <= at]
        return found

    def subject_children(self, at: dt.date) -> list[PersonRecord]:
        return [p for p in self.people if p.is_subject and p.alive_on(at) and p.is_child_on(at)]

    @cached_property
    def _memberships_by_person(self) -> dict[int, tuple[MembershipRecord, ...]]:
        index: dict[int, list[MembershipRecord]] = {}
        for m in self.memberships:
            index.setdefault(m.person_id, []).append(m)
        return {person_id: tuple(found) for person_id, found in index.items()}

    @cached_property
    def _memberships_by_household(self) -> dict[int, tuple[MembershipRecord, ...]]:
        index: dict[int, list[MembershipRecord]] = {}
        for m in self.memberships:
            index.setdefault(m.household_id, []).append(m)
        return {household_id: tuple(found) for household_id, found in index.items()}

    def households_of(self, person_id: int, at: dt.date) -> set[int]:
        return {m.household_id for m in self._memberships_by_person.get(person_id, ()) if m.current_on(at)}

    def household_label(self, household_id: int) -> str:
        found = self._memberships_by_household.get(household_id)
        return found[0].household_label if found else "the household"

    def members_on(self, household_id: int, at: dt.date) -> set[int]:
        return {m.person_id for m in self._memberships_by_household.get(household_id, ()) if m.current_on(at)}

    def parents_of(self, child_id: int, at: dt.date, kinds: frozenset[str] = PARENT_KINDS) -> set[int]:
        """Parent figures of a child on a date: parents, step-parents and carers."""
        return {
            r.from_person
            for r in self.relationships
            if r.to_person == child_id and r.kind in kinds and (r.kind in LEGAL_PARENT_KINDS or r.current_on(at))
        }

    def partners_of(self, person_id: int, at: dt.date) -> set[int]:
        partners: set[int] = set()
        for r in self.relationships:
            if r.kind in PARTNER_KINDS and r.current_on(at):
                if r.from_person == person_id:
                    partners.add(r.to_person)
                elif r.to_person == person_id:
                    partners.add(r.from_person)
        return partners

    @cached_property
    def _relationships_by_person(self) -> dict[int, tuple[RelationshipRecord, ...]]:
        """Each person's relationships (either end), so the sibling helpers need not scan every one each time."""
        index: dict[int, list[RelationshipRecord]] = {}
        for r in self.relationships:
            index.setdefault(r.from_person, []).append(r)
            if r.to_person != r.from_person:
                index.setdefault(r.to_person, []).append(r)
        return {person_id: tuple(rels) for person_id, rels in index.items()}

    def _legal_parents_of(self, child_id: int) -> set[int]:
        return {
            r.from_person
            for r in self._relationships_by_person.get(child_id, ())
            if r.to_person == child_id and r.kind in LEGAL_PARENT_KINDS
        }

    def _legal_children_of(self, parent_id: int) -> set[int]:
        return {
            r.to_person
            for r in self._relationships_by_person.get(parent_id, ())
            if r.from_person == parent_id and r.kind in LEGAL_PARENT_KINDS
        }

    def _partners_on(self, person_id: int, at: dt.date) -> set[int]:
        partners: set[int] = set()
        for r in self._relationships_by_person.get(person_id, ()):
            if r.kind in PARTNER_KINDS and r.current_on(at):
                partners.add(r.to_person if r.from_person == person_id else r.from_person)
        return partners

    def _living_on(self, person_id: int, at: dt.date) -> bool:
        """Born (or with no date of birth and not yet due) and not dead on the date."""
        person = self.people_by_id.get(person_id)
        if person is None:
            return False
        if not person.alive_on(at):
            return False
        if person.date_of_birth is not None:
            return person.date_of_birth <= at
        return person.expected_date_of_delivery is None or person.expected_date_of_delivery <= at

    def siblings_of(self, child_id: int, at: dt.date) -> set[int]:
        """The child's full, half and step siblings living on `at`, from the genogram.

        A sibling shares a parent (biological, adoptive or step: parenthood is not ended by a date,
        as in parents_of), or is the child (same kinds) of a parent's partner current on `at`
        (married, cohabiting, partner), or is joined to the child by a `sibling` relationship
        current on `at`. Foster and kinship carers do not make the children they care for siblings.
        People not yet born or dead on `at` are left out, as is the child itself.
        """
        parents = self._legal_parents_of(child_id)
        step_parents: set[int] = set()
        for parent_id in parents:
            step_parents |= self._partners_on(parent_id, at)
        found: set[int] = set()
        for parent_id in parents | step_parents:
            found |= self._legal_children_of(parent_id)
        for r in self._relationships_by_person.get(child_id, ()):
            if r.kind in SIBLING_KINDS and r.current_on(at):
                found.add(r.to_person if r.from_person == child_id else r.from_person)
        found.discard(child_id)
        found -= parents | step_parents  # a parent recorded as a parent's child too (a data error) is not a sibling
        return {person_id for person_id in found if self._living_on(person_id, at)}

    def siblings_in_household_of(self, child_id: int, at: dt.date) -> set[int]:
        """The child's siblings (siblings_of) who live in a household with the child on `at`."""
        siblings = self.siblings_of(child_id, at)
        if not siblings:
            return set()
        housemates: set[int] = set()
        for household_id in self.households_of(child_id, at):
            housemates |= self.members_on(household_id, at)
        return siblings & housemates
