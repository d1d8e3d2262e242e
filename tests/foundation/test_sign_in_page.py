"""The sign-in page: GOV.UK form, signs in, audits success and failure."""

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_sign_in_page_renders_labelled_fields(client):
    response = client.get("/sign-in/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_password">Password</label>' in html
    assert 'type="password"' in html


def test_sign_in_page_does_not_autofocus_past_the_skip_link(db, client):
    assert "autofocus" not in client.get("/sign-in/").content.decode()


def test_signing_in_goes_to_the_case_list_and_is_audited(users, password, client):
    response = client.post("/sign-in/", {"username": "hv_involved", "password": password}, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.method, event.path, event.client_ip) == (users.hv, "POST", "/sign-in/", "192.0.2.44")


def test_signing_in_honours_a_local_next_page(case, users, password, client):
    response = client.post("/sign-in/", {"username": "hv_involved", "password": password, "next": f"/cases/{case.pk}/"})

    assert response["Location"] == f"/cases/{case.pk}/"


def test_signing_in_ignores_an_offsite_next_page(users, password, client):
    response = client.post(
        "/sign-in/", {"username": "hv_involved", "password": password, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/cases/"


def test_wrong_password_shows_the_error_summary_and_is_audited(users, client):
    response = client.post("/sign-in/", {"username": "hv_involved", "password": "wrong-password-1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert "<title>Error: Sign in" in html
    assert not response.wsgi_request.user.is_authenticated
    assert AuditEvent.objects.get(action="auth.login_failed").detail == {"username": "hv_involved"}


def test_empty_sign_in_form_links_errors_to_the_fields(db, client):
    html = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()

    assert 'href="#id_username"' in html
    assert 'href="#id_password"' in html


def test_signing_out_is_audited(users, client):
    client.force_login(users.hv)

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert AuditEvent.objects.get(action="auth.logout").actor == users.hv
