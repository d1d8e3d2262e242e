"""Refused case access leaves a trace: who asked for which path, when and from where, in a security
log that managers of the user's own agency and administrators read, and that never says whether
the case exists. Client addresses come from X-Forwarded-For only through a trusted proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.models import Role
from audit.models import AuditEvent
from audit.services import SECURITY_ACCESS_REFUSED
from core.client import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIELDS = {"actor_username", "actor_agency", "method", "path", "client_ip", "user_agent"}


@pytest.fixture
def housing_manager(agencies):
    return UserFactory(username="housing_manager", agency=agencies.housing, role=Role.MANAGER)


def _refused():
    return AuditEvent.objects.filter(action=SECURITY_ACCESS_REFUSED)


def test_refused_case_read_is_recorded_with_who_what_when_and_where(case, users, api_as):
    response = api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/entries/", REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 404
    row = _refused().get()
    assert (row.actor, row.method, row.path, row.client_ip) == (
        users.outsider,
        "GET",
        f"/api/v1/cases/{case.pk}/entries/",
        "198.51.100.23",
    )
    assert row.case is None
    assert row.at is not None


def test_refused_page_and_pack_requests_are_recorded(case, users, web_as, api_as):
    web_as(users.outsider).get(f"/cases/{case.pk}/chronology/")
    api_as(users.outsider).get("/api/v1/packs/4242/")

    assert sorted(_refused().values_list("path", flat=True)) == sorted(
        [f"/cases/{case.pk}/chronology/", "/api/v1/packs/4242/"]
    )


def test_refused_rows_for_a_hidden_and_a_missing_case_are_alike(case, users, api_as):
    client = api_as(users.outsider)
    client.get(f"/api/v1/cases/{case.pk}/")
    client.get("/api/v1/cases/987654/")

    hidden, missing = _refused().order_by("id")
    assert (hidden.case, hidden.detail, hidden.object_type, hidden.object_id) == (
        missing.case,
        missing.detail,
        missing.object_type,
        missing.object_id,
    )
    assert hidden.detail == {"asked_for": "case"}


def test_allowed_reads_leave_no_security_row(case, users, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/")

    assert not _refused().exists()


def test_manager_of_the_users_agency_reads_the_log_on_the_api_and_page(case, users, housing_manager, api_as, web_as):
    api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR="198.51.100.23")

    api_rows = api_as(housing_manager).get("/api/v1/security-log/").json()["results"]
    page = web_as(housing_manager).get("/security-log/")

    assert [(r["actor_username"], r["path"], r["client_ip"]) for r in api_rows] == [
        ("housing_outsider", f"/api/v1/cases/{case.pk}/", "198.51.100.23")
    ]
    assert set(api_rows[0]) >= FIELDS
    assert page.status_code == 200
    assert "housing_outsider" in page.content.decode()
    assert f"/api/v1/cases/{case.pk}/" in page.content.decode()


def test_security_log_says_nothing_of_the_case(case, users, housing_manager, api_as, web_as):
    api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/")

    body = api_as(housing_manager).get("/api/v1/security-log/").content.decode()
    page = web_as(housing_manager).get("/security-log/").content.decode()

    for text in (body, page):
        assert "Testfamily" not in text
        assert "NS-0001" not in text


def test_manager_of_another_agency_does_not_see_the_row(case, users, api_as, web_as):
    api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/")

    assert api_as(users.manager).get("/api/v1/security-log/").json()["results"] == []
    assert "housing_outsider" not in web_as(users.manager).get("/security-log/").content.decode()


def test_administrator_reads_every_agencys_rows(case, users, api_as):
    api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/")

    rows = api_as(users.admin).get("/api/v1/security-log/").json()["results"]

    assert [r["actor_username"] for r in rows] == ["housing_outsider"]


@pytest.mark.parametrize("persona", ["hv", "sw", "chair", "outsider"])
def test_other_roles_may_not_read_the_log(persona, users, api_as, web_as):
    user = getattr(users, persona)

    assert api_as(user).get("/api/v1/security-log/").status_code == 403
    assert web_as(user).get("/security-log/").status_code == 403


def test_reading_the_log_is_audited(users, housing_manager, api_as):
    api_as(housing_manager).get("/api/v1/security-log/")

    assert AuditEvent.objects.filter(actor=housing_manager, action="security_log.read").exists()


# Client addresses behind a proxy.


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []

    assert client_address(_request("10.0.0.5", "203.0.113.9")) == "10.0.0.5"


def test_forwarded_for_from_a_trusted_proxy_gives_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(_request("10.0.0.5", "203.0.113.9")) == "203.0.113.9"
    assert client_address(_request("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"


def test_forwarded_for_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(_request("198.51.100.50", "203.0.113.9")) == "198.51.100.50"


def test_malformed_forwarded_for_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"


def test_audit_rows_take_the_client_from_the_trusted_proxy(case, users, api_as, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]

    api_as(users.outsider).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert _refused().get().client_ip == "203.0.113.9"
    assert AuditEvent.objects.filter(actor=users.hv, case=case).latest("id").client_ip == "203.0.113.10"


def test_lockout_counts_each_client_behind_the_proxy_apart(users, password, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    sign_in = {"username": "sw_lead", "password": "wrong-password-1"}

    for _ in range(5):
        client.post("/sign-in/", sign_in, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    locked = client.post("/sign-in/", sign_in, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    other_client = client.post(
        "/sign-in/",
        {"username": "sw_lead", "password": password},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )

    assert locked.status_code == 429
    assert other_client.status_code == 302
