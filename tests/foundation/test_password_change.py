"""The "Change your password" page: linked from the header for every signed-in user, the same
password rules as everywhere, GOV.UK errors, this session kept, every other session and every
API token ended, audited."""

import pytest
from django.test import Client

from accounts.tokens import api_token_issue
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/password/"
NEW_PASSWORD = "Fresh-horizon-meadow-51"


def token_works(token) -> bool:
    return Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


@pytest.mark.parametrize("persona", ["sw", "hv", "chair", "manager", "admin"])
def test_every_signed_in_user_has_the_link_in_the_header(users, web_as, persona):
    html = web_as(getattr(users, persona)).get("/cases/").content.decode()

    assert f'<a href="{URL}" class="govuk-link govuk-link--inverse">Change your password</a>' in html


def test_signed_out_visitors_are_sent_to_sign_in(db, client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_page_has_labelled_password_fields(users, web_as):
    response = web_as(users.hv).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_current_password">Current password</label>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_new_password">New password</label>' in html
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_changing_the_password_keeps_this_session_and_ends_the_others(users, password, web_as):
    elsewhere = Client()
    elsewhere.force_login(users.hv)
    browser = web_as(users.hv)

    response = browser.post(URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert response.status_code == 302
    assert browser.get("/cases/").status_code == 200
    assert elsewhere.get("/cases/").status_code == 302
    users.hv.refresh_from_db()
    assert users.hv.check_password(NEW_PASSWORD)


def test_changing_the_password_revokes_every_api_token(users, password, web_as):
    _, token = api_token_issue(user=users.hv)
    _, colleague = api_token_issue(user=users.sw)

    web_as(users.hv).post(URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert not token_works(token)
    assert token_works(colleague)


def test_changing_the_password_is_audited_and_confirmed(users, password, web_as):
    browser = web_as(users.hv)

    response = browser.post(
        URL, {"current_password": password, "new_password": NEW_PASSWORD}, follow=True, REMOTE_ADDR="192.0.2.60"
    )

    assert "Your password has been changed" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert (event.actor, event.object_id, event.path, event.client_ip) == (
        users.hv,
        str(users.hv.pk),
        URL,
        "192.0.2.60",
    )


def test_wrong_current_password_shows_an_error_summary_and_changes_nothing(users, password, web_as):
    response = web_as(users.hv).post(URL, {"current_password": "not-my-password", "new_password": NEW_PASSWORD})

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_current_password">Your current password is not right</a>' in html
    assert "<title>Error: Change your password" in html
    users.hv.refresh_from_db()
    assert users.hv.check_password(password)
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="hv_involved").count() == 1


def test_weak_new_password_shows_the_password_rules(users, password, web_as):
    response = web_as(users.hv).post(URL, {"current_password": password, "new_password": "password"})

    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_new_password">This password is too short.' in html
    assert "This password is too common." in html
    users.hv.refresh_from_db()
    assert users.hv.check_password(password)
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_empty_form_links_errors_to_the_fields(users, web_as):
    html = web_as(users.hv).post(URL, {"current_password": "", "new_password": ""}).content.decode()

    assert '<a href="#id_current_password">Enter your current password</a>' in html
    assert '<a href="#id_new_password">Enter a new password</a>' in html


def test_guessing_the_current_password_locks_the_page(users, password, web_as):
    browser = web_as(users.hv)
    for _ in range(4):
        assert browser.post(URL, {"current_password": "guess-0000", "new_password": NEW_PASSWORD}).status_code == 400

    locked = browser.post(URL, {"current_password": "guess-0000", "new_password": NEW_PASSWORD})
    right = browser.post(URL, {"current_password": password, "new_password": NEW_PASSWORD})

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert '<h1 class="govuk-heading-l">Change your password</h1>' in locked.content.decode()
    assert right.status_code == 429
    users.hv.refresh_from_db()
    assert users.hv.check_password(password)
