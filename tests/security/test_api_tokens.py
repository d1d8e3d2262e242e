"""API tokens expire (idle and absolute lifetime), are new at every sign-in, are revoked by
signing out and by any password change, and are stored only as hashes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from freezegun import freeze_time
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.services import user_password_change
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"
PASSWORD_URL = "/api/v1/auth/password/"
CASES = "/api/v1/cases/"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW_PASSWORD = "Fresh-horizon-meadow-51"


def sign_in(username, password, ip="198.51.100.30"):
    response = APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def get(token, url=CASES):
    return APIClient().get(url, HTTP_AUTHORIZATION=f"Token {token}").status_code


def post(token, url, data=None, ip="198.51.100.30"):
    return APIClient().post(url, data or {}, format="json", HTTP_AUTHORIZATION=f"Token {token}", REMOTE_ADDR=ip)


# --- lifetimes --------------------------------------------------------------------------------


def test_lifetimes_default_to_an_hour_idle_and_twelve_hours_in_all():
    assert settings.API_TOKEN_IDLE_MINUTES == 60
    assert settings.API_TOKEN_MAX_HOURS == 12
    assert settings.REST_KNOX["TOKEN_TTL"] == dt.timedelta(minutes=60)
    assert settings.REST_KNOX["AUTO_REFRESH_MAX_TTL"] == dt.timedelta(hours=12)


def test_lifetimes_are_read_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "API_TOKEN_IDLE_MINUTES": "15",
        "API_TOKEN_MAX_HOURS": "2",
    }
    code = (
        "import django; django.setup(); from accounts.tokens import idle_lifetime, max_lifetime; "
        "print(int(idle_lifetime().total_seconds()), int(max_lifetime().total_seconds()))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["900", "7200"]


def test_sign_in_says_when_the_token_lapses(users, password):
    with freeze_time(T0):
        response = APIClient().post(TOKEN_URL, {"username": "sw_lead", "password": password}, format="json")

    assert dt.datetime.fromisoformat(response.json()["expiry"]) == T0 + dt.timedelta(minutes=60)


def test_unused_token_is_refused_after_the_idle_lifetime(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
    with freeze_time(T0 + dt.timedelta(minutes=59)):
        assert get(token) == 200
    with freeze_time(T0 + dt.timedelta(minutes=59 + 61)):
        assert get(token) == 401


def test_token_that_is_not_used_for_an_hour_is_refused_even_if_used_before(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
    with freeze_time(T0 + dt.timedelta(minutes=61)):
        assert get(token) == 401
    assert not AuthToken.objects.filter(user=users.sw).exists()  # an expired token is deleted


def test_token_in_use_is_refused_after_the_absolute_lifetime(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
    for step in range(1, 15):  # used every 50 minutes: never idle for an hour
        with freeze_time(T0 + dt.timedelta(minutes=50 * step)):
            assert get(token) == 200, f"refused after {50 * step} minutes"
    with freeze_time(T0 + dt.timedelta(minutes=50 * 15)):  # 12 h 30 min after sign-in
        assert get(token) == 401


def test_a_lower_absolute_lifetime_applies_to_tokens_already_issued(users, password, settings):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
    settings.REST_KNOX = {**settings.REST_KNOX, "AUTO_REFRESH_MAX_TTL": dt.timedelta(minutes=30)}
    with freeze_time(T0 + dt.timedelta(minutes=20)):
        assert get(token) == 200
    with freeze_time(T0 + dt.timedelta(minutes=31)):
        assert get(token) == 401


def test_an_idle_lifetime_longer_than_the_absolute_one_is_capped_at_sign_in(users, password, settings):
    settings.REST_KNOX = {
        **settings.REST_KNOX,
        "TOKEN_TTL": dt.timedelta(hours=24),
        "AUTO_REFRESH_MAX_TTL": dt.timedelta(hours=2),
    }
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
    assert AuthToken.objects.get(user=users.sw).expiry == T0 + dt.timedelta(hours=2)
    with freeze_time(T0 + dt.timedelta(hours=2, minutes=1)):
        assert get(token) == 401


# --- issue and storage ------------------------------------------------------------------------


def test_every_sign_in_issues_a_new_token(users, password):
    with freeze_time(T0):
        first = sign_in("sw_lead", password)
        second = sign_in("sw_lead", password)

        assert first != second
        # Another client of the same user keeps its token until it lapses or is revoked.
        assert get(first) == 200
        assert get(second) == 200


def test_tokens_are_stored_only_as_hashes(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)

    stored = AuthToken.objects.get(user=users.sw)
    assert token not in (stored.digest, stored.token_key)
    assert len(stored.digest) == 128  # SHA-512


def test_sign_in_clears_out_the_users_spent_tokens(users, password):
    with freeze_time(T0):
        sign_in("sw_lead", password)
    with freeze_time(T0 + dt.timedelta(hours=3)):
        sign_in("sw_lead", password)

    assert AuthToken.objects.filter(user=users.sw).count() == 1


def test_token_of_a_deactivated_user_is_refused(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        users.sw.is_active = False
        users.sw.save(update_fields=["is_active"])

        assert get(token) == 401


# --- sign-out ---------------------------------------------------------------------------------


def test_logout_revokes_the_token_it_is_sent_with(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        other_client = sign_in("sw_lead", password)

        response = post(token, LOGOUT_URL)

        assert response.status_code == 204
        assert get(token) == 401
        assert get(other_client) == 200


def test_logout_is_audited(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        post(token, LOGOUT_URL, ip="198.51.100.31")

    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor == users.sw
    assert (event.method, event.path, event.client_ip) == ("POST", LOGOUT_URL, "198.51.100.31")


def test_logout_without_a_token_is_refused(users):
    assert APIClient().post(LOGOUT_URL).status_code == 401


def test_website_sign_out_revokes_the_users_tokens(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        other_users_token = sign_in("hv_involved", password)
        browser = Client()
        browser.force_login(users.sw)

        browser.post("/sign-out/")

        assert get(token) == 401
        assert get(other_users_token) == 200
    event = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert (event.actor, event.detail) == (users.sw, {"reason": "signed_out", "count": 1})


# --- password change through the API ----------------------------------------------------------


def test_password_change_revokes_every_token_and_returns_a_new_one(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        other_client = sign_in("sw_lead", password)
        colleague = sign_in("hv_involved", password)

        response = post(token, PASSWORD_URL, {"current_password": password, "new_password": NEW_PASSWORD})

        assert response.status_code == 200
        new_token = response.json()["token"]
        assert new_token not in (token, other_client)
        assert get(token) == 401
        assert get(other_client) == 401
        assert get(new_token) == 200
        assert get(colleague) == 200
    users.sw.refresh_from_db()
    assert users.sw.check_password(NEW_PASSWORD)


def test_password_change_ends_the_users_website_sessions(users, password):
    browser = Client()
    browser.force_login(users.sw)
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        post(token, PASSWORD_URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert browser.get("/cases/").status_code == 302


def test_password_change_is_audited(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        post(token, PASSWORD_URL, {"current_password": password, "new_password": NEW_PASSWORD}, ip="198.51.100.32")

    changed = AuditEvent.objects.get(action="auth.password_changed")
    assert changed.actor == users.sw
    assert changed.object_id == str(users.sw.pk)
    assert (changed.path, changed.client_ip) == (PASSWORD_URL, "198.51.100.32")
    revoked = AuditEvent.objects.get(action="auth.tokens_revoked")
    assert revoked.detail == {"reason": "password_changed", "count": 1}
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_wrong_current_password_is_a_field_error_and_changes_nothing(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)

        response = post(token, PASSWORD_URL, {"current_password": "not-my-password", "new_password": NEW_PASSWORD})

        assert response.status_code == 400
        assert response.json()["current_password"]
        assert "token" not in response.json()
        assert get(token) == 200
    users.sw.refresh_from_db()
    assert users.sw.check_password(password)
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()


@pytest.mark.parametrize("weak", ["short-1", "password123", "12345678901234"])
def test_weak_new_password_is_a_field_error_and_changes_nothing(users, password, weak):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)

        response = post(token, PASSWORD_URL, {"current_password": password, "new_password": weak})

        assert response.status_code == 400
        assert response.json()["new_password"]
        assert get(token) == 200
    users.sw.refresh_from_db()
    assert users.sw.check_password(password)


def test_missing_fields_are_field_errors(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        response = post(token, PASSWORD_URL, {})

    assert response.status_code == 400
    assert set(response.json()) == {"current_password", "new_password"}


def test_guessing_the_current_password_locks_the_user_out(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        for _ in range(4):
            wrong = post(token, PASSWORD_URL, {"current_password": "guess-0000", "new_password": NEW_PASSWORD})
            assert wrong.status_code == 400
        locked = post(token, PASSWORD_URL, {"current_password": "guess-0000", "new_password": NEW_PASSWORD})
        right = post(token, PASSWORD_URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert locked.status_code == 429
    assert right.status_code == 429
    users.sw.refresh_from_db()
    assert users.sw.check_password(password)


def test_password_change_needs_a_signed_in_user(users, password):
    response = APIClient().post(PASSWORD_URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert response.status_code == 401


# --- any other password change ----------------------------------------------------------------


def test_a_password_set_by_an_administrator_revokes_the_users_tokens_and_sessions(users, password):
    browser = Client()
    browser.force_login(users.sw)
    with freeze_time(T0):
        token = sign_in("sw_lead", password)

        user_password_change(user=users.sw, new_password=NEW_PASSWORD, acting_user=users.admin)

        assert get(token) == 401
    assert browser.get("/cases/").status_code == 302
    assert AuditEvent.objects.get(action="auth.password_changed").actor == users.admin


def test_set_password_anywhere_revokes_the_users_tokens(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        users.sw.set_password(NEW_PASSWORD)
        users.sw.save()

        assert get(token) == 401


def test_saving_a_user_without_a_new_password_keeps_the_tokens(users, password):
    with freeze_time(T0):
        token = sign_in("sw_lead", password)
        users.sw.full_name = "Sam Lead"
        users.sw.save()

        assert get(token) == 200
