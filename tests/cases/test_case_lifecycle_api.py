"""The case over time through the API: legal-status history, close and reopen, lead handover, the
team around the child and the case summary, for each persona, with bad input refused whole."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import CaseClosure, CaseSummaryRevision, LeadHandover, LegalStatusChange, TeamMember
from chronology.models import ChronologyEntry
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]
TODAY = "2026-06-15"


def _status_url(case):
    return f"/api/v1/cases/{case.pk}/status/"


def _change(client, case, **fields):
    body = {
        "legal_status": "child_protection",
        "protection_category": "neglect",
        "effective_from": "2026-03-02",
        "reason": "Initial child protection conference decided on a plan.",
    }
    body.update(fields)
    return client.post(_status_url(case), body, format="json")


# --- Legal-status history ------------------------------------------------------------------------


@freeze_time(TODAY)
def test_status_change_by_lead_social_worker_adds_a_row_a_stepped_up_entry_and_an_audit_row(case, users, api_as):
    response = _change(api_as(users.sw), case)
    assert response.status_code == 201, response.json()
    assert response.json()["legal_status"] == "child_protection"
    assert response.json()["effective_to"] is None
    case.refresh_from_db()
    assert (case.legal_status, case.protection_category) == ("child_protection", "neglect")
    entry = ChronologyEntry.objects.get(case=case, kind="stepped_up")
    assert entry.agency_id == users.sw.agency_id and entry.occurred_on == dt.date(2026, 3, 2)
    assert "child protection plan (neglect)" in entry.summary
    assert AuditEvent.objects.filter(action="case.status_changed", case=case).count() == 1


@freeze_time(TODAY)
def test_status_history_is_oldest_first_with_half_open_ends(case, users, api_as):
    client = api_as(users.sw)
    _change(client, case)
    _change(client, case, legal_status="child_in_need", protection_category="", effective_from="2026-06-01")
    rows = client.get(_status_url(case)).json()["results"]
    assert [(r["legal_status"], r["effective_from"], r["effective_to"]) for r in rows] == [
        ("child_in_need", "2024-01-10", "2026-03-02"),
        ("child_protection", "2026-03-02", "2026-06-01"),
        ("child_in_need", "2026-06-01", None),
    ]
    assert ChronologyEntry.objects.filter(case=case, kind="stepped_down").count() == 1


@freeze_time(TODAY)
def test_a_manager_of_the_lead_agency_changes_the_status(case, users, api_as):
    assert _change(api_as(users.manager), case).status_code == 201


@freeze_time(TODAY)
@pytest.mark.parametrize("persona", ["hv", "teacher", "chair"])
def test_status_change_is_refused_to_others_and_nothing_is_written(case, users, api_as, persona):
    assert _change(api_as(getattr(users, persona)), case).status_code == 403
    assert LegalStatusChange.objects.filter(case=case).count() == 1
    assert not ChronologyEntry.objects.filter(case=case).exists()


@freeze_time(TODAY)
def test_a_social_worker_of_another_involved_agency_cannot_change_the_status(case, users, agencies, api_as):
    other = UserFactory(username="school_sw", agency=agencies.school, role=Role.SOCIAL_WORKER)
    assert _change(api_as(other), case).status_code == 403


@freeze_time(TODAY)
def test_the_outsider_gets_not_found_for_every_lifecycle_endpoint(case, users, api_as):
    client = api_as(users.outsider)
    member = case.team.get()
    for path in ("status/", "close/", "reopen/", "lead/", "team/", f"team/{member.pk}/end/", "summary/"):
        assert client.post(f"/api/v1/cases/{case.pk}/{path}", {}, format="json").status_code == 404, path
    for path in ("status/", "team/", "summary/", "summary/revisions/"):
        assert client.get(f"/api/v1/cases/{case.pk}/{path}").status_code == 404, path


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"reason": ""}, "reason", "Enter the reason"),
        ({"reason": "x" * 2001}, "reason", "2,000 characters"),
        ({"protection_category": ""}, "protection_category", "category of the child protection plan"),
        ({"legal_status": "child_in_need"}, "protection_category", "only to a child protection plan"),
        ({"legal_status": "sectioned"}, "legal_status", "Select the legal status"),
        ({"effective_from": "2026-13-01"}, "effective_from", "YYYY-MM-DD"),
        ({"effective_from": "2026-07-01"}, "effective_from", "today or in the past"),
        ({"effective_from": "2023-12-31"}, "effective_from", "on or after 10 January 2024"),
        ({"legal_status": "child_in_need", "protection_category": ""}, "legal_status", "already child in need"),
    ],
)
def test_bad_status_change_is_a_400_naming_the_field_and_writes_nothing(case, users, api_as, fields, field, says):
    response = _change(api_as(users.sw), case, **fields)
    assert response.status_code == 400
    assert says in " ".join(response.json()[field])
    assert LegalStatusChange.objects.filter(case=case).count() == 1
    assert not ChronologyEntry.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(action="case.status_changed").exists()


@freeze_time(TODAY)
def test_status_change_may_be_backdated_but_never_to_or_before_a_later_change(case, users, api_as):
    client = api_as(users.sw)
    assert _change(client, case, effective_from="2026-05-01").status_code == 201  # backdated, with its reason
    response = _change(client, case, legal_status="child_in_need", protection_category="", effective_from="2026-04-01")
    assert response.status_code == 400
    assert "since 1 May 2026" in response.json()["effective_from"][0]
    same_day = _change(client, case, legal_status="child_in_need", protection_category="", effective_from="2026-05-01")
    assert same_day.status_code == 400
    assert LegalStatusChange.objects.filter(case=case).count() == 2


@freeze_time(TODAY)
def test_a_new_category_of_plan_is_a_note_not_a_step(case, users, api_as):
    client = api_as(users.sw)
    _change(client, case)
    assert _change(client, case, protection_category="multiple", effective_from="2026-04-01").status_code == 201
    assert ChronologyEntry.objects.filter(case=case, kind="note", summary__contains="(multiple)").count() == 1


# --- Close and reopen ----------------------------------------------------------------------------


def _close(client, case, **fields):
    body = {"closed_on": "2026-06-01", "outcome": "stepped_down_early_help", "reason": "Plan goals met."}
    body.update(fields)
    return client.post(f"/api/v1/cases/{case.pk}/close/", body, format="json")


@freeze_time(TODAY)
def test_close_records_outcome_adds_case_closed_entry_and_the_case_refuses_people(case, users, api_as):
    client = api_as(users.sw)
    response = _close(client, case)
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("closed", dt.date(2026, 6, 1))
    assert ChronologyEntry.objects.filter(case=case, kind="case_closed", agency=users.sw.agency).count() == 1
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["status"] == "closed"
    refused = client.post(f"/api/v1/cases/{case.pk}/people/", {"given_name": "Late"}, format="json")
    assert refused.status_code == 400
    assert "This case is closed" in str(refused.json())
    assert _change(client, case).status_code == 400  # read-only except reopen
    assert case.people.filter(given_name="Late").count() == 0


@freeze_time(TODAY)
def test_reopen_opens_the_case_with_a_case_opened_entry(case, users, api_as):
    client = api_as(users.manager)
    _close(client, case)
    response = client.post(
        f"/api/v1/cases/{case.pk}/reopen/",
        {"reopened_on": "2026-06-10", "reason": "Re-referral by school."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["reopened_on"] == "2026-06-10"
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("open", None)
    assert ChronologyEntry.objects.filter(case=case, kind="case_opened").count() == 1
    assert AuditEvent.objects.filter(action__in=["case.closed", "case.reopened"], case=case).count() == 2


@freeze_time(TODAY)
def test_close_and_reopen_are_refused_to_practitioners(case, users, api_as):
    assert _close(api_as(users.hv), case).status_code == 403
    assert not CaseClosure.objects.exists()


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("fields", "field"),
    [({"outcome": "gone"}, "outcome"), ({"reason": " "}, "reason"), ({"closed_on": "2026-06-16"}, "closed_on")],
)
def test_bad_close_is_a_400_and_the_case_stays_open(case, users, api_as, fields, field):
    response = _close(api_as(users.sw), case, **fields)
    assert response.status_code == 400 and field in response.json()
    case.refresh_from_db()
    assert case.status == "open" and not CaseClosure.objects.exists()
    assert not ChronologyEntry.objects.filter(case=case).exists()


@freeze_time(TODAY)
def test_reopen_before_the_closure_or_of_an_open_case_is_a_400(case, users, api_as):
    client = api_as(users.sw)
    url = f"/api/v1/cases/{case.pk}/reopen/"
    assert "reopened_on" in client.post(url, {"reopened_on": "2026-06-10", "reason": "x"}, format="json").json()
    _close(client, case)
    response = client.post(url, {"reopened_on": "2026-05-30", "reason": "Re-referral"}, format="json")
    assert response.status_code == 400 and "on or after 1 June 2026" in response.json()["reopened_on"][0]


# --- Lead handover -------------------------------------------------------------------------------


@freeze_time(TODAY)
def test_the_lead_hands_over_to_another_social_worker_who_joins_the_team(case, users, agencies, api_as):
    new_lead = UserFactory(username="sw_new", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    response = api_as(users.sw).post(
        f"/api/v1/cases/{case.pk}/lead/",
        {"lead_professional": new_lead.pk, "reason": "Leaving the team."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.lead_professional == new_lead
    assert LeadHandover.objects.get(case=case).from_user == users.sw
    assert TeamMember.objects.filter(case=case, user=new_lead, ended_on__isnull=True).exists()
    assert ChronologyEntry.objects.filter(case=case, kind="note", summary__contains="handed over").count() == 1
    # The previous lead now may not hand over again; the new lead may.
    again = api_as(users.sw).post(
        f"/api/v1/cases/{case.pk}/lead/", {"lead_professional": users.sw.pk, "reason": "Back"}, format="json"
    )
    assert again.status_code == 403


@freeze_time(TODAY)
def test_handover_refused_to_a_social_worker_who_is_not_the_lead_and_to_practitioners(case, users, agencies, api_as):
    other_sw = UserFactory(username="sw_other", agency=agencies.csc, role=Role.SOCIAL_WORKER)
    for user in (other_sw, users.hv, users.chair):
        response = api_as(user).post(
            f"/api/v1/cases/{case.pk}/lead/", {"lead_professional": other_sw.pk, "reason": "Mine now"}, format="json"
        )
        assert response.status_code == 403
    assert not LeadHandover.objects.exists()


@freeze_time(TODAY)
@pytest.mark.parametrize("who", ["hv", "outsider_sw", "nobody", "huge"])
def test_handover_to_someone_who_cannot_lead_is_a_400(case, users, agencies, api_as, who):
    target = {
        "hv": users.hv.pk,
        "outsider_sw": UserFactory(username="sw_housing", agency=agencies.housing, role=Role.SOCIAL_WORKER).pk,
        "nobody": 999999,
        "huge": 2**70,
    }[who]
    response = api_as(users.manager).post(
        f"/api/v1/cases/{case.pk}/lead/", {"lead_professional": target, "reason": "Handover"}, format="json"
    )
    assert response.status_code == 400
    assert "social worker of an agency involved" in response.json()["lead_professional"][0]
    case.refresh_from_db()
    assert case.lead_professional == users.sw


# --- The team around the child -------------------------------------------------------------------


@freeze_time(TODAY)
def test_a_practitioner_joins_the_team_for_their_own_agency_only(case, users, api_as):
    client = api_as(users.hv)
    url = f"/api/v1/cases/{case.pk}/team/"
    joined = client.post(url, {"user": users.hv.pk, "role_in_case": "Health visitor for Kit"}, format="json")
    assert joined.status_code == 201, joined.json()
    refused = client.post(url, {"user": users.teacher.pk, "role_in_case": "Class teacher"}, format="json")
    assert refused.status_code == 403
    team = client.get(url).json()["results"]
    assert [(m["name"], m["is_lead"]) for m in team] == [("Sw Lead", True), ("Hv Involved", False)]


@freeze_time(TODAY)
def test_the_lead_adds_anyone_involved_and_ends_a_membership_but_not_their_own(case, users, api_as):
    client = api_as(users.sw)
    url = f"/api/v1/cases/{case.pk}/team/"
    member = client.post(url, {"user": users.teacher.pk, "role_in_case": "Class teacher"}, format="json").json()
    ended = client.post(f"{url}{member['id']}/end/", {"ended_on": "2026-06-15"}, format="json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2026-06-15"
    assert [m["name"] for m in client.get(url).json()["results"]] == ["Sw Lead"]
    assert len(client.get(url + "?all=1").json()["results"]) == 2
    lead = case.team.get(user=users.sw)
    response = client.post(f"{url}{lead.pk}/end/", {"ended_on": "2026-06-15"}, format="json")
    assert response.status_code == 400 and "always in the team" in response.json()["ended_on"][0]


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role_in_case": "Outsider"}, "user"),
        ({"role_in_case": ""}, "role_in_case"),
        ({"role_in_case": "r" * 201}, "role_in_case"),
        ({"role_in_case": "Teacher", "started_on": "2026-07-01"}, "started_on"),
    ],
)
def test_bad_team_member_is_a_400_and_nothing_is_written(case, users, api_as, body, field):
    body.setdefault("user", users.outsider.pk if field == "user" else users.teacher.pk)
    response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/team/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert TeamMember.objects.filter(case=case).count() == 1


# --- The case summary ----------------------------------------------------------------------------


@freeze_time(TODAY)
def test_summary_is_revisioned_and_each_revision_kept(case, users, api_as):
    client = api_as(users.sw)
    url = f"/api/v1/cases/{case.pk}/summary/"
    assert client.get(url).json()["revision"] == 0
    assert client.post(url, {"text": "Robin and Kit live with their mother."}, format="json").status_code == 201
    second = client.post(url, {"text": "Robin and Kit live with their grandmother.", "revision": 1}, format="json")
    assert second.status_code == 201 and second.json()["revision"] == 2
    assert client.get(url).json()["text"] == "Robin and Kit live with their grandmother."
    revisions = client.get(url + "revisions/").json()["results"]
    assert [r["revision"] for r in revisions] == [1, 2]
    stale = client.post(url, {"text": "Overwrite", "revision": 1}, format="json")
    assert stale.status_code == 400 and "revision 2" in stale.json()["revision"][0]


@freeze_time(TODAY)
def test_summary_is_written_by_social_workers_not_practitioners(case, users, api_as):
    assert (
        api_as(users.hv).post(f"/api/v1/cases/{case.pk}/summary/", {"text": "Mine"}, format="json").status_code == 403
    )
    assert api_as(users.hv).get(f"/api/v1/cases/{case.pk}/summary/").status_code == 200
    assert not CaseSummaryRevision.objects.exists()


@freeze_time(TODAY)
@pytest.mark.parametrize("text", ["", "   ", "s" * 10_001])
def test_bad_summary_is_a_400(case, users, api_as, text):
    response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/summary/", {"text": text}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert not CaseSummaryRevision.objects.exists()


# --- Odd input never costs a 500 -------------------------------------------------------------------

ODD_VALUES = [None, 10**30, -1, "", "x" * 5000, [], {}, {"a": [1]}, True, "2026-02-30", "\u0000"]


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("status/", ["legal_status", "protection_category", "effective_from", "reason"]),
        ("close/", ["closed_on", "outcome", "reason"]),
        ("reopen/", ["reopened_on", "reason"]),
        ("lead/", ["lead_professional", "reason"]),
        ("team/", ["user", "role_in_case", "started_on"]),
        ("summary/", ["text", "revision"]),
    ],
)
def test_odd_values_in_every_field_never_cost_a_server_error(case, users, api_as, path, fields):
    client = api_as(users.admin)
    for name in fields:
        for value in ODD_VALUES:
            response = client.post(f"/api/v1/cases/{case.pk}/{path}", {name: value}, format="json")
            # A number for a text is taken as its digits (DRF); everything else is refused with a 400.
            assert response.status_code in (200, 201, 400), (path, name, value, response.status_code)
    assert client.post(f"/api/v1/cases/{case.pk}/team/{10**30}/end/", {}, format="json").status_code == 404
