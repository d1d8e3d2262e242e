"""Every response carries the Content Security Policy and frame refusal; no template uses inline
script or style (the policy would block it); the production deploy check is clean."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def _policy(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/sign-in/", "/cases/", "/api/v1/cases/", "/no-such-page/"])
def test_every_response_has_the_content_security_policy(path, users, web_as):
    response = web_as(users.sw).get(path)

    assert _policy(response["Content-Security-Policy"]) == EXPECTED_CSP


@pytest.mark.django_db
def test_pages_refuse_framing_and_sniffing(users, web_as):
    response = web_as(users.sw).get("/cases/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire_after_thirty_minutes_of_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def _browser_templates() -> list[Path]:
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    files = [f for d in dirs for f in d.rglob("*.html")]
    # Templates rendered only to PDF by WeasyPrint (the pack's parts) never reach a browser; the CSP
    # does not apply.
    return [f for f in files if "/pdf/" not in f.as_posix() and "templates/reporting/pack/" not in f.as_posix()]


def test_no_browser_template_has_inline_script_or_style():
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _browser_templates()
        for match in [*INLINE_SCRIPT.finditer(path.read_text()), *INLINE_STYLE.finditer(path.read_text())]
    ]

    assert _browser_templates()
    assert offenders == []


def _deploy_check(*extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "OTP_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "AUDIT_CHECKPOINT_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "chronology.example.org",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_security_settings_pass_the_deploy_check():
    result = _deploy_check("--tag", "security")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_deploy_check_is_clean():
    result = _deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
