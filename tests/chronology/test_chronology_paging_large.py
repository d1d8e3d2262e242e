"""A 10,000-entry case pages without loading all rows: every page is one LIMITed keyset query."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronology.models import ChronologyEntry

pytestmark = pytest.mark.django_db

N = 10_000


@pytest.fixture
def big_case(case, users, agencies, people):
    start = dt.date(2016, 1, 1)
    ChronologyEntry.objects.bulk_create(
        [
            ChronologyEntry(
                case=case,
                agency=agencies.hv if i % 2 else agencies.school,
                recorded_by=users.hv,
                occurred_on=start + dt.timedelta(days=i // 3),
                sequence=1440 + i % 3,
                kind="note",
                summary=f"Entry {i}",
                significance="low",
            )
            for i in range(N)
        ],
        batch_size=2000,
    )
    return case


def entry_selects(queries):
    return [q["sql"] for q in queries if 'FROM "chronology_chronologyentry"' in q["sql"] and "COUNT" not in q["sql"]]


def test_chronology_page_of_a_10000_entry_case_fetches_one_page(web_as, big_case, users):
    client = web_as(users.sw)
    with CaptureQueriesContext(connection) as first:
        response = client.get(f"/cases/{big_case.pk}/chronology/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('id="entry-') == 50
    selects = entry_selects(first.captured_queries)
    assert selects, "the page must read entries"
    assert all(re.search(r"LIMIT \d+", sql) for sql in selects), selects
    assert all(int(re.search(r"LIMIT (\d+)", sql).group(1)) <= 51 for sql in selects)
    assert not any("OFFSET" in sql for sql in selects)

    next_link = re.search(r'href="(\?[^"]*cursor=[^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as second:
        page_two = client.get(f"/cases/{big_case.pk}/chronology/{next_link}")
    assert page_two.status_code == 200
    # Newest first on screen: the second page starts at the 51st newest entry.
    assert f"Entry {N - 51}</a>" in page_two.content.decode()
    assert f"Entry {N - 50}</a>" not in page_two.content.decode()
    assert len(second.captured_queries) == len(first.captured_queries)
    assert all(int(re.search(r"LIMIT (\d+)", sql).group(1)) <= 51 for sql in entry_selects(second.captured_queries))


def test_api_list_of_a_10000_entry_case_is_keyset_paginated(api_as, big_case, users):
    client = api_as(users.sw)
    with CaptureQueriesContext(connection) as captured:
        data = client.get(f"/api/v1/cases/{big_case.pk}/entries/?page_size=100").json()
    assert len(data["results"]) == 100
    assert data["next"]
    selects = entry_selects(captured.captured_queries)
    assert all(int(re.search(r"LIMIT (\d+)", sql).group(1)) <= 101 for sql in selects), selects
    seen = [e["id"] for e in data["results"]]
    url = data["next"]
    for _ in range(3):
        data = client.get(url).json()
        seen += [e["id"] for e in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == 400
    ordered = list(
        ChronologyEntry.objects.filter(case=big_case)
        .order_by("occurred_on", "sequence", "id")
        .values_list("id", flat=True)[:400]
    )
    assert seen == ordered


def test_highlight_opens_the_page_holding_the_entry(web_as, big_case, users):
    target = ChronologyEntry.objects.get(case=big_case, summary="Entry 7000")
    html = web_as(users.sw).get(f"/cases/{big_case.pk}/chronology/?highlight={target.pk}").content.decode()
    assert f'id="entry-{target.pk}"' in html
    assert 'rel="prev"' in html


def test_api_list_query_count_does_not_grow_with_the_page(api_as, case, users, people, make_entry, frozen_today):
    client = api_as(users.sw)
    make_entry(subjects=[people.child], seen=[people.child])
    client.get(f"/api/v1/cases/{case.pk}/entries/")  # warm the token and content-type caches
    with CaptureQueriesContext(connection) as one:
        client.get(f"/api/v1/cases/{case.pk}/entries/")
    for day in range(2, 30):
        make_entry(occurred_on=dt.date(2026, 4, day), subjects=[people.child], seen=[people.child, people.mother])
    with CaptureQueriesContext(connection) as many:
        data = client.get(f"/api/v1/cases/{case.pk}/entries/").json()
    assert len(data["results"]) == 29
    # Token and user, case, one page of entries, its people, the audit row: the same for 1 or 29 rows.
    assert len(many.captured_queries) == len(one.captured_queries) <= 14
