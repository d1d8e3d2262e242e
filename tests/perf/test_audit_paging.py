"""The case audit page pages by key (newest first, 100 a page), with no OFFSET and no COUNT."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_case(case, users):
    for n in range(230):
        audit_record(actor=users.sw, action="case.read", case=case, detail={"n": n})
    return case


def test_audit_page_shows_newest_hundred_and_links_to_older(web_as, busy_case, users):
    client = web_as(users.manager)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(f"/cases/{busy_case.pk}/audit/")
    assert first.status_code == 200
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    events = list(AuditEvent.objects.filter(case=busy_case).order_by("-id").values_list("id", flat=True))
    body = first.content.decode()
    assert body.count('<tr class="govuk-table__row">') == 1 + 100  # the header row and a page of events
    older = re.search(r'href="\?before=(\d+)"', body)
    assert older and int(older.group(1)) == events[99]
    assert 'href="?after=' not in body  # the newest page has nothing newer

    second = client.get(f"/cases/{busy_case.pk}/audit/?before={events[99]}").content.decode()
    assert second.count('<tr class="govuk-table__row">') == 1 + 100
    assert f'href="?after={events[100]}"' in second
    assert f'href="?before={events[199]}"' in second


def test_audit_page_ignores_a_cursor_that_is_not_a_number(web_as, busy_case, users):
    response = web_as(users.manager).get(f"/cases/{busy_case.pk}/audit/?before=drop")
    assert response.status_code == 200
    assert response.content.decode().count('<tr class="govuk-table__row">') == 1 + 100


def test_outsider_gets_404_for_an_audit_page(web_as, busy_case, users):
    assert web_as(users.outsider).get(f"/cases/{busy_case.pk}/audit/?before=5").status_code == 404
