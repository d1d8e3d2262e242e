"""The case overview and the pages for each lifecycle action: GOV.UK forms whose error summaries
say what is wrong, refused to those the policy does not allow, and nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from cases.models import CaseClosure, CaseSummaryRevision, LegalStatusChange, TeamMember
from cases.services import case_close, case_status_change, case_summary_revise, team_member_add
from genogram.services import household_create, household_member_add, relationship_create

pytestmark = pytest.mark.django_db
TODAY = "2026-06-15"


def _date(prefix, day):
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


@freeze_time(TODAY)
def test_overview_shows_plan_since_when_children_household_relationships_team_and_summary(case, people, users, web_as):
    case_status_change(
        acting_user=users.sw,
        case=case,
        legal_status="child_protection",
        protection_category="neglect",
        effective_from=dt.date(2026, 3, 2),
        reason="Initial conference",
    )
    home = household_create(acting_user=users.sw, case=case, label="12 Oak Road")
    household_member_add(acting_user=users.sw, household=home, person=people.child, from_date=dt.date(2021, 4, 4))
    relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.child
    )
    relationship_create(
        acting_user=users.sw, case=case, kind="biological_parent", from_person=people.mother, to_person=people.baby
    )
    team_member_add(acting_user=users.hv, case=case, user=users.hv, role_in_case="Health visitor for Kit")
    case_summary_revise(acting_user=users.sw, case=case, text="Robin and Kit live with their mother Alex.")
    html = web_as(users.hv).get(f"/cases/{case.pk}/").content.decode()
    assert "Child protection plan (neglect)" in html and "Since 2 March 2026" in html
    assert "5 years old" in html and "12 Oak Road" in html
    assert "Mother of Robin and Kit" in html
    assert "Health visitor for Kit" in html and "Lead professional" in html
    assert "Robin and Kit live with their mother Alex." in html
    assert "Change<span" not in html  # a health visitor cannot change the status
    lead_html = web_as(users.sw).get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/status/" in lead_html and f"/cases/{case.pk}/close/" in lead_html


@freeze_time(TODAY)
def test_status_change_page_shows_specific_errors_and_writes_nothing(case, users, web_as):
    client = web_as(users.sw)
    response = client.post(f"/cases/{case.pk}/status/", {"legal_status": "child_protection"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter the date the status changed" in html
    assert "Enter reason for the change" in html
    response = client.post(
        f"/cases/{case.pk}/status/",
        {"legal_status": "child_protection", "reason": "ICPC", **_date("effective_from", dt.date(2026, 3, 2))},
    )
    assert "Select the category of the child protection plan." in response.content.decode()
    assert LegalStatusChange.objects.filter(case=case).count() == 1


@freeze_time(TODAY)
def test_status_change_page_records_the_change(case, users, web_as):
    body = {
        "legal_status": "child_protection",
        "protection_category": "emotional_abuse",
        "reason": "Initial child protection conference",
        **_date("effective_from", dt.date(2026, 3, 2)),
    }
    response = web_as(users.sw).post(f"/cases/{case.pk}/status/", body)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.protection_category == "emotional_abuse"


@freeze_time(TODAY)
@pytest.mark.parametrize("path", ["status/", "close/", "lead/", "summary/"])
def test_lifecycle_pages_are_refused_to_a_practitioner(case, users, web_as, path):
    assert web_as(users.hv).get(f"/cases/{case.pk}/{path}").status_code == 403


@freeze_time(TODAY)
@pytest.mark.parametrize("path", ["status/", "close/", "reopen/", "lead/", "team/", "summary/", "summary/revisions/"])
def test_lifecycle_pages_are_not_found_for_the_outsider(case, users, web_as, path):
    assert web_as(users.outsider).get(f"/cases/{case.pk}/{path}").status_code == 404


@freeze_time(TODAY)
def test_close_page_closes_and_the_overview_says_so_with_a_reopen_link(case, users, web_as):
    client = web_as(users.manager)
    body = {"outcome": "moved_area", "reason": "Family moved to Southshire.", **_date("closed_on", dt.date(2026, 6, 1))}
    assert client.post(f"/cases/{case.pk}/close/", body).status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "This case closed on 1 June 2026: moved out of the area." in html
    assert f"/cases/{case.pk}/reopen/" in html
    assert "Add a person" not in html


@freeze_time(TODAY)
def test_close_page_without_outcome_or_reason_is_an_error_summary(case, users, web_as):
    html = web_as(users.sw).post(f"/cases/{case.pk}/close/", _date("closed_on", dt.date(2026, 6, 1))).content.decode()
    assert "Select the outcome of the case" in html and "Enter reason for closing" in html
    assert not CaseClosure.objects.exists()


@freeze_time(TODAY)
def test_reopen_page_reopens_a_closed_case(case, users, web_as):
    case_close(acting_user=users.sw, case=case, closed_on=dt.date(2026, 6, 1), outcome="other", reason="Closed")
    body = {"reason": "Re-referral from school", **_date("reopened_on", dt.date(2026, 6, 12))}
    assert web_as(users.sw).post(f"/cases/{case.pk}/reopen/", body).status_code == 302
    case.refresh_from_db()
    assert case.status == "open"


@freeze_time(TODAY)
def test_team_page_offers_a_practitioner_only_their_own_agency_and_adds_them(case, users, web_as):
    client = web_as(users.hv)
    html = client.get(f"/cases/{case.pk}/team/").content.decode()
    assert users.hv.display_name in html and users.teacher.display_name not in html
    refused = client.post(f"/cases/{case.pk}/team/", {"user": users.teacher.pk, "role_in_case": "Teacher"})
    assert "Select the professional" in refused.content.decode()
    added = client.post(f"/cases/{case.pk}/team/", {"user": users.hv.pk, "role_in_case": "Health visitor"})
    assert added.status_code == 302
    member = TeamMember.objects.get(case=case, user=users.hv)
    ended = client.post(f"/cases/{case.pk}/team/{member.pk}/end/", _date("ended_on", dt.date(2026, 6, 15)))
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == dt.date(2026, 6, 15)


@freeze_time(TODAY)
def test_the_lead_cannot_end_their_own_team_membership_on_the_page(case, users, web_as):
    lead = TeamMember.objects.get(case=case, user=users.sw)
    html = web_as(users.sw).post(f"/cases/{case.pk}/team/{lead.pk}/end/", _date("ended_on", dt.date(2026, 6, 15)))
    assert "The lead professional is always in the team" in html.content.decode()


@freeze_time(TODAY)
def test_summary_page_saves_a_revision_and_the_history_page_lists_them(case, users, web_as):
    client = web_as(users.sw)
    assert client.post(f"/cases/{case.pk}/summary/", {"text": "First words", "revision": 0}).status_code == 302
    assert client.post(f"/cases/{case.pk}/summary/", {"text": "Second words", "revision": 1}).status_code == 302
    empty = client.post(f"/cases/{case.pk}/summary/", {"text": "", "revision": 2}).content.decode()
    assert "Enter the case summary" in empty
    html = client.get(f"/cases/{case.pk}/summary/revisions/").content.decode()
    assert html.index("Second words") < html.index("First words")
    assert CaseSummaryRevision.objects.filter(case=case).count() == 2


@freeze_time(TODAY)
def test_handover_page_lists_social_workers_of_involved_agencies_and_hands_over(case, users, agencies, web_as):
    from accounts.models import Role
    from tests.factories import UserFactory

    new_lead = UserFactory(username="sw_next", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    client = web_as(users.sw)
    html = client.get(f"/cases/{case.pk}/lead/").content.decode()
    assert "Sw Next" in html and users.hv.display_name not in html
    response = client.post(f"/cases/{case.pk}/lead/", {"lead_professional": new_lead.pk, "reason": "New team"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead_professional == new_lead


def test_overview_key_dates_give_the_next_scheduled_conference_and_core_group(case, users, web_as):
    from meetings.services import meeting_cancel, meeting_schedule

    today = dt.date.today()
    core_group = meeting_schedule(
        acting_user=users.sw, case=case, kind="core_group", held_on=today + dt.timedelta(days=10)
    )
    cancelled = meeting_schedule(
        acting_user=users.sw, case=case, kind="review_conference", held_on=today + dt.timedelta(days=20)
    )
    meeting_cancel(acting_user=users.sw, meeting=cancelled, reason="Moved to a later date.")
    html = web_as(users.hv).get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/meetings/{core_group.pk}/" in html
    assert f"{core_group.held_on.day} {core_group.held_on:%B %Y}" in html
    # The cancelled conference is not the next one: none is booked.
    assert f"/cases/{case.pk}/meetings/{cancelled.pk}/" not in html
    assert "Not booked" in html
