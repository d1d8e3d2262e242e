"""Information sharing costs a fixed number of queries: telling a team of 30 costs what telling a team
of 3 costs; "my work" for a user in 200 cases costs what it costs in 2; the inbox and its API cost the
same for 2 and 12 notifications. Each is pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from audit.services import audit_record
from cases.models import TeamMember
from meetings.models import Action
from notifications.models import Notification
from notifications.services import case_status_notify
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

FAN_OUT_QUERIES = 5  # involved agencies, the people, a savepoint, the insert, its release
# The request's own (token or session, the user, the audit row) plus, for my work, seven reads (cases,
# overdue counts, flag states, last openings, new entries, actions, meetings) and the unread count.
MY_WORK_API_QUERIES = 10
MY_WORK_PAGE_QUERIES = 15
INBOX_API_QUERIES = 4
INBOX_PAGE_QUERIES = 9


def _team_of(case, agencies, size: int) -> None:
    for i in range(size):
        user = UserFactory(username=f"team_{case.pk}_{i}", agency=(agencies.hv, agencies.school)[i % 2])
        TeamMember.objects.create(case=case, user=user, role_in_case="Practitioner", started_on=dt.date(2026, 1, 1))


def _fan_out_queries(case, users) -> tuple[int, int]:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        case_status_notify(case=case, acting_user=users.sw, said="The case is now a child protection plan.")
    return len(queries), Notification.objects.filter(case=case).count()


def test_telling_a_team_of_30_costs_what_a_team_of_3_costs(agencies, users):
    small = CaseFactory(lead_agency=agencies.csc, lead_professional=users.sw, involve=[agencies.hv, agencies.school])
    large = CaseFactory(lead_agency=agencies.csc, lead_professional=users.sw, involve=[agencies.hv, agencies.school])
    _team_of(small, agencies, 3)
    _team_of(large, agencies, 30)

    few, told_few = _fan_out_queries(small, users)
    many, told_many = _fan_out_queries(large, users)

    assert (told_few, told_many) == (3, 30)  # the lead, the author, is not told
    assert few == many == FAN_OUT_QUERIES


def _cases_for(user, agencies, count: int) -> None:
    for _ in range(count):
        case = CaseFactory(lead_agency=agencies.csc, lead_professional=user, involve=[agencies.hv])
        Action.objects.create(
            case=case,
            description="Visit",
            owner_agency=agencies.csc,
            due_on=dt.date(2026, 1, 1),
            created_by=user,
        )
        audit_record(actor=user, action="case.viewed", case=case)


def _counted(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "pinned"), [("/api/v1/me/work/", MY_WORK_API_QUERIES), ("/my-work/", MY_WORK_PAGE_QUERIES)]
)
def test_my_work_for_200_cases_costs_what_it_costs_for_2(agencies, url, pinned, api_as, web_as):
    few_user = UserFactory(username="few_cases", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    many_user = UserFactory(username="many_cases", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    _cases_for(few_user, agencies, 2)
    _cases_for(many_user, agencies, 200)
    make = api_as if url.startswith("/api/") else web_as

    few_client = make(few_user)
    few_client.get(url)  # warm per-process caches
    few = _counted(few_client, url)
    many_client = make(many_user)
    many = _counted(many_client, url)

    assert (few, many) == (pinned, pinned)
    body = many_client.get(url)
    if url.startswith("/api/"):
        assert len(body.json()["cases"]) == 200 and len(body.json()["actions"]) == 200


def _notifications(case, user, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(user=user, case=case, kind="status_changed", text=f"Change {i}", url=f"/cases/{case.pk}/")
        for i in range(count)
    )


@pytest.mark.parametrize(
    ("url", "pinned"), [("/api/v1/notifications/", INBOX_API_QUERIES), ("/notifications/", INBOX_PAGE_QUERIES)]
)
def test_the_inbox_costs_the_same_for_2_and_12_notifications(case, users, url, pinned, api_as, web_as):
    client = (api_as if url.startswith("/api/") else web_as)(users.hv)
    _notifications(case, users.hv, 2)
    client.get(url)
    few = _counted(client, url)
    _notifications(case, users.hv, 10)
    many = _counted(client, url)

    assert (few, many) == (pinned, pinned)
