"""The chronology pages: merged table, filters, highlight, restricted placeholders, add, amend, retract."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from chronology.models import ChronologyEntry, EntryRevision

pytestmark = pytest.mark.django_db


def test_merged_chronology_lists_every_agencys_entries(web_as, case, people, users, make_entry, frozen_today):
    hv_entry = make_entry(summary="HV home visit")
    school_entry = make_entry(user=users.teacher, kind="school_absence", summary="Absent from school")
    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="entry-{hv_entry.pk}"' in html
    assert f'id="entry-{school_entry.pk}"' in html
    assert "Northshire Health Visiting" in html and "Riverside Primary School" in html
    assert AuditEvent.objects.filter(action="chronology.viewed", case=case, actor=users.sw).exists()


def test_chronology_tab_is_in_the_case_header(web_as, case, users):
    html = web_as(users.sw).get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/chronology/"' in html


def test_significance_is_shown_as_text(web_as, case, people, users, make_entry, frozen_today):
    make_entry(significance="high", action="Referred to CSC")
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/").content.decode()
    assert 'app-significance--high">High<' in html


def test_month_precision_date_is_never_shown_as_the_first(web_as, case, people, users, make_entry, frozen_today):
    make_entry(occurred_on=dt.date(2026, 3, 17), date_precision="month", summary="Moved house sometime in March")
    make_entry(occurred_on=dt.date(2025, 7, 9), date_precision="year", summary="Started nursery")
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "March 2026 (month only)" in html
    assert "1 March 2026" not in html
    assert "2025 (year only)" in html
    assert "1 January 2025" not in html


def test_highlight_marks_rows_with_text(web_as, case, people, users, make_entry, frozen_today):
    a = make_entry(summary="first")
    b = make_entry(summary="second")
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/?highlight={a.pk},999999").content.decode()
    row_a = html.split(f'id="entry-{a.pk}"')[0].rsplit("<tr", 1)[1]
    row_b = html.split(f'id="entry-{b.pk}"')[0].rsplit("<tr", 1)[1]
    assert "app-row--highlight" in row_a and "app-row--highlight" not in row_b
    assert "Highlighted" in html.split(f'id="entry-{a.pk}"')[1].split("</tr>")[0]
    assert "Highlighted" not in html.split(f'id="entry-{b.pk}"')[1].split("</tr>")[0]


def test_filters_on_the_page(web_as, case, people, users, agencies, make_entry, frozen_today):
    make_entry(summary="HV visit")
    make_entry(user=users.teacher, kind="school_absence", summary="Absent")
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/?agency={agencies.school.pk}").content.decode()
    assert "Absent" in html and "HV visit" not in html
    bad = web_as(users.sw).get(f"/cases/{case.pk}/chronology/?date_from=notadate")
    assert bad.status_code == 200
    assert "govuk-error-summary" in bad.content.decode()


def test_restricted_entry_is_a_placeholder_for_another_agency(
    web_as, api_as, case, people, users, make_entry, frozen_today
):
    entry = make_entry(summary="Mother disclosed a secret", restricted=True)
    html = web_as(users.teacher).get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "Mother disclosed a secret" not in html
    assert "A restricted entry exists for this date. It is held by Northshire Health Visiting." in html
    assert "1 May 2026" in html
    detail = web_as(users.teacher).get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    assert "Mother disclosed a secret" not in detail
    data = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/{entry.pk}/").json()
    assert data["masked"] is True and data["kind"] is None and "secret" not in str(data)
    assert api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/{entry.pk}/revisions/").status_code == 403


@pytest.mark.parametrize("who", ["hv", "sw", "admin"])
def test_restricted_entry_is_shown_in_full_to_recorder_lead_and_admin(
    who, web_as, case, people, users, make_entry, frozen_today
):
    make_entry(summary="Mother disclosed a secret", restricted=True)
    html = web_as(getattr(users, who)).get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "Mother disclosed a secret" in html


def test_filter_by_kind_does_not_reveal_restricted_entries(api_as, case, people, users, make_entry, frozen_today):
    make_entry(kind="disclosure", summary="Secret", restricted=True)
    results = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/?kind=disclosure").json()["results"]
    assert results == []
    results = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/").json()["results"]
    assert len(results) == 1 and results[0]["masked"] is True


def test_add_entry_form_records_an_entry(web_as, case, people, users, agencies, frozen_today):
    client = web_as(users.hv)
    assert client.get(f"/cases/{case.pk}/chronology/new/").status_code == 200
    response = client.post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on": "2026-05-20",
            "date_precision": "day",
            "kind": "home_visit",
            "summary": "Home visit, Robin seen alone in her room",
            "child_voice": "I like my new bed",
            "significance": "medium",
            "subjects": [people.child.pk],
            "seen": [people.child.pk, people.mother.pk],
            "seen_alone": [people.child.pk],
            "source": "observed",
        },
    )
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert entry.agency == agencies.hv
    assert entry.child_voice == "I like my new bed"
    assert list(entry.seen_alone.all()) == [people.child]
    assert response["Location"].endswith(f"?highlight={entry.pk}#entry-{entry.pk}")


def test_add_entry_form_shows_errors_in_a_summary(web_as, case, people, users, frozen_today):
    response = web_as(users.hv).post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on": "2026-05-20",
            "date_precision": "day",
            "kind": "injury",
            "summary": "Bruise",
            "significance": "high",
            "subjects": [people.child.pk],
            "source": "observed",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "where on the body" in html
    assert "action taken" in html
    assert not ChronologyEntry.objects.exists()


def test_amend_on_the_entry_page_keeps_the_history(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Visit", subjects=[people.child])
    client = web_as(users.hv)
    page = client.get(f"/cases/{case.pk}/chronology/{entry.pk}/amend/").content.decode()
    assert 'name="amend-revision"' in page and 'value="1"' in page
    response = client.post(
        f"/cases/{case.pk}/chronology/{entry.pk}/amend/",
        {
            "amend-reason": "Added who was seen",
            "amend-revision": "1",
            "amend-occurred_on": "2026-05-01",
            "amend-date_precision": "day",
            "amend-kind": "home_visit",
            "amend-summary": "Visit, Robin and Alex seen",
            "amend-significance": "medium",
            "amend-subjects": [people.child.pk],
            "amend-seen": [people.child.pk, people.mother.pk],
            "amend-source": "observed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert entry.revision == 2 and entry.amended
    assert sorted(p.pk for p in entry.seen.all()) == sorted([people.child.pk, people.mother.pk])
    html = client.get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    assert "Added who was seen" in html
    assert 'id="revision-1"' in html and 'id="revision-2"' in html


def test_stale_amend_on_the_page_says_so(web_as, case, people, users, make_entry, frozen_today):
    from chronology.services import entry_amend

    entry = make_entry(summary="Visit")
    entry_amend(acting_user=users.hv, entry=entry, reason="first", expected_revision=1, summary="Visit 2")
    response = web_as(users.hv).post(
        f"/cases/{case.pk}/chronology/{entry.pk}/amend/",
        {
            "amend-reason": "late",
            "amend-revision": "1",
            "amend-occurred_on": "2026-05-01",
            "amend-date_precision": "day",
            "amend-kind": "home_visit",
            "amend-summary": "Visit 3",
            "amend-significance": "medium",
            "amend-subjects": [people.child.pk],
            "amend-seen": [people.child.pk],
            "amend-source": "observed",
        },
    )
    assert response.status_code == 409
    assert "has changed since you opened it" in response.content.decode()
    assert EntryRevision.objects.filter(entry=entry).count() == 2


def test_retract_on_the_page(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry(summary="Wrong family")
    client = web_as(users.hv)
    response = client.post(
        f"/cases/{case.pk}/chronology/{entry.pk}/retract/",
        {"retract-reason": "Wrong family", "retract-revision": "1", "retract-confirm": "on"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.retracted and entry.revision == 2
    html = client.get(f"/cases/{case.pk}/chronology/").content.decode()
    assert "Retracted" in html


def test_other_agency_sees_no_amend_form_and_cannot_post_one(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = web_as(users.teacher)
    html = client.get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    assert "Amend this entry" not in html
    response = client.post(
        f"/cases/{case.pk}/chronology/{entry.pk}/retract/", {"retract-reason": "x", "retract-revision": "1"}
    )
    assert response.status_code == 403


def test_possible_duplicates_are_grouped_not_merged(web_as, case, people, users, make_entry, frozen_today):
    a = make_entry(
        kind="injury",
        summary="Bruise seen by HV",
        injury_body_site="arm",
        injury_type="bruise",
        subjects=[people.child],
        significance="medium",
    )
    b = make_entry(
        user=users.teacher,
        kind="injury",
        summary="Bruise seen at school",
        injury_body_site="arm",
        injury_type="bruise",
        subjects=[people.child],
        significance="medium",
    )
    c = make_entry(kind="home_visit", summary="Unrelated", subjects=[people.child])
    html = web_as(users.sw).get(f"/cases/{case.pk}/chronology/").content.decode()
    row = lambda e: html.split(f'id="entry-{e.pk}"')[1].split("</tr>")[0]  # noqa: E731
    assert "Possible duplicate" in row(a) and f'href="#entry-{b.pk}"' in row(a)
    assert "Possible duplicate" in row(b) and f'href="#entry-{a.pk}"' in row(b)
    assert "Possible duplicate" not in row(c)
    assert ChronologyEntry.objects.count() == 3


def test_timeline_has_one_lane_per_agency(web_as, case, people, users, make_entry, frozen_today):
    make_entry(summary="HV visit", significance="high", action="Referred")
    make_entry(user=users.teacher, kind="school_absence", summary="Absent")
    response = web_as(users.sw).get(f"/cases/{case.pk}/chronology/timeline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="app-timeline-lane"') == 2
    assert "Northshire Health Visiting (1)" in html and "Riverside Primary School (1)" in html
    assert "high significance" in html
    assert "<img" not in html


def test_outsider_gets_404_for_every_chronology_page(web_as, case, people, users, make_entry, frozen_today):
    entry = make_entry()
    client = web_as(users.outsider)
    for path in ["", "timeline/", "new/", "import/", "export.csv", "export.xlsx", f"{entry.pk}/"]:
        assert client.get(f"/cases/{case.pk}/chronology/{path}").status_code == 404, path
    assert client.post(f"/cases/{case.pk}/chronology/{entry.pk}/amend/", {}).status_code == 404
    assert client.post(f"/cases/{case.pk}/chronology/{entry.pk}/retract/", {}).status_code == 404
    assert client.post(f"/cases/{case.pk}/chronology/new/", {}).status_code == 404
