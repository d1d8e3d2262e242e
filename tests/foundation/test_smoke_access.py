import pytest

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_for_case_api(case, users, api_as):
    assert api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_involved_health_visitor_sees_case_api(case, users, api_as):
    response = api_as(users.hv).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert response.json()["reference"] == "NS-0001"
