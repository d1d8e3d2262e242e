"""The case audit page pages by key (newest first, 100 a page, core.pagination's signed cursors),
with no OFFSET and no COUNT."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db

ROW = '<tr class="govuk-table__row"'


@pytest.fixture
def busy_case(case, users):
    for n in range(230):
        audit_record(actor=users.sw, action="case.viewed", case=case, detail={"n": n})
    return case


def _link(body: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', body)
    return html.unescape(found.group(1)) if found else None


def _event_ids(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-event="(\d+)"', body)]


def test_audit_page_shows_newest_hundred_and_links_to_older(web_as, busy_case, users):
    client = web_as(users.manager)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(f"/cases/{busy_case.pk}/audit/")
    assert first.status_code == 200
    # The audit rows are paged by keyset: no query over them counts or skips rows (the header's
    # count of unread notifications is another table's).
    audit_table = AuditEvent._meta.db_table.upper()
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries if audit_table in q["sql"].upper())
    assert audit_table in sql
    assert "OFFSET" not in sql and "COUNT(" not in sql
    events = list(AuditEvent.objects.filter(case=busy_case).order_by("-id").values_list("id", flat=True))
    body = first.content.decode()
    assert body.count(ROW) == 1 + 100  # the header row and a page of events
    assert _event_ids(body) == events[:100]
    assert _link(body, "prev") is None  # the newest page has nothing newer
    older = _link(body, "next")
    assert older and "cursor=" in older

    second = client.get(f"/cases/{busy_case.pk}/audit/{older}").content.decode()
    assert _event_ids(second) == events[100:200]
    newer = _link(second, "prev")
    assert newer and _event_ids(client.get(f"/cases/{busy_case.pk}/audit/{newer}").content.decode()) == events[:100]
    third = client.get(f"/cases/{busy_case.pk}/audit/{_link(second, 'next')}").content.decode()
    assert _event_ids(third) == events[200:]
    assert _link(third, "next") is None


def test_audit_page_with_a_cursor_not_made_here_says_so_with_a_link_to_the_first_page(web_as, busy_case, users):
    response = web_as(users.manager).get(f"/cases/{busy_case.pk}/audit/?cursor=drop")
    assert response.status_code == 400
    body = response.content.decode()
    assert "That page link is not valid: start again from the first page." in body
    assert ROW not in body


def test_audit_page_links_keep_the_filters(web_as, busy_case, users):
    client = web_as(users.manager)
    body = client.get(f"/cases/{busy_case.pk}/audit/?action=case.viewed").content.decode()
    older = _link(body, "next")
    assert older and "action=case.viewed" in older


def test_outsider_gets_404_for_an_audit_page(web_as, busy_case, users):
    assert web_as(users.outsider).get(f"/cases/{busy_case.pk}/audit/?cursor=x").status_code == 404
