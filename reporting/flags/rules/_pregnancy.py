"""What the pregnancy rules share: who is the mother, how far on a pregnancy was, and the unborn child."""

from __future__ import annotations

import datetime as dt
import re

from reporting.flags.snapshot import CaseSnapshot, EntryRecord, PersonRecord

TERM_DAYS = 280  # 40 weeks: the due date is 40 weeks from the first day of the last period
PREGNANCY_DAYS = 10 * 30  # pregnancy entries about one woman this close together are one pregnancy

# "28 weeks pregnant", "booked at 30 weeks", "30/40", "gestation 26+3 weeks", "26 weeks' gestation"
_WEEKS = r"(\d{1,2})(?:\s*\+\s*([0-6]))?"
GESTATION_PATTERNS = (
    re.compile(_WEEKS + r"\s*/\s*40\b"),
    re.compile(_WEEKS + r"\s*(?:weeks?|wks?)'?\s*(?:pregnant|gestation|gestational|of pregnancy)"),
    re.compile(r"(?:gestation|gestational age|booked|booking|pregnant)\D{0,20}?" + _WEEKS + r"\s*(?:weeks?|wks?)\b"),
)


def gestation_in_text(text: str) -> int | None:
    """The gestation an entry states, in days ('28 weeks pregnant', '30/40', '26+3 weeks gestation')."""
    lowered = text.casefold()
    for pattern in GESTATION_PATTERNS:
        match = pattern.search(lowered)
        if match is not None:
            weeks = int(match.group(1))
            if 4 <= weeks <= 43:
                return weeks * 7 + int(match.group(2) or 0)
    return None


def gestation_on(due: dt.date, day: dt.date) -> int:
    """Days of gestation on a day, from the due date (40 weeks)."""
    return TERM_DAYS - (due - day).days


def say_gestation(days: int) -> str:
    weeks, rest = divmod(days, 7)
    return f"{weeks} weeks" + (f" and {rest} day{'s' if rest != 1 else ''}" if rest else "")


def unborn_on(person: PersonRecord, at: dt.date) -> bool:
    """A person with a due date who is not born by the date."""
    if person.expected_date_of_delivery is None:
        return False
    return person.date_of_birth is None or person.date_of_birth > at


def mothers_of(snapshot: CaseSnapshot, child_id: int, at: dt.date) -> set[int]:
    """The child's birth mother as the genogram records her: a female biological parent, else a
    biological parent not recorded as male."""
    parents = [
        snapshot.people_by_id[r.from_person]
        for r in snapshot.relationships
        if r.to_person == child_id and r.kind == "biological_parent" and r.from_person in snapshot.people_by_id
    ]
    female = {p.id for p in parents if p.sex == "female"}
    return female or {p.id for p in parents if p.sex != "male"}


def likely_adult(person: PersonRecord, at: dt.date) -> bool:
    if person.date_of_birth is None:
        return not person.is_subject and person.expected_date_of_delivery is None
    return person.is_adult_on(at) or (person.age_on(at) or 0) >= 12


def women_in(snapshot: CaseSnapshot, entry: EntryRecord) -> set[int]:
    """People an entry is about who could be the pregnant woman: not the baby, not a man, not a young child."""
    found = set()
    for person_id in entry.subjects:
        person = snapshot.person(person_id)
        if person is None or person.sex == "male" or person.expected_date_of_delivery is not None:
            continue
        if likely_adult(person, entry.occurred_on):
            found.add(person_id)
    return found
