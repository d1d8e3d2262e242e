from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from chronology.services import entry_create

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def frozen_today():
    """Entries are dated against a fixed today, never the wall clock."""
    with freeze_time("2026-06-01 10:00:00"):
        yield TODAY


@pytest.fixture
def make_entry(case, users):
    """make_entry(user=hv, **fields) records an entry through the service, as revision 1."""

    def make(user=None, **fields):
        fields.setdefault("occurred_on", dt.date(2026, 5, 1))
        fields.setdefault("kind", "home_visit")
        fields.setdefault("summary", "Home visit, children seen")
        fields.setdefault("significance", "medium")
        fields.setdefault("today", TODAY)
        return entry_create(acting_user=user or users.hv, case=case, **fields)

    return make
