"""Two-factor authentication (TOTP): off unless OTP_REQUIRED; when on, every role enrols an
authenticator app, every signed-in page needs a verified session, and API tokens need a code."""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
otp_on = override_settings(OTP_REQUIRED=True)


def code_for(device: TOTPDevice, at: dt.datetime) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in(client, user, password):
    return client.post("/sign-in/", {"username": user.username, "password": password})


def _setting_in(env: dict[str, str]) -> str:
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "OTP_REQUIRED"}} | env
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.OTP_REQUIRED)",
        ],
        cwd=ROOT,
        env=full_env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_two_factor_is_off_in_development_and_tests():
    assert settings.OTP_REQUIRED is False


def test_two_factor_is_on_by_default_in_production():
    secret = "p" * 60
    production = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secret,
        "AUDIT_CHECKPOINT_KEY": "a" * 40,
        "ALLOWED_HOSTS": "x",
    }
    assert _setting_in(production) == "True"
    assert _setting_in(production | {"OTP_REQUIRED": "0"}) == "False"


def test_without_otp_required_a_password_alone_reaches_the_cases(users, password, client):
    response = sign_in(client, users.sw, password)

    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200


@otp_on
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_without_a_device_is_sent_to_enrolment(role, agencies, password, client):
    user = UserFactory(username=f"new_{role}", agency=agencies.csc, role=role)
    sign_in(client, user, password)

    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/two-factor/setup/?next=")


@otp_on
def test_enrolment_page_shows_a_qr_code_and_the_secret(users, password, client):
    sign_in(client, users.hv, password)

    page = client.get("/two-factor/setup/").content.decode()

    device = TOTPDevice.objects.get(user=users.hv, confirmed=False)
    assert 'src="data:image/svg+xml;base64,' in page
    assert "otpauth://totp/" in page
    assert "Shared%20chronology" in page or "Shared chronology" in page
    assert base64.b32encode(device.bin_key).decode().rstrip("=") in page


@otp_on
def test_enrolment_with_a_wrong_code_shows_an_error_and_confirms_nothing(users, password, client):
    sign_in(client, users.hv, password)
    client.get("/two-factor/setup/")

    response = client.post("/two-factor/setup/", {"otp_token": "000000"})

    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=users.hv, confirmed=True).exists()
    assert client.get("/cases/").status_code == 302


@otp_on
def test_enrolment_with_the_right_code_confirms_the_device_and_opens_the_pages(users, password, client):
    with freeze_time(T0):
        sign_in(client, users.hv, password)
        client.get("/two-factor/setup/")
        device = TOTPDevice.objects.get(user=users.hv, confirmed=False)
        response = client.post("/two-factor/setup/", {"otp_token": code_for(device, T0), "next": "/cases/"})

        assert response.status_code == 302
        assert response["Location"] == "/cases/"
        assert client.get("/cases/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.2fa_enrolled", actor=users.hv).exists()


@otp_on
def test_a_new_session_must_enter_a_code_before_any_page(users, password, client):
    device = confirmed_device(users.sw)
    with freeze_time(T0):
        sign_in(client, users.sw, password)
        before = client.get("/cases/")
        wrong = client.post("/two-factor/", {"otp_token": "123456"})
    with freeze_time(T0 + dt.timedelta(minutes=1)):
        right = client.post("/two-factor/", {"otp_token": code_for(device, T0 + dt.timedelta(minutes=1))})
        after = client.get("/cases/")

    assert before.status_code == 302
    assert before["Location"].startswith("/two-factor/?next=")
    assert wrong.status_code == 400
    assert right.status_code == 302
    assert after.status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa_failed", actor=users.sw).count() == 1
    assert AuditEvent.objects.filter(action="auth.2fa_verified", actor=users.sw).count() == 1


@otp_on
def test_a_password_alone_cannot_enrol_a_second_device(users, password, client):
    confirmed_device(users.sw)
    sign_in(client, users.sw, password)

    response = client.get("/two-factor/setup/")

    assert response.status_code == 302
    assert response["Location"] == "/two-factor/"
    assert TOTPDevice.objects.filter(user=users.sw).count() == 1


@otp_on
def test_an_unverified_session_cannot_use_the_api(users, password, client):
    confirmed_device(users.sw)
    sign_in(client, users.sw, password)

    response = client.get("/api/v1/cases/")

    assert response.status_code == 403
    assert "Two-factor" in response.json()["detail"]


@otp_on
def test_api_token_needs_a_code_when_two_factor_is_on(users, password, client):
    device = confirmed_device(users.sw)
    url = "/api/v1/auth/token/"
    with freeze_time(T0):
        missing = client.post(url, {"username": "sw_lead", "password": password}, content_type="application/json")
        wrong = client.post(
            url, {"username": "sw_lead", "password": password, "otp_token": "999999"}, content_type="application/json"
        )
    with freeze_time(T0 + dt.timedelta(minutes=1)):
        right = client.post(
            url,
            {"username": "sw_lead", "password": password, "otp_token": code_for(device, T0 + dt.timedelta(minutes=1))},
            content_type="application/json",
        )

    assert missing.status_code == 400
    assert "otp_token" in missing.json()
    assert wrong.status_code == 400
    assert "token" not in wrong.json()
    assert right.status_code == 200
    token = right.json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with freeze_time(T0 + dt.timedelta(minutes=2)):  # API tokens expire: use it while it is fresh
        assert api.get("/api/v1/cases/").status_code == 200


@otp_on
def test_api_token_refused_for_a_user_who_never_enrolled(users, password, client):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "sw_lead", "password": password, "otp_token": "123456"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "Set up two-factor authentication" in response.json()["otp_token"][0]
