from __future__ import annotations

import datetime as dt

import pytest

from chronology.services import entry_create

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def make_entry(case, users):
    """make_entry(user=hv, **fields) records an entry through the chronology service."""

    def make(user=None, **fields):
        fields.setdefault("occurred_on", dt.date(2026, 5, 1))
        fields.setdefault("kind", "home_visit")
        fields.setdefault("summary", "Home visit")
        fields.setdefault("today", TODAY)
        return entry_create(acting_user=user or users.hv, case=case, **fields)

    return make


@pytest.fixture
def missed_three(make_entry, people, users):
    """Three missed appointments for Kit with two agencies: was_not_brought fires from 2 May 2026."""
    return [
        make_entry(kind="appointment_missed", occurred_on=dt.date(2026, 3, 2), subjects=[people.baby.pk]),
        make_entry(kind="appointment_missed", occurred_on=dt.date(2026, 3, 14), subjects=[people.baby.pk]),
        make_entry(
            user=users.sw, kind="appointment_missed", occurred_on=dt.date(2026, 5, 2), subjects=[people.baby.pk]
        ),
    ]
