"""The chronology's sort control, "jump to latest", text search and page links (pages and the entries API).

The page opens newest first; the API, exports and packs stay oldest first. A search reaches only
what the user may read in full: a restricted entry the user may not read is never a hit, so a
search cannot reveal a word of its hidden text.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from chronology.views.chronology import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _ids_in_page(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr class="govuk-table__row[^"]*" id="entry-(\d+)"', html)]


def _link(html: str, text: str) -> str:
    match = re.search(r'href="([^"]*)"[^>]*>(?:<svg.*?</svg>)?(?:<span[^>]*>)?' + re.escape(text), html)
    assert match, f"no link {text!r}"
    return match.group(1).replace("&amp;", "&")


def _follow(client, case, link: str) -> str:
    """GET a link of the chronology page: a query string ("?...") or the page's own path."""
    url = link if link.startswith("/") else f"/cases/{case.pk}/chronology/{link}"
    return client.get(url).content.decode()


@pytest.fixture
def three_days(make_entry, people, frozen_today):
    return [
        make_entry(occurred_on=dt.date(2026, 3, day), summary=f"Visit on day {day}", subjects=[people.child])
        for day in (1, 2, 3)
    ]


def test_page_opens_newest_first_with_a_sort_control(web_as, case, users, three_days):
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/").content.decode()

    assert _ids_in_page(html) == [e.pk for e in reversed(three_days)]
    assert "Showing newest entries first" in html
    assert 'name="order"' in html and "Sort by date" in html
    oldest = web_as(users.sw).get(f"/cases/{case.pk}/chronology/" + _link(html, "Show oldest first")).content.decode()
    assert _ids_in_page(oldest) == [e.pk for e in three_days]


def test_sort_control_in_the_filters_orders_oldest_first(web_as, case, users, three_days):
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/?order=oldest").content.decode()

    assert _ids_in_page(html) == [e.pk for e in three_days]
    assert '<option value="oldest" selected>' in html


def test_jump_to_latest_from_the_first_page_oldest_first_opens_the_last_page(web_as, case, users, make_entry, people):
    start = dt.date(2025, 1, 1)
    entries = [
        make_entry(occurred_on=start + dt.timedelta(days=i), summary=f"Entry {i}", subjects=[people.child])
        for i in range(PAGE_SIZE + 5)
    ]
    client = web_as(users.sw)
    first = client.get(f"/cases/{case.pk}/chronology/?order=oldest").content.decode()
    assert _ids_in_page(first)[0] == entries[0].pk

    latest = client.get(f"/cases/{case.pk}/chronology/" + _link(first, "Jump to latest entries")).content.decode()

    assert _ids_in_page(latest) == [e.pk for e in entries[-PAGE_SIZE:]]
    assert "Jump to latest entries" not in latest
    assert 'rel="prev"' in latest and 'rel="next"' not in latest


def test_jump_to_latest_newest_first_goes_back_to_the_first_page(web_as, case, users, make_entry, people):
    start = dt.date(2025, 1, 1)
    entries = [
        make_entry(occurred_on=start + dt.timedelta(days=i), summary=f"Entry {i}", subjects=[people.child])
        for i in range(PAGE_SIZE + 5)
    ]
    client = web_as(users.sw)
    first = client.get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "Jump to latest entries" not in first  # already there
    second = client.get(f"/cases/{case.pk}/chronology/" + _link(first, "Earlier entries")).content.decode()
    assert _ids_in_page(second) == [e.pk for e in reversed(entries[:5])]

    latest = _follow(client, case, _link(second, "Jump to latest entries"))

    assert _ids_in_page(latest)[0] == entries[-1].pk


def test_pages_keep_the_filters_and_the_order(web_as, case, users, make_entry, people):
    start = dt.date(2025, 1, 1)
    for i in range(PAGE_SIZE + 3):
        make_entry(occurred_on=start + dt.timedelta(days=i), summary=f"Visit {i}", subjects=[people.child])
    make_entry(occurred_on=start, kind="school_absence", summary="Absent", user=users.teacher)
    client = web_as(users.sw)
    first = client.get(f"/cases/{case.pk}/chronology/?kind=home_visit&order=oldest").content.decode()
    later = _link(first, "Later entries")
    assert "kind=home_visit" in later and "order=oldest" in later

    html = client.get(f"/cases/{case.pk}/chronology/" + later).content.decode()

    assert "Visit 52</a>" in html and "Visit 50</a>" in html and "Absent" not in html


def test_a_page_link_that_is_not_valid_says_so_with_a_link_to_the_first_page(web_as, case, users, three_days):
    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/?cursor=not-a-page-link&kind=home_visit")

    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "That page link is not valid" in html
    assert 'href="?kind=home_visit"' in html
    assert "<title>Error:" in html


def test_a_page_link_of_the_other_order_is_not_valid(web_as, case, users, make_entry, people):
    for i in range(PAGE_SIZE + 1):
        make_entry(occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=i), subjects=[people.child])
    client = web_as(users.sw)
    newest = client.get(f"/cases/{case.pk}/chronology/").content.decode()
    cursor = re.search(r"cursor=([^&\"]+)", _link(newest, "Earlier entries")).group(1)

    response = client.get(f"/cases/{case.pk}/chronology/?order=oldest&cursor={cursor}")

    assert response.status_code == 400


def test_search_finds_words_in_summary_or_detail(web_as, case, users, make_entry, people, frozen_today):
    bruise = make_entry(summary="Bruise on arm", detail="Mother said he fell at nursery")
    fell = make_entry(summary="Home visit", detail="Child fell from the sofa")
    other = make_entry(summary="Clinic appointment attended")
    client = web_as(users.sw)

    html = client.get(f"/cases/{case.pk}/chronology/?q=FELL").content.decode()
    both = client.get(f"/cases/{case.pk}/chronology/?q=fell+nursery").content.decode()

    assert set(_ids_in_page(html)) == {bruise.pk, fell.pk}
    assert _ids_in_page(both) == [bruise.pk]
    assert f'id="entry-{other.pk}"' not in html
    assert "matching the filters" in html


