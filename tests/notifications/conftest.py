"""Information sharing: the case of tests/conftest.py with a team around the child.

The team: the lead social worker (sw, lead agency), the health visitor (hv) and the teacher
(teacher), each of an involved agency. The manager and the chair are of the lead agency but not in
the team; the outsider's agency is not involved. Time is frozen on 1 June 2026."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases.services import team_member_add
from chronology.services import entry_create
from notifications.models import Notification

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with freeze_time("2026-06-01 10:00:00"):
        yield TODAY


@pytest.fixture
def team(case, users):
    team_member_add(acting_user=users.sw, case=case, user=users.hv, role_in_case="Health visitor", today=TODAY)
    team_member_add(acting_user=users.sw, case=case, user=users.teacher, role_in_case="Class teacher", today=TODAY)
    return case


@pytest.fixture
def record(case):
    """record(user, **fields) records an entry through the service."""

    def make(user, **fields):
        fields.setdefault("occurred_on", dt.date(2026, 5, 1))
        fields.setdefault("kind", "home_visit")
        fields.setdefault("summary", "Home visit, children seen")
        fields.setdefault("significance", "medium")
        if fields["significance"] == "high":
            fields.setdefault("action", "Referred to children's social care")
        return entry_create(acting_user=user, case=case, today=TODAY, **fields)

    return make


def told(kind: str, case=None) -> dict[str, list[str]]:
    """username -> texts of the notifications of this kind."""
    rows = Notification.objects.filter(kind=kind).select_related("user").order_by("id")
    if case is not None:
        rows = rows.filter(case=case)
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.user.username, []).append(row.text)
    return out
