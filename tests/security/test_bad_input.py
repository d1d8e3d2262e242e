"""Bad input gets a clear 4xx and costs nothing: oversized requests and fields, null bytes,
malformed or deeply nested JSON, ids past the database's range; unicode names come back exactly as sent."""

from __future__ import annotations

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from accounts.models import User
from cases.models import Person
from chronology.models import ChronologyEntry

pytestmark = pytest.mark.django_db


def _entry(**overrides):
    return {"occurred_on": "2026-01-05", "kind": "home_visit", "summary": "Home visit, Robin seen", **overrides}


@pytest.fixture
def make_entry(users, case):
    import datetime as dt

    from chronology.services import entry_create

    def make(**fields):
        fields = {"occurred_on": dt.date(2026, 1, 5), "kind": "home_visit", "summary": "Home visit", **fields}
        return entry_create(acting_user=users.hv, case=case, today=dt.date(2026, 2, 1), **fields)

    return make


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


# --- Huge integers and deep nesting: a 400 with a field error, never a 500 (on PostgreSQL and SQLite) ----

HUGE = 10**30


def _cursor(position: str) -> str:
    return base64.b64encode(f"p={position}".encode()).decode()


def test_a_hundred_thousand_nested_brackets_is_a_400_parse_error(users, case, api_as):
    body = "[" * 100_000 + "]" * 100_000

    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert "nests more than" in response.json()["detail"]
    assert not ChronologyEntry.objects.exists()


def test_json_nested_past_the_depth_limit_is_a_400_even_when_it_parses(users, case, api_as):
    deep: list = []
    for _ in range(40):
        deep = [deep]

    response = api_as(users.admin).post(
        f"/api/v1/cases/{case.pk}/flags/settings/",
        {"rule": "nonmobile_injury", "params": {"age_months": deep}, "reason": "Deep"},
        format="json",
    )

    assert response.status_code == 400
    assert "nests more than 32 levels" in response.json()["detail"]