def test_search_never_hits_a_restricted_entry_the_user_may_not_read(web_as, case, users, make_entry, frozen_today):
    secret = make_entry(summary="Disclosure", detail="Mother spoke of the zanzibar flat", restricted=True)
    make_entry(summary="Home visit", detail="All well")
    client = web_as(users.teacher)

    hidden_word = client.get(f"/cases/{case.pk}/chronology/?q=zanzibar").content.decode()
    absent_word = client.get(f"/cases/{case.pk}/chronology/?q=qwertyuiop").content.decode()
    shared_word = client.get(f"/cases/{case.pk}/chronology/?q=mother").content.decode()

    # The same answer whether or not the hidden text holds the word: no row, no placeholder.
    for html in (hidden_word, absent_word, shared_word):
        assert f'id="entry-{secret.pk}"' not in html
        assert "A restricted entry exists" not in html
        assert "No entries match these filters." in html
    # Unfiltered, the teacher still sees the placeholder; the recording agency finds it by search.
    assert "A restricted entry exists" in client.get(f"/cases/{case.pk}/chronology/").content.decode()
    assert (
        f'id="entry-{secret.pk}"' in web_as(users.hv).get(f"/cases/{case.pk}/chronology/?q=zanzibar").content.decode()
    )


def test_search_that_is_too_long_is_a_field_error(web_as, case, users, frozen_today):
    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/", {"q": "x" * 201})

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Search must be 200 characters or fewer; this is 201." in html


def test_exports_follow_the_search_and_stay_oldest_first(web_as, case, users, make_entry, frozen_today):
    make_entry(occurred_on=dt.date(2026, 3, 2), summary="Second bruise")
    make_entry(occurred_on=dt.date(2026, 3, 1), summary="First bruise")
    make_entry(occurred_on=dt.date(2026, 3, 3), summary="Clinic")

    body = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.csv?q=bruise&order=newest").content.decode()

    assert "Clinic" not in body
    assert body.index("First bruise") < body.index("Second bruise")


# --- The entries API: `q` and `order` ---------------------------------------------------------


def test_api_order_newest_pages_newest_first(api_as, case, users, make_entry, people, frozen_today):
    entries = [make_entry(occurred_on=dt.date(2026, 3, day), subjects=[people.child]) for day in range(1, 6)]
    client = api_as(users.sw)
    url = f"/api/v1/cases/{case.pk}/entries/"

    oldest = client.get(url, {"page_size": 2}).json()
    newest = client.get(url, {"page_size": 2, "order": "newest"}).json()
    second = client.get(newest["next"]).json()

    assert [e["id"] for e in oldest["results"]] == [entries[0].pk, entries[1].pk]
    assert [e["id"] for e in newest["results"]] == [entries[4].pk, entries[3].pk]
    assert [e["id"] for e in second["results"]] == [entries[2].pk, entries[1].pk]
    assert [e["id"] for e in client.get(second["previous"]).json()["results"]] == [entries[4].pk, entries[3].pk]
    assert client.get(url, {"order": "sideways"}).status_code == 400


def test_api_search_leaves_out_restricted_entries_the_user_may_not_read(api_as, case, users, make_entry, frozen_today):
    secret = make_entry(summary="Disclosure", detail="zanzibar", restricted=True)
    open_entry = make_entry(summary="Zanzibar trip mentioned", detail="")
    url = f"/api/v1/cases/{case.pk}/entries/"

    teacher = api_as(users.teacher).get(url, {"q": "zanzibar"}).json()
    recorder = api_as(users.hv).get(url, {"q": "zanzibar"}).json()

    assert [e["id"] for e in teacher["results"]] == [open_entry.pk]
    assert {e["id"] for e in recorder["results"]} == {secret.pk, open_entry.pk}
    assert "q" in api_as(users.sw).get(url, {"q": "x" * 201}).json()


def test_api_schema_documents_q_and_order(api_as, users):
    schema = api_as(users.sw).get("/api/v1/schema/?format=json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/cases/{case_id}/entries/"]["get"]["parameters"]}

    assert {"q", "order", "cursor", "page_size"} <= set(params)
    assert set(params["order"]["schema"]["enum"]) == {"oldest", "newest"}


# --- Dates in the filters: the GOV.UK date input -------------------------------------------------


def test_filter_dates_are_typed_in_day_month_and_year_boxes(web_as, case, users, three_days):
    params = {"date_from-day": "2", "date_from-month": "3", "date_from-year": "2026"}

    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/", params).content.decode()

    assert _ids_in_page(html) == [three_days[2].pk, three_days[1].pk]
    assert 'name="date_from-day"' in html and 'name="date_to-year"' in html
    # Links (exports, timeline, pages) carry the date as one value.
    assert "export.csv?date_from=2026-03-02" in html


def test_a_date_that_is_not_real_is_a_specific_error(web_as, case, users, three_days):
    params = {"date_to-day": "31", "date_to-month": "2", "date_to-year": "2026"}

    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/", params).content.decode()

    assert "govuk-error-summary" in html
    assert "Date to show entries to must be a real date" in html
    assert _ids_in_page(html) == []


def test_a_to_date_before_the_from_date_is_an_error(web_as, case, users, three_days):
    html = (
        web_as(users.sw)
        .get(f"/cases/{case.pk}/chronology/", {"date_from": "2026-03-03", "date_to": "2026-03-01"})
        .content.decode()
    )

    assert "must be the same as or after the date to show them from" in html
