"""Every API request and page view that touches case data leaves an audit row: who, what, which
case, which path and method, from which address. Managers and administrators read the trail."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


def only_event(**filters):
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def assert_origin(event, *, method, path):
    assert (event.method, event.path, event.client_ip) == (method, path, IP)
    assert event.at is not None


def test_api_case_read_is_audited(case, users, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR=IP)

    event = only_event(action="case.viewed")
    assert (event.actor, event.actor_username, event.actor_agency, event.case) == (
        users.hv,
        "hv_involved",
        "Northshire Health Visiting",
        case,
    )
    assert_origin(event, method="GET", path=f"/api/v1/cases/{case.pk}/")


def test_api_people_list_is_audited(case, people, users, api_as):
    api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/people/?page_size=2", REMOTE_ADDR=IP)

    event = only_event(action="case.read", actor=users.teacher)
    assert event.case == case
    assert_origin(event, method="GET", path=f"/api/v1/cases/{case.pk}/people/?page_size=2")


def test_api_person_read_is_audited(case, people, users, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/people/{people.baby.pk}/", REMOTE_ADDR=IP)

    event = only_event(action="person.viewed")
    assert (event.actor, event.case) == (users.hv, case)
    assert_origin(event, method="GET", path=f"/api/v1/cases/{case.pk}/people/{people.baby.pk}/")


def test_api_case_agencies_read_is_audited(case, users, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/agencies/", REMOTE_ADDR=IP)

    event = only_event(action="case.read")
    assert (event.actor, event.case) == (users.hv, case)
    assert_origin(event, method="GET", path=f"/api/v1/cases/{case.pk}/agencies/")


def test_api_case_list_is_audited(case, users, api_as):
    api_as(users.sw).get("/api/v1/cases/", REMOTE_ADDR=IP)

    event = only_event(action="case.listed")
    assert event.actor == users.sw
    assert event.detail == {"count": 1}
    assert_origin(event, method="GET", path="/api/v1/cases/")


def test_api_case_create_is_audited(agencies, users, api_as):
    body = {"reference": "NS-0003", "title": "Audited", "lead_agency": agencies.csc.pk, "legal_status": "early_help"}
    case_id = api_as(users.sw).post("/api/v1/cases/", body, format="json", REMOTE_ADDR=IP).json()["id"]

    event = only_event(action="case.created")
    assert (event.actor, event.case_id, event.object_type) == (users.sw, case_id, "chronology.case")
    assert_origin(event, method="POST", path="/api/v1/cases/")


def test_api_audit_read_is_itself_audited(case, users, api_as):
    api_as(users.manager).get(f"/api/v1/cases/{case.pk}/audit/", REMOTE_ADDR=IP)

    event = only_event(action="audit.read")
    assert (event.actor, event.case) == (users.manager, case)
    assert_origin(event, method="GET", path=f"/api/v1/cases/{case.pk}/audit/")


def test_case_page_view_is_audited(case, users, web_as):
    web_as(users.hv).get(f"/cases/{case.pk}/", REMOTE_ADDR=IP)

    event = only_event(action="case.viewed")
    assert (event.actor, event.case) == (users.hv, case)
    assert_origin(event, method="GET", path=f"/cases/{case.pk}/")


def test_case_list_page_view_is_audited(case, users, web_as):
    web_as(users.hv).get("/cases/", REMOTE_ADDR=IP)

    event = only_event(action="case.listed")
    assert event.actor == users.hv
    assert_origin(event, method="GET", path="/cases/")


def test_person_edit_page_view_is_audited(case, people, users, web_as):
    web_as(users.sw).get(f"/cases/{case.pk}/people/{people.mother.pk}/edit/", REMOTE_ADDR=IP)

    event = only_event(action="person.viewed")
    assert (event.actor, event.case, event.object_id) == (users.sw, case, str(people.mother.pk))
    assert_origin(event, method="GET", path=f"/cases/{case.pk}/people/{people.mother.pk}/edit/")


def test_involving_an_agency_on_the_case_page_is_audited(case, agencies, users, web_as):
    web_as(users.sw).post(f"/cases/{case.pk}/", {"agency": agencies.housing.pk}, REMOTE_ADDR=IP)

    event = only_event(action="case.agency_involved")
    assert (event.actor, event.case, event.detail["agency"]) == (users.sw, case, agencies.housing.pk)
    assert_origin(event, method="POST", path=f"/cases/{case.pk}/")


def test_failed_reads_leave_no_read_row(case, users, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/audit/")

    assert not AuditEvent.objects.filter(action="audit.read").exists()


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_manager_and_admin_read_the_audit_trail_in_the_api(case, people, users, api_as, persona):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/people/{people.child.pk}/", REMOTE_ADDR=IP)

    response = api_as(getattr(users, persona)).get(f"/api/v1/cases/{case.pk}/audit/")

    assert response.status_code == 200
    rows = response.json()["results"]
    viewed = [row for row in rows if row["action"] == "person.viewed"]
    assert len(viewed) == 1
    assert viewed[0]["actor_username"] == "hv_involved"
    assert viewed[0]["client_ip"] == IP
    assert viewed[0]["path"] == f"/api/v1/cases/{case.pk}/people/{people.child.pk}/"


def test_audit_api_lists_only_this_cases_rows(case, other_case, users, api_as):
    api_as(users.admin).get(f"/api/v1/cases/{other_case.pk}/")
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/")

    rows = api_as(users.admin).get(f"/api/v1/cases/{case.pk}/audit/").json()["results"]

    assert {row["case"] for row in rows} == {case.pk}


@pytest.mark.parametrize("persona", ["hv", "teacher", "sw", "chair"])
def test_others_get_403_on_the_audit_trail_api(case, users, api_as, persona):
    assert api_as(getattr(users, persona)).get(f"/api/v1/cases/{case.pk}/audit/").status_code == 403


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_manager_and_admin_read_the_audit_trail_page(case, users, web_as, api_as, persona):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR=IP)

    response = web_as(getattr(users, persona)).get(f"/cases/{case.pk}/audit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "hv_involved" in html
    assert "case.viewed" in html
    assert IP in html


@pytest.mark.parametrize("persona", ["hv", "teacher", "sw", "chair"])
def test_others_get_403_on_the_audit_trail_page(case, users, web_as, persona):
    assert web_as(getattr(users, persona)).get(f"/cases/{case.pk}/audit/").status_code == 403


def test_audit_tab_shows_only_for_those_who_may_read_it(case, users, client):
    client.force_login(users.manager)
    assert f"/cases/{case.pk}/audit/" in client.get(f"/cases/{case.pk}/").content.decode()
    client.force_login(users.sw)
    assert f"/cases/{case.pk}/audit/" not in client.get(f"/cases/{case.pk}/").content.decode()