@pytest.mark.parametrize("field", ["subjects", "present", "seen", "seen_alone"])
@pytest.mark.parametrize("value", [HUGE, -HUGE, 2**63])
def test_a_person_id_past_the_database_range_is_a_field_error(field, value, users, case, people, api_as):
    response = api_as(users.hv).post(
        f"/api/v1/cases/{case.pk}/entries/", _entry(**{field: [people.child.pk, value]}), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not ChronologyEntry.objects.exists()


def test_amend_with_a_huge_person_id_or_revision_is_a_field_error(users, case, people, api_as, make_entry):
    entry = make_entry()
    base = f"/api/v1/cases/{case.pk}/entries/{entry.pk}"
    client = api_as(users.hv)

    present = client.post(
        f"{base}/amend/", {"present": [HUGE], "reason": "Who was there", "revision": 1}, format="json"
    )
    revision = client.post(f"{base}/amend/", {"summary": "Visit", "reason": "Typo", "revision": HUGE}, format="json")
    retract = client.post(f"{base}/retract/", {"reason": "Wrong family", "revision": HUGE}, format="json")

    assert (present.status_code, revision.status_code, retract.status_code) == (400, 400, 400)
    assert "present" in present.json() and "revision" in revision.json() and "revision" in retract.json()
    entry.refresh_from_db()
    assert entry.revision == 1


@pytest.mark.parametrize("rev", [str(HUGE), "9" * 5000])
def test_if_match_with_a_huge_revision_is_a_field_error(rev, users, case, api_as, make_entry):
    entry = make_entry()

    response = api_as(users.hv).post(
        f"/api/v1/cases/{case.pk}/entries/{entry.pk}/amend/",
        {"summary": "Visit", "reason": "Typo"},
        format="json",
        HTTP_IF_MATCH=f'"entry-{entry.pk}-rev-{rev}"',
    )

    assert response.status_code == 400
    assert "If-Match" in response.json()


@pytest.mark.parametrize("name", ["agency", "person"])
@pytest.mark.parametrize("value", [str(HUGE), "-" + str(HUGE), "9" * 5000])
def test_a_huge_id_in_the_entry_filters_is_a_field_error(name, value, users, case, api_as):
    response = api_as(users.hv).get(f"/api/v1/cases/{case.pk}/entries/", {name: value})

    assert response.status_code == 400
    assert name in response.json()


def test_a_huge_page_size_is_capped_not_a_server_error(users, case, api_as, make_entry):
    make_entry()

    response = api_as(users.hv).get(f"/api/v1/cases/{case.pk}/entries/", {"page_size": str(HUGE)})
    too_long = api_as(users.hv).get(f"/api/v1/cases/{case.pk}/entries/", {"page_size": "9" * 5000})

    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert too_long.status_code == 400 and "page_size" in too_long.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/agencies/",
        "/api/v1/users/",
        "/api/v1/cases/",
        "/api/v1/cases/{case}/people/",
        "/api/v1/cases/{case}/agencies/",
        "/api/v1/cases/{case}/audit/",
    ],
)
@pytest.mark.parametrize("position", ["abc", "1.5", str(HUGE), "9" * 5000])
def test_a_forged_page_cursor_is_a_field_error(path, position, users, case, api_as):
    response = api_as(users.admin).get(path.format(case=case.pk), {"cursor": _cursor(position)})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_a_cursor_that_is_not_base64_is_a_field_error(users, api_as):
    response = api_as(users.admin).get("/api/v1/agencies/", {"cursor": "%%%not-a-cursor"})

    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/{huge}/",
        "/api/v1/cases/{case}/people/{huge}/",
        "/api/v1/cases/{case}/entries/{huge}/",
        "/api/v1/cases/{case}/entries/{huge}/revisions/",
        "/api/v1/cases/{case}/households/{huge}/",
        "/api/v1/packs/{huge}/",
        "/api/v1/cases/{long}/",
    ],
)
def test_a_huge_id_in_a_path_is_not_found(path, users, case, api_as):
    response = api_as(users.admin).get(path.format(case=case.pk, huge=HUGE, long="9" * 5000))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/cases/",
            {"reference": "NS-9", "title": "T", "lead_agency": HUGE, "legal_status": "early_help"},
            "lead_agency",
        ),
        ("/api/v1/cases/{case}/agencies/", {"agency": HUGE}, "agency"),
        (
            "/api/v1/users/",
            {"username": "u9", "password": "Synthetic-pass-7731", "agency": HUGE, "role": "practitioner"},
            "agency",
        ),
        (
            "/api/v1/cases/{case}/relationships/",
            {"kind": "biological_parent", "from_person": HUGE, "to_person": HUGE},
            "from_person",
        ),
        (
            "/api/v1/cases/{case}/ecomap-links/",
            {"person": HUGE, "resource_name": "Riverside", "strength": "strong"},
            "person",
        ),
        (
            "/api/v1/cases/{case}/packs/",
            {"kind": "strategy", "date_from": "2025-01-01", "date_to": "2026-02-01", "agencies": [HUGE]},
            "agencies",
        ),
    ],
)
def test_a_huge_id_in_any_apps_request_body_is_a_field_error(path, body, field, users, case, api_as):
    response = api_as(users.admin).post(path.format(case=case.pk), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_huge_person_id_on_the_add_entry_page_is_a_form_error(users, case, people, web_as):
    response = web_as(users.hv).post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on": "2026-01-05",
            "date_precision": "day",
            "kind": "home_visit",
            "summary": "Home visit",
            "significance": "medium",
            "source": "observed",
            "subjects": [str(HUGE)],
        },
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_a_huge_agency_on_the_chronology_page_is_a_form_error(users, case, web_as):
    response = web_as(users.hv).get(f"/cases/{case.pk}/chronology/", {"agency": str(HUGE)})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_huge_highlight_id_on_the_chronology_page_is_ignored(users, case, web_as, make_entry):
    entry = make_entry(summary="Home visit, Robin seen")

    response = web_as(users.hv).get(f"/cases/{case.pk}/chronology/", {"highlight": f"{HUGE},{entry.pk}"})

    assert response.status_code == 200
    assert "Home visit, Robin seen" in response.content.decode()


@pytest.mark.parametrize("value", [1_001, HUGE])
def test_a_huge_rule_parameter_is_a_field_error_and_the_flags_still_load(value, users, case, api_as):
    """A window of 10**30 months used to be stored, and every later read of the case's flags was a 500."""
    client = api_as(users.admin)

    response = client.post(
        f"/api/v1/cases/{case.pk}/flags/settings/",
        {"rule": "unseen_adult", "params": {"window_months": value}, "reason": "Longer look-back"},
        format="json",
    )

    assert response.status_code == 400
    assert "params" in response.json()
    assert client.get(f"/api/v1/cases/{case.pk}/flags/").status_code == 200


def test_a_huge_agency_on_the_packs_page_is_a_form_error(users, case, web_as):
    from reporting.packs.models import Pack

    response = web_as(users.sw).post(
        f"/cases/{case.pk}/packs/",
        {
            "kind": "strategy",
            "date_from": "2026-01-01",
            "date_to": "2026-06-30",
            "min_significance": "low",
            "agencies": [str(HUGE)],
        },
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Pack.objects.exists()
