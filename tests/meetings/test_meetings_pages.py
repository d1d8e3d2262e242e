"""The Meetings tab, a meeting's page, the actions list and the forms, for each persona."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from meetings.models import Action, Meeting
from meetings.services import action_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-06-01 10:00:00"):
        yield


def test_meetings_tab_lists_upcoming_and_past(web_as, users, case, held_core_group, scheduled_conference):
    response = web_as(users.hv).get(f"/cases/{case.pk}/meetings/")
    html = response.content.decode()
    assert response.status_code == 200
    upcoming, past = html.split("Past meetings")
    assert "Review child protection conference" in upcoming and "1 July 2026" in upcoming
    assert "Core group" in past and "20 May 2026" in past
    assert 'aria-current="page">Meetings<' in html
    assert "Schedule or record a meeting" not in html  # a practitioner does not schedule meetings


def test_meeting_page_shows_decisions_attendance_and_actions(web_as, users, case, held_core_group, hv_action):
    html = web_as(users.teacher).get(f"/cases/{case.pk}/meetings/{held_core_group.pk}/").content.decode()
    assert "Health visitor to visit weekly" in html
    assert "School to report attendance each Friday" in html
    assert "Riverside Primary School" in html  # apologies
    assert "Weekly home visit to see Kit" in html
    assert "Overdue" in html  # due 27 May, open on 1 June


def test_schedule_form_records_a_held_meeting(web_as, users, case, agencies):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/meetings/new/",
        {
            "kind": "core_group",
            "held_on-day": "28",
            "held_on-month": "5",
            "held_on-year": "2026",
            "chair": str(users.chair.pk),
            "invited": [str(agencies.hv.pk)],
            "attended": [str(agencies.csc.pk), str(agencies.hv.pk)],
            "summary": "Reviewed",
            "decisions": "Visit weekly\n\nNursery place to be found\n",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/meetings/{meeting.pk}/"
    assert meeting.decisions == ["Visit weekly", "Nursery place to be found"]
    assert meeting.entry.kind == "core_group"


def test_schedule_form_errors_are_summarised_and_nothing_is_written(web_as, users, case, agencies):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/meetings/new/",
        {
            "kind": "core_group",
            "held_on-day": "31",
            "held_on-month": "2",
            "held_on-year": "2026",
            "summary": "x" * 10_001,
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Date of the meeting must be a real date" in html
    assert "Summary must be 10,000 characters or fewer; this is 10,001." in html
    assert not Meeting.objects.exists()


def test_service_errors_reach_the_form(web_as, users, case, agencies):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/meetings/new/",
        {
            "kind": "core_group",
            "held_on-day": "1",
            "held_on-month": "7",
            "held_on-year": "2026",
            "attended": [str(agencies.hv.pk)],
        },
    )
    assert response.status_code == 400
    assert "has not happened yet" in response.content.decode()
    assert not Meeting.objects.exists()


def test_practitioner_may_not_open_the_schedule_form(web_as, users, case):
    assert web_as(users.hv).get(f"/cases/{case.pk}/meetings/new/").status_code == 403


def test_record_and_cancel_pages(web_as, users, case, agencies, scheduled_conference):
    with freeze_time("2026-07-02 10:00:00"):
        client = web_as(users.chair)
        page = client.get(f"/cases/{case.pk}/meetings/{scheduled_conference.pk}/")
        assert "Record the outcome" in page.content.decode()
        response = client.post(
            f"/cases/{case.pk}/meetings/{scheduled_conference.pk}/record/",
            {"attended": [str(agencies.csc.pk)], "decisions": "Plan continues"},
        )
    assert response.status_code == 302
    scheduled_conference.refresh_from_db()
    assert scheduled_conference.status == "held"
    refused = client.post(f"/cases/{case.pk}/meetings/{scheduled_conference.pk}/cancel/", {"reason": "x"})
    assert refused.status_code == 400
    assert "only a scheduled meeting is cancelled" in refused.content.decode()


def test_cancel_page_needs_a_reason(web_as, users, case, scheduled_conference):
    response = web_as(users.sw).post(f"/cases/{case.pk}/meetings/{scheduled_conference.pk}/cancel/", {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason" in response.content.decode()
    scheduled_conference.refresh_from_db()
    assert scheduled_conference.status == "scheduled"


def test_actions_list_filters_by_agency_and_overdue(web_as, users, case, agencies, hv_action):
    action_create(
        acting_user=users.sw,
        case=case,
        description="Send attendance figures",
        owner_agency=agencies.school,
        due_on=dt.date(2026, 6, 20),
    )
    client = web_as(users.teacher)
    everything = client.get(f"/cases/{case.pk}/actions/").content.decode()
    assert "Weekly home visit to see Kit" in everything and "Send attendance figures" in everything
    assert "govuk-task-list" in everything
    overdue = client.get(f"/cases/{case.pk}/actions/", {"overdue": "on"}).content.decode()
    assert "Weekly home visit to see Kit" in overdue and "Send attendance figures" not in overdue
    school = client.get(f"/cases/{case.pk}/actions/", {"owner_agency": agencies.school.pk}).content.decode()
    assert "Send attendance figures" in school and "Weekly home visit to see Kit" not in school
    bad = client.get(f"/cases/{case.pk}/actions/", {"owner_agency": "99999999999999999999999999"})
    assert bad.status_code == 400
    assert "There is a problem" in bad.content.decode()


def test_add_action_form(web_as, users, case, agencies, held_core_group):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/actions/new/",
        {
            "description": "Arrange a nursery place",
            "owner_agency": str(agencies.csc.pk),
            "due_on-day": "15",
            "due_on-month": "6",
            "due_on-year": "2026",
            "meeting": str(held_core_group.pk),
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().meeting == held_core_group
    bad = web_as(users.sw).post(
        f"/cases/{case.pk}/actions/new/",
        {"description": "", "owner_agency": str(agencies.hv.pk), "owner": str(users.teacher.pk), "due_on-day": "1"},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Enter what must be done" in html
    assert "Due date must include a month and year" in html
    assert Action.objects.count() == 1


def test_practitioner_completes_their_agencys_action_on_its_page(web_as, users, case, hv_action):
    teacher_page = web_as(users.teacher).get(f"/cases/{case.pk}/actions/{hv_action.pk}/").content.decode()
    assert "Mark as done" not in teacher_page
    assert web_as(users.teacher).post(f"/cases/{case.pk}/actions/{hv_action.pk}/", {}).status_code == 403
    client = web_as(users.hv)
    assert "Mark as done" in client.get(f"/cases/{case.pk}/actions/{hv_action.pk}/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/actions/{hv_action.pk}/",
        {"completed_on-day": "29", "completed_on-month": "5", "completed_on-year": "2026", "note": "Kit seen"},
    )
    assert response.status_code == 302
    hv_action.refresh_from_db()
    assert hv_action.status == "done"


def test_lead_cancels_an_action(web_as, users, case, hv_action):
    assert web_as(users.hv).get(f"/cases/{case.pk}/actions/{hv_action.pk}/cancel/").status_code == 403
    response = web_as(users.sw).post(f"/cases/{case.pk}/actions/{hv_action.pk}/cancel/", {"reason": "Replaced"})
    assert response.status_code == 302
    hv_action.refresh_from_db()
    assert hv_action.status == "cancelled"


def test_outsider_gets_404_on_every_meeting_and_action_page(web_as, users, case, held_core_group, hv_action):
    client = web_as(users.outsider)
    for path in (
        f"/cases/{case.pk}/meetings/",
        f"/cases/{case.pk}/meetings/new/",
        f"/cases/{case.pk}/meetings/{held_core_group.pk}/",
        f"/cases/{case.pk}/meetings/{held_core_group.pk}/record/",
        f"/cases/{case.pk}/meetings/{held_core_group.pk}/cancel/",
        f"/cases/{case.pk}/actions/",
        f"/cases/{case.pk}/actions/new/",
        f"/cases/{case.pk}/actions/{hv_action.pk}/",
        f"/cases/{case.pk}/actions/{hv_action.pk}/cancel/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {}).status_code in (404, 405), path
