"""POST /api/v1/auth/token/: a token for good credentials, 400 for bad ones; both audited."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def test_good_credentials_return_a_token_that_authenticates(users, password, client):
    response = client.post(URL, {"username": "sw_lead", "password": password}, content_type="application/json")

    assert response.status_code == 200
    token = response.json()["token"]
    cases = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}")
    assert cases.status_code == 200


def test_good_credentials_are_audited_as_login(users, password, client):
    client.post(
        URL,
        {"username": "sw_lead", "password": password},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.20",
    )

    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == users.sw
    assert event.actor_agency == "Northshire Children's Social Care"
    assert (event.method, event.path, event.client_ip) == ("POST", URL, "198.51.100.20")


def test_wrong_password_is_400_with_detail_and_no_token(users, client):
    response = client.post(
        URL, {"username": "sw_lead", "password": "not-the-password"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["detail"]


def test_wrong_password_is_audited_as_login_failed(users, client):
    client.post(
        URL,
        {"username": "sw_lead", "password": "not-the-password"},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.21",
    )

    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.detail == {"username": "sw_lead"}
    assert (event.method, event.path, event.client_ip) == ("POST", URL, "198.51.100.21")
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_unknown_username_is_400_and_audited(users, client):
    response = client.post(URL, {"username": "nobody", "password": "whatever-1234"}, content_type="application/json")

    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="nobody").count() == 1


def test_inactive_user_gets_no_token(users, password, client):
    users.sw.is_active = False
    users.sw.save()

    response = client.post(URL, {"username": "sw_lead", "password": password}, content_type="application/json")

    assert response.status_code == 400


def test_missing_password_is_a_field_error(users, client):
    response = client.post(URL, {"username": "sw_lead"}, content_type="application/json")

    assert response.status_code == 400
    assert "password" in response.json()


def test_malformed_json_is_400_with_detail(client):
    response = client.post(URL, '{"username": "sw_lead",', content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_api_without_a_token_is_refused(case, client):
    response = client.get("/api/v1/cases/")

    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_api_with_a_bad_token_is_refused(case, client):
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    assert response.status_code in (401, 403)
