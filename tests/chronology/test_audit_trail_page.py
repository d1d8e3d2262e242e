"""The case audit trail page: readable descriptions of each event, and filters by person, event
and date (a GOV.UK form, its errors in an error summary)."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from audit.descriptions import describe_action
from audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(case, users):
    with freeze_time("2026-01-05 10:00:00"):
        audit_record(actor=users.sw, action="chronology.timeline_viewed", case=case)
        audit_record(actor=users.hv, action="entry.created", case=case)
        audit_record(actor=users.hv, action="chronology.viewed", case=case)
    with freeze_time("2026-03-05 10:00:00"):
        audit_record(actor=users.sw, action="flags.viewed", case=case)
    return case


def _rows(body: str) -> str:
    return body[body.index('id="audit-events"') : body.index("</table>", body.index('id="audit-events"'))]


def test_audit_page_describes_events_in_words(web_as, trail, users):
    body = web_as(users.manager).get(f"/cases/{trail.pk}/audit/").content.decode()
    rows = _rows(body)
    assert "Viewed the timeline" in rows
    assert "Added an entry" in rows
    assert describe_action("chronology.timeline_viewed") == "Viewed the timeline"


def test_audit_page_filters_by_person(web_as, trail, users):
    rows = _rows(web_as(users.manager).get(f"/cases/{trail.pk}/audit/?actor={users.hv.pk}").content.decode())
    assert "Added an entry" in rows and "Viewed the chronology" in rows
    assert "Viewed the timeline" not in rows and "Viewed the flags" not in rows


def test_audit_page_filters_by_event(web_as, trail, users):
    rows = _rows(web_as(users.manager).get(f"/cases/{trail.pk}/audit/?action=entry.created").content.decode())
    assert "Added an entry" in rows
    assert "Viewed the timeline" not in rows and "Viewed the chronology" not in rows


def test_audit_page_filters_by_date_with_day_month_year_boxes(web_as, trail, users):
    client = web_as(users.manager)
    query = "date_from-day=1&date_from-month=1&date_from-year=2026&date_to-day=31&date_to-month=1&date_to-year=2026"
    rows = _rows(client.get(f"/cases/{trail.pk}/audit/?{query}").content.decode())
    assert "Viewed the timeline" in rows and "Added an entry" in rows
    assert "Viewed the flags" not in rows


def test_audit_page_filter_form_offers_people_in_the_trail_and_described_events(web_as, trail, users):
    body = web_as(users.manager).get(f"/cases/{trail.pk}/audit/").content.decode()
    assert f'<option value="{users.hv.pk}">' in body
    assert f'<option value="{users.teacher.pk}">' not in body
    assert '<option value="chronology.timeline_viewed">Viewed the timeline</option>' in body


def test_audit_page_with_a_bad_date_shows_an_error_summary_and_every_row(web_as, trail, users):
    query = "date_from-day=31&date_from-month=2&date_from-year=2026"
    response = web_as(users.manager).get(f"/cases/{trail.pk}/audit/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Start date must be a real date" in body
    assert "Viewed the flags" in _rows(body)


def test_audit_page_with_an_end_before_the_start_says_so(web_as, trail, users):
    query = "date_from=2026-02-01&date_to=2026-01-01"
    body = web_as(users.manager).get(f"/cases/{trail.pk}/audit/?{query}").content.decode()
    assert "End date must be the same as or after the start date" in body


def test_audit_page_with_an_unknown_person_or_event_is_a_form_error_not_a_server_error(web_as, trail, users):
    response = web_as(users.manager).get(f"/cases/{trail.pk}/audit/?actor=99999999999999999999&action=x.y")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_audit_page_refused_to_a_practitioner(web_as, trail, users):
    assert web_as(users.hv).get(f"/cases/{trail.pk}/audit/").status_code in (403, 404)
