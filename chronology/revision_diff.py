"""What changed between an entry's revisions, field by field, in words a reader of the history can
follow: "Summary: Home visit → Home visit, Robin seen". The first revision is what was first
recorded; each later one lists only the fields it changed (and whether it retracted the entry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chronology.models import (
    CONTENT_FIELDS,
    PEOPLE_FIELDS,
    AdultCheckResult,
    AdultCheckType,
    EntryDatePrecision,
    EntryKind,
    EntryRevision,
    EntrySource,
    Significance,
    SleepSpace,
    format_entry_date,
)

LABELS = {
    "occurred_on": "Date",
    "occurred_time": "Time",
    "kind": "Kind",
    "summary": "Summary",
    "detail": "Detail",
    "child_voice": "The child's voice",
    "significance": "Significance",
    "source": "Source",
    "injury_body_site": "Injury: where on the body",
    "injury_type": "Injury: what kind",
    "injury_explanation": "Injury: explanation given",
    "injury_explanation_consistent": "Injury: explanation consistent",
    "adult_check_type": "Adult check: check made",
    "adult_check_result": "Adult check: result",
    "safer_sleep_advice_given": "Safer sleep: advice given",
    "safer_sleep_co_sleeping": "Safer sleep: co-sleeping",
    "safer_sleep_space": "Safer sleep: sleep space",
    "action": "Action taken",
    "outcome": "Outcome",
    "no_action_reason": "Why no action was taken",
    "restricted": "Restricted",
    "subjects": "About",
    "present": "Present",
    "seen": "Seen",
    "seen_alone": "Seen alone",
}
CHOICES: dict[str, Any] = {
    "kind": EntryKind,
    "significance": Significance,
    "source": EntrySource,
    "adult_check_type": AdultCheckType,
    "adult_check_result": AdultCheckResult,
    "safer_sleep_space": SleepSpace,
}
# Yes/no fields where no answer is a value of its own, said in words.
UNANSWERED = {
    "injury_explanation_consistent": "Not assessed",
    "safer_sleep_advice_given": "Not recorded",
    "safer_sleep_co_sleeping": "Not recorded",
}
# The date and its precision read as one value ("March 2026 (month only)").
COMPARED = ("occurred_on", *(f for f in CONTENT_FIELDS if f not in ("occurred_on", "date_precision")), *PEOPLE_FIELDS)
EMPTY = "(none)"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class RevisionChanges:
    revision: EntryRevision
    first: bool
    changes: list[Change] = field(default_factory=list)
    retracted_here: bool = False


def _shown(name: str, rev: EntryRevision, names: Mapping[int, str]) -> str:
    value: Any = getattr(rev, name)
    if name == "occurred_on":
        return format_entry_date(value, rev.date_precision or EntryDatePrecision.DAY)
    if name in PEOPLE_FIELDS:
        return ", ".join(names.get(pk, f"Person {pk}") for pk in value) or EMPTY
    if name in CHOICES and value:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return UNANSWERED.get(name, EMPTY)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _key(name: str, rev: EntryRevision) -> Any:
    if name == "occurred_on":
        return (rev.occurred_on, rev.date_precision)
    if name in PEOPLE_FIELDS:
        return sorted(getattr(rev, name))
    value = getattr(rev, name)
    return "" if value is None and name not in UNANSWERED else value


def revision_changes(revisions: Iterable[EntryRevision], names: Mapping[int, str]) -> list[RevisionChanges]:
    """Each revision, oldest first, with what it changed from the one before. `names` gives the
    people's names by id."""
    out: list[RevisionChanges] = []
    previous: EntryRevision | None = None
    for rev in revisions:
        if previous is None:
            item = RevisionChanges(revision=rev, first=True, retracted_here=rev.retracted)
            for name in ("occurred_on", "kind", "significance", "summary", *PEOPLE_FIELDS):
                shown = _shown(name, rev, names)
                if shown != EMPTY:
                    item.changes.append(Change(LABELS[name], "", shown))
        else:
            item = RevisionChanges(revision=rev, first=False, retracted_here=rev.retracted and not previous.retracted)
            for name in COMPARED:
                if _key(name, rev) != _key(name, previous):
                    item.changes.append(Change(LABELS[name], _shown(name, previous, names), _shown(name, rev, names)))
        out.append(item)
        previous = rev
    return out
