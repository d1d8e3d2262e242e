"""Shared shape of the rules that count entries of some kinds about one child within a window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from reporting.flags.base import clusters
from reporting.flags.snapshot import CaseSnapshot, EntryRecord
from reporting.flags.text import counted


def entries_per_child(
    snapshot: CaseSnapshot,
    at: dt.date,
    kinds: Iterable[str],
    *,
    keep: Callable[[EntryRecord], bool] | None = None,
) -> dict[int, list[EntryRecord]]:
    """Counted entries of the kinds up to `at`, by each child they are about (a child on the entry's date)."""
    per_child: dict[int, list[EntryRecord]] = {}
    for entry in snapshot.entries_of(at, kinds):
        if keep is not None and not keep(entry):
            continue
        for person_id in entry.subjects:
            person = snapshot.person(person_id)
            if person is not None and person.is_child_on(entry.occurred_on) and person.alive_on(entry.occurred_on):
                per_child.setdefault(person_id, []).append(entry)
    return per_child


def runs_by_day(entries: list[EntryRecord], count: int, months: int) -> list[list[EntryRecord]]:
    """Runs of at least `count` days with entries within `months` months, each day's entries all kept.

    Several agencies recording one event on the same day count once: it is one event, seen by each.
    """
    first_of_day: dict[dt.date, EntryRecord] = {}
    for entry in entries:
        first_of_day.setdefault(entry.occurred_on, entry)
    runs = clusters(list(first_of_day.values()), count, months)
    return [[e for e in entries if e.occurred_on in {r.occurred_on for r in run}] for run in runs]


def say_times(n: int) -> str:
    """'once', 'twice', 'three times'."""
    return {1: "once", 2: "twice"}.get(n) or counted(n, "time")
