"""/api/v1/users/ (administrators only) and the administrator made by createsuperuser --noinput."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"


def new_user(agencies, **overrides):
    body = {
        "username": "gp_new",
        "password": "Another-synthetic-pass-77",
        "full_name": "Dana Newstarter",
        "agency": agencies.hv.pk,
        "role": "practitioner",
    }
    body.update(overrides)
    return body


def test_admin_lists_users(users, api_as):
    response = api_as(users.admin).get(URL)

    assert response.status_code == 200
    assert {"sw_lead", "housing_outsider", "the_admin"} <= {row["username"] for row in response.json()["results"]}


def test_user_list_never_contains_passwords(users, api_as):
    rows = api_as(users.admin).get(URL).json()["results"]

    assert rows
    assert all("password" not in row for row in rows)


@pytest.mark.parametrize("persona", ["sw", "hv", "manager", "chair"])
def test_non_admin_cannot_list_users(users, api_as, persona):
    assert api_as(getattr(users, persona)).get(URL).status_code == 403


def test_admin_creates_a_user_who_can_sign_in(agencies, users, api_as, client):
    response = api_as(users.admin).post(URL, new_user(agencies), format="json")

    assert response.status_code == 201
    user = User.objects.get(username="gp_new")
    assert (user.full_name, user.agency, user.role) == ("Dana Newstarter", agencies.hv, Role.PRACTITIONER)
    assert user.check_password("Another-synthetic-pass-77")
    assert AuditEvent.objects.get(action="user.created").actor == users.admin


def test_created_user_response_does_not_return_the_password(agencies, users, api_as):
    body = api_as(users.admin).post(URL, new_user(agencies), format="json").json()

    assert "password" not in body
    assert "Another-synthetic-pass-77" not in str(body)
    assert body["username"] == "gp_new"


def test_non_admin_cannot_create_a_user(agencies, users, api_as):
    response = api_as(users.sw).post(URL, new_user(agencies), format="json")

    assert response.status_code == 403
    assert not User.objects.filter(username="gp_new").exists()


def test_weak_password_is_a_field_error(agencies, users, api_as):
    response = api_as(users.admin).post(URL, new_user(agencies, password="12345678"), format="json")

    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(username="gp_new").exists()


def test_non_admin_user_without_agency_is_a_field_error(agencies, users, api_as):
    response = api_as(users.admin).post(URL, new_user(agencies, agency=None), format="json")

    assert response.status_code == 400
    assert "agency" in response.json()


def test_unknown_role_is_a_field_error(agencies, users, api_as):
    response = api_as(users.admin).post(URL, new_user(agencies, role="overlord"), format="json")

    assert response.status_code == 400
    assert "role" in response.json()


@pytest.fixture
def superuser_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops_admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ops@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Ops-synthetic-pass-9931")


def test_createsuperuser_noinput_from_environment_makes_an_admin(superuser_env):
    call_command("createsuperuser", interactive=False, verbosity=0)

    admin = User.objects.get(username="ops_admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.role == Role.ADMIN
    assert admin.is_admin
    assert admin.agency is None
    assert admin.email == "ops@example.org"
    assert admin.check_password("Ops-synthetic-pass-9931")


def test_superuser_from_createsuperuser_uses_the_admin_api_and_sees_every_case(
    superuser_env, case, users, password, client
):
    call_command("createsuperuser", interactive=False, verbosity=0)

    token = client.post(
        "/api/v1/auth/token/",
        {"username": "ops_admin", "password": "Ops-synthetic-pass-9931"},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(URL, **auth).status_code == 200
    assert [row["reference"] for row in client.get("/api/v1/cases/", **auth).json()["results"]] == ["NS-0001"]
