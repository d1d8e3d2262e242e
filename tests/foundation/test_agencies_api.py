"""/api/v1/agencies/: every signed-in user reads them; only administrators add them."""

import pytest

from agencies.models import Agency
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies/"


def test_any_signed_in_user_lists_agencies(agencies, users, api_as):
    response = api_as(users.outsider).get(URL)

    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    assert names == {
        "Northshire Children's Social Care",
        "Northshire Health Visiting",
        "Riverside Primary School",
        "Northshire Housing",
    }


def test_agency_rows_carry_name_kind_and_area(agencies, users, api_as):
    rows = api_as(users.hv).get(URL).json()["results"]

    housing = next(row for row in rows if row["name"] == "Northshire Housing")
    assert housing == {"id": agencies.housing.pk, "name": "Northshire Housing", "kind": "housing", "area": "Northshire"}


def test_admin_adds_an_agency(users, api_as):
    response = api_as(users.admin).post(URL, {"name": "Northshire Police", "kind": "police"}, format="json")

    assert response.status_code == 201
    assert response.json()["kind"] == "police"
    agency = Agency.objects.get(name="Northshire Police")
    event = AuditEvent.objects.get(action="agency.created")
    assert event.actor == users.admin
    assert event.object_id == str(agency.pk)


@pytest.mark.parametrize("persona", ["sw", "hv", "manager", "chair", "outsider"])
def test_only_an_admin_adds_an_agency(users, api_as, persona):
    response = api_as(getattr(users, persona)).post(URL, {"name": "Northshire Police", "kind": "police"}, format="json")

    assert response.status_code == 403
    assert not Agency.objects.filter(name="Northshire Police").exists()


def test_unknown_agency_kind_is_a_field_error(users, api_as):
    response = api_as(users.admin).post(URL, {"name": "Northshire Astrology", "kind": "astrology"}, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()
    assert not Agency.objects.filter(name="Northshire Astrology").exists()


def test_duplicate_agency_name_is_a_field_error(agencies, users, api_as):
    response = api_as(users.admin).post(URL, {"name": "Northshire Housing", "kind": "housing"}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()
