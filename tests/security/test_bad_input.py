"""Bad input gets a clear 4xx and costs nothing: oversized requests and fields, null bytes,
malformed JSON; unicode names come back exactly as sent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import User
from chronology.models import ChronologyEntry, Person

pytestmark = pytest.mark.django_db


def _entry(**overrides):
    return {"occurred_on": "2026-01-05", "kind": "home_visit", "summary": "Home visit, Robin seen", **overrides}


def test_user_without_an_agency_is_a_400_not_a_server_error(users, api_as):
    """Found by the schema fuzzer: a missing `agency` used to reach the service as a TypeError."""
    response = api_as(users.admin).post(
        "/api/v1/users/",
        {"username": "new_worker", "password": "Synthetic-pass-7731", "role": "practitioner"},
        format="json",
    )

    assert response.status_code == 400
    assert "agency" in response.json()
    assert not User.objects.filter(username="new_worker").exists()


@override_settings(REQUEST_MAX_BYTES=4096)
def test_upload_over_the_size_limit_is_413_with_a_detail(users, case, api_as):
    big = SimpleUploadedFile("entries.csv", b"occurred_on,kind,summary\n" + b"x" * 8192, content_type="text/csv")

    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/import/", {"file": big}, format="multipart")

    assert response.status_code == 413
    assert "the limit is" in response.json()["detail"]
    assert not ChronologyEntry.objects.exists()


@override_settings(REQUEST_MAX_BYTES=4096)
def test_page_upload_over_the_size_limit_is_413(users, case, web_as):
    big = SimpleUploadedFile("entries.csv", b"x" * 8192, content_type="text/csv")

    response = web_as(users.hv).post(f"/cases/{case.pk}/chronology/import/", {"file": big})

    assert response.status_code == 413
    assert not ChronologyEntry.objects.exists()


def test_oversized_entry_summary_is_a_400_field_error(users, case, api_as):
    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/", _entry(summary="x" * 5000), format="json")

    assert response.status_code == 400
    assert "summary" in response.json()
    assert not ChronologyEntry.objects.exists()


def test_oversized_person_name_is_a_400_field_error(users, case, api_as):
    response = api_as(users.sw).post(
        f"/api/v1/cases/{case.pk}/people/", {"given_name": "A" * 1000, "sex": "female"}, format="json"
    )

    assert response.status_code == 400
    assert "given_name" in response.json()


@pytest.mark.parametrize("field", ["summary", "detail"])
def test_null_byte_in_entry_text_is_a_400(field, users, case, api_as):
    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/", _entry(**{field: "a\x00b"}), format="json")

    assert response.status_code == 400
    assert not ChronologyEntry.objects.exists()


def test_null_byte_in_person_name_is_a_400(users, case, api_as):
    response = api_as(users.sw).post(
        f"/api/v1/cases/{case.pk}/people/", {"given_name": "Ro\x00bin", "sex": "female"}, format="json"
    )

    assert response.status_code == 400
    assert not Person.objects.filter(case=case).exists()


def test_malformed_json_is_a_400_with_detail(users, case, api_as):
    response = api_as(users.hv).post(
        f"/api/v1/cases/{case.pk}/entries/", data='{"summary": "unterminated', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()


def test_unicode_person_names_round_trip(users, case, api_as):
    client = api_as(users.sw)
    names = {"given_name": "Zoë-Ångström", "family_name": "Nguyễn Ødegård", "known_as": "Zsófia, 子, Ṁáire 🌟"}

    created = client.post(f"/api/v1/cases/{case.pk}/people/", {**names, "sex": "female"}, format="json")
    fetched = client.get(f"/api/v1/cases/{case.pk}/people/{created.json()['id']}/")

    assert created.status_code == 201
    assert {k: fetched.json()[k] for k in names} == names


def test_unicode_entry_text_round_trips(users, case, api_as):
    client = api_as(users.hv)
    text = "Zoë said “I’m scared of the dark” — 子供 🌙"

    created = client.post(f"/api/v1/cases/{case.pk}/entries/", _entry(summary=text, detail=text), format="json")
    fetched = client.get(f"/api/v1/cases/{case.pk}/entries/{created.json()['id']}/")

    assert created.status_code == 201
    assert (fetched.json()["summary"], fetched.json()["detail"]) == (text, text)
