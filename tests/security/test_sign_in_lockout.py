"""Repeated failed sign-ins lock that username out from that address for a cool-off period, on
the sign-in page and on the API token endpoint alike; one or two mistakes do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from freezegun import freeze_time

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
SIGN_IN = "/sign-in/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _page_sign_in(client, username, password, ip="198.51.100.7"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _api_token(client, username, password, ip="198.51.100.7"):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json", REMOTE_ADDR=ip
    )


def test_failure_limit_is_five_with_a_fifteen_minute_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_two_wrong_passwords_then_the_right_one_signs_in(users, password, client):
    for _ in range(2):
        assert _page_sign_in(client, "sw_lead", "wrong-password-1").status_code == 200

    response = _page_sign_in(client, "sw_lead", password)

    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200


def test_fifth_wrong_password_locks_the_sign_in_page_with_a_clear_message(users, password, client):
    with freeze_time(START):
        for _ in range(4):
            assert _page_sign_in(client, "sw_lead", "wrong-password-1").status_code == 200
        locked = _page_sign_in(client, "sw_lead", "wrong-password-1")
        right_password = _page_sign_in(client, "sw_lead", password)

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "blocked for 15 minutes" in locked.content.decode()
    assert 'class="govuk-error-summary"' in locked.content.decode()
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_out_ends_after_the_cool_off(users, password, client):
    with freeze_time(START):
        for _ in range(5):
            _page_sign_in(client, "sw_lead", "wrong-password-1")
    with freeze_time(START + dt.timedelta(minutes=16)):
        response = _page_sign_in(client, "sw_lead", password)

    assert response.status_code == 302


def test_lock_out_is_per_username_and_address(users, password, client):
    for _ in range(5):
        _page_sign_in(client, "sw_lead", "wrong-password-1", ip="198.51.100.7")

    from_elsewhere = _page_sign_in(client, "sw_lead", password, ip="203.0.113.9")
    client.logout()
    other_user_same_address = _page_sign_in(client, "hv_involved", password, ip="198.51.100.7")

    assert from_elsewhere.status_code == 302
    assert other_user_same_address.status_code == 302


def test_successful_sign_in_clears_earlier_failures(users, password, client):
    for _ in range(4):
        _page_sign_in(client, "sw_lead", "wrong-password-1")
    assert _page_sign_in(client, "sw_lead", password).status_code == 302
    client.logout()
    for _ in range(4):
        assert _page_sign_in(client, "sw_lead", "wrong-password-1").status_code == 200

    assert _page_sign_in(client, "sw_lead", password).status_code == 302


def test_api_token_endpoint_locks_after_five_failures_with_json_detail(users, password, client):
    statuses = [_api_token(client, "sw_lead", "wrong-password-1").status_code for _ in range(5)]
    locked = _api_token(client, "sw_lead", password)

    assert statuses == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "Too many failed sign-in attempts" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_failures_on_the_page_and_the_api_count_together(users, password, client):
    for _ in range(3):
        _page_sign_in(client, "sw_lead", "wrong-password-1")
    for _ in range(2):
        _api_token(client, "sw_lead", "wrong-password-1")

    assert _api_token(client, "sw_lead", password).status_code == 429


def test_locked_out_attempts_are_still_audited(users, password, client):
    for _ in range(6):
        _api_token(client, "sw_lead", "wrong-password-1")

    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="sw_lead").count() == 6
    assert not AuditEvent.objects.filter(action="auth.login").exists()
