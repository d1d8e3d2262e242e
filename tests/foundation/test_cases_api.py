"""/api/v1/cases/: only visible cases are listed; social workers open cases led by their agency."""

import pytest

from audit.models import AuditEvent
from cases.models import Case, CaseAgency

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def new_case(agencies, **overrides):
    body = {
        "reference": "NS-0002",
        "title": "Newfamily",
        "lead_agency": agencies.csc.pk,
        "legal_status": "child_in_need",
    }
    body.update(overrides)
    return body


def references(response):
    return [row["reference"] for row in response.json()["results"]]


@pytest.mark.parametrize("persona", ["sw", "hv", "teacher", "manager", "chair"])
def test_involved_users_list_the_case_and_not_an_uninvolved_one(case, other_case, users, api_as, persona):
    response = api_as(getattr(users, persona)).get(URL)

    assert response.status_code == 200
    assert references(response) == ["NS-0001"]


def test_outsider_lists_no_cases(case, other_case, users, api_as):
    response = api_as(users.outsider).get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert "NS-0001" not in response.content.decode()


def test_user_without_agency_sees_no_case(case, agencies, api_as):
    from tests.factories import UserFactory

    loose = UserFactory(username="no_agency", agency=None, role="practitioner")

    assert references(api_as(loose).get(URL)) == []


def test_admin_sees_every_case(case, other_case, users, api_as):
    assert sorted(references(api_as(users.admin).get(URL))) == ["NS-0001", "SS-0500"]


def test_admin_reads_an_uninvolved_case(other_case, users, api_as):
    response = api_as(users.admin).get(f"{URL}{other_case.pk}/")

    assert response.status_code == 200
    assert response.json()["reference"] == "SS-0500"


def test_case_json_has_the_contract_fields(case, users, api_as):
    body = api_as(users.hv).get(f"{URL}{case.pk}/").json()

    assert {
        "reference",
        "title",
        "status",
        "lead_agency",
        "lead_professional",
        "legal_status",
        "opened_on",
        "closed_on",
    } <= set(body)
    assert body["status"] == "open"
    assert body["lead_professional"] == users.sw.pk
    assert body["opened_on"] == "2024-01-10"


def test_social_worker_opens_a_case_with_the_lead_agency_involved(agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_case(agencies), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["agencies"] == [agencies.csc.pk]
    case = Case.objects.get(reference="NS-0002")
    assert list(CaseAgency.objects.filter(case=case).values_list("agency", flat=True)) == [agencies.csc.pk]
    assert case.lead_professional == users.sw
    assert AuditEvent.objects.get(action="case.created").case == case


def test_a_new_case_is_visible_to_its_lead_agency_colleagues(agencies, users, api_as):
    api_as(users.sw).post(URL, new_case(agencies), format="json")

    assert references(api_as(users.manager).get(URL)) == ["NS-0002"]
    assert references(api_as(users.hv).get(URL)) == []


@pytest.mark.parametrize("persona", ["hv", "manager", "chair"])
def test_only_social_workers_and_admins_open_cases(agencies, users, api_as, persona):
    response = api_as(getattr(users, persona)).post(URL, new_case(agencies), format="json")

    assert response.status_code == 403
    assert not Case.objects.filter(reference="NS-0002").exists()


def test_social_worker_cannot_open_a_case_led_by_another_agency(agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_case(agencies, lead_agency=agencies.hv.pk), format="json")

    assert response.status_code == 400
    assert "lead_agency" in response.json()
    assert not Case.objects.filter(reference="NS-0002").exists()


def test_admin_opens_a_case_for_any_agency(agencies, users, api_as):
    response = api_as(users.admin).post(URL, new_case(agencies, lead_agency=agencies.hv.pk), format="json")

    assert response.status_code == 201
    assert response.json()["agencies"] == [agencies.hv.pk]


def test_duplicate_reference_is_a_field_error(case, agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_case(agencies, reference="NS-0001"), format="json")

    assert response.status_code == 400
    assert "reference" in response.json()
    assert Case.objects.count() == 1


def test_malformed_json_is_400_with_detail(agencies, users, api_as):
    response = api_as(users.sw).post(URL, '{"reference": "NS-0002", ', content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not Case.objects.exists()


def test_unknown_legal_status_is_a_field_error(agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_case(agencies, legal_status="grounded"), format="json")

    assert response.status_code == 400
    assert "legal_status" in response.json()


def test_missing_reference_is_a_field_error(agencies, users, api_as):
    body = new_case(agencies)
    del body["reference"]

    response = api_as(users.sw).post(URL, body, format="json")

    assert response.status_code == 400
    assert "reference" in response.json()


def test_reference_with_spaces_is_a_field_error(agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_case(agencies, reference="NS 0002"), format="json")

    assert response.status_code == 400
    assert "reference" in response.json()


def test_protection_category_outside_a_plan_is_a_field_error(agencies, users, api_as):
    body = new_case(agencies, legal_status="child_in_need", protection_category="neglect")

    response = api_as(users.sw).post(URL, body, format="json")

    assert response.status_code == 400
    assert "protection_category" in response.json()
    assert not Case.objects.exists()


def test_lead_professional_from_another_agency_is_a_field_error(agencies, users, api_as):
    response = api_as(users.admin).post(URL, new_case(agencies, lead_professional=users.hv.pk), format="json")

    assert response.status_code == 400
    assert "lead_professional" in response.json()
