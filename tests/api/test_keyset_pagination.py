"""core.pagination: one keyset scheme for every list, in the API and on pages."""

from __future__ import annotations

import pytest
from django.core import signing

from agencies.models import Agency
from core.pagination import (
    InvalidCursor,
    Ordering,
    cursor_after,
    encode_cursor,
    last_page_cursor,
    paginate,
)
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies_by_name():
    """Seven agencies in four areas: where areas are the same, the id decides."""
    areas = ["Bexley", "Alder", "Cedar", "Alder", "Bexley", "Alder", "Dunmore"]
    made = [AgencyFactory(name=f"Paging agency {i}", area=area) for i, area in enumerate(areas)]
    return sorted(made, key=lambda a: (a.area, -a.pk))


def _walk(qs, ordering, size):
    cursor, seen, pages = None, [], 0
    while True:
        page = paginate(qs, ordering, cursor=cursor, size=size)
        seen += page.rows
        pages += 1
        if not page.next_cursor:
            return seen, pages
        cursor = page.next_cursor


def test_pages_follow_a_mixed_ordering_ending_in_id_without_repeats_or_gaps(agencies_by_name):
    qs = Agency.objects.filter(pk__in=[a.pk for a in agencies_by_name])

    seen, pages = _walk(qs, ("area", "-id"), 2)

    assert seen == agencies_by_name
    assert pages == 4


def test_previous_page_comes_back_to_the_same_rows(agencies_by_name):
    qs = Agency.objects.filter(pk__in=[a.pk for a in agencies_by_name])
    first = paginate(qs, ("area", "-id"), cursor=None, size=3)
    second = paginate(qs, ("area", "-id"), cursor=first.next_cursor, size=3)

    back = paginate(qs, ("area", "-id"), cursor=second.previous_cursor, size=3)

    assert first.previous_cursor is None
    assert back.rows == first.rows
    assert back.previous_cursor is None and back.next_cursor


def test_last_page_cursor_opens_the_end_of_the_list(agencies_by_name):
    qs = Agency.objects.filter(pk__in=[a.pk for a in agencies_by_name])

    last = paginate(qs, ("area", "-id"), cursor=last_page_cursor(("area", "-id")), size=3)

    assert last.rows == agencies_by_name[-3:]
    assert last.next_cursor is None and last.previous_cursor


def test_an_ordering_must_end_in_id():
    with pytest.raises(ValueError, match="ends in id"):
        Ordering(("name",))


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "cD0xMjM=",  # DRF's old base64 cursor, "p=123"
        encode_cursor(("-id",), "n", [5]),  # made for another ordering
        signing.Signer(salt="another.salt").sign_object({"o": "id", "d": "n", "k": [5]}),
        signing.Signer(salt="core.pagination.cursor").sign_object({"o": "id", "d": "n", "k": ["abc"]}),
        signing.Signer(salt="core.pagination.cursor").sign_object({"o": "id", "d": "n", "k": [10**30]}),
        signing.Signer(salt="core.pagination.cursor").sign_object({"o": "id", "d": "x", "k": [5]}),
        signing.Signer(salt="core.pagination.cursor").sign_object({"o": "id", "d": "n", "k": None}),
        signing.Signer(salt="core.pagination.cursor").sign_object([1, 2]),
        encode_cursor(("id",), "n", [5])[:-2] + "xx",  # signature tampered with
    ],
)
def test_a_cursor_not_made_here_for_this_list_is_invalid(cursor):
    with pytest.raises(InvalidCursor):
        paginate(Agency.objects.all(), ("id",), cursor=cursor, size=10)


def test_api_list_answers_next_previous_and_results_with_the_page_size(api_as, users, agencies_by_name):
    client = api_as(users.admin)

    first = client.get("/api/v1/agencies/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert set(first) == {"next", "previous", "results"}
    assert len(first["results"]) == 3 and first["previous"] is None
    assert "page_size=3" in first["next"]
    assert [a["id"] for a in client.get(second["previous"]).json()["results"]] == [a["id"] for a in first["results"]]
    assert second["results"][0]["id"] > first["results"][-1]["id"]


def test_api_invalid_cursor_and_page_size_are_field_errors(api_as, users):
    client = api_as(users.admin)

    bad_cursor = client.get("/api/v1/agencies/", {"cursor": cursor_after(("-id",), {"id": 3})})
    bad_size = client.get("/api/v1/agencies/", {"page_size": "lots"})

    assert bad_cursor.status_code == 400 and "cursor" in bad_cursor.json()
    assert bad_size.status_code == 400 and "page_size" in bad_size.json()
