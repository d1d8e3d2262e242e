"""/api/v1/cases/{id}/agencies/: a social worker involves an agency; its users then see the case."""

import pytest

from audit.models import AuditEvent
from cases.models import CaseAgency

pytestmark = pytest.mark.django_db


def url(case):
    return f"/api/v1/cases/{case.pk}/agencies/"


def test_involved_user_lists_the_case_agencies(case, users, api_as):
    response = api_as(users.teacher).get(url(case))

    assert response.status_code == 200
    assert [row["agency_name"] for row in response.json()["results"]] == [
        "Northshire Children's Social Care",
        "Northshire Health Visiting",
        "Riverside Primary School",
    ]


def test_social_worker_involves_an_agency(case, agencies, users, api_as):
    response = api_as(users.sw).post(url(case), {"agency": agencies.housing.pk}, format="json")

    assert response.status_code == 201
    assert response.json()["agency"] == agencies.housing.pk
    assert CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()
    event = AuditEvent.objects.get(action="case.agency_involved")
    assert (event.actor, event.case, event.method) == (users.sw, case, "POST")


def test_newly_involved_agency_can_then_see_the_case(case, agencies, users, api_as):
    assert api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 404

    api_as(users.sw).post(url(case), {"agency": agencies.housing.pk}, format="json")

    assert api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["hv", "teacher", "manager", "chair"])
def test_only_social_workers_involve_agencies(case, agencies, users, api_as, persona):
    response = api_as(getattr(users, persona)).post(url(case), {"agency": agencies.housing.pk}, format="json")

    assert response.status_code == 403
    assert not CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()


def test_unknown_agency_is_a_field_error(case, users, api_as):
    response = api_as(users.sw).post(url(case), {"agency": 999999}, format="json")

    assert response.status_code == 400
    assert "agency" in response.json()


def test_involving_an_agency_twice_keeps_one_involvement(case, agencies, users, api_as):
    response = api_as(users.sw).post(url(case), {"agency": agencies.hv.pk}, format="json")

    assert response.status_code in (200, 201)
    assert CaseAgency.objects.filter(case=case, agency=agencies.hv).count() == 1
    assert not AuditEvent.objects.filter(action="case.agency_involved").exists()
