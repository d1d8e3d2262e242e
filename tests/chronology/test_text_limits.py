"""Every free text of the chronology has a limit no practitioner reaches, the same on the API, the
page forms and the import, and the answer names the limit and the length sent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from cases.models import Case, Person
from chronology.models import ChronologyEntry, EntryRevision

pytestmark = pytest.mark.django_db

# API field (None: at the top level) -> (limit, the name said in the message).
ENTRY_TEXTS = {
    "summary": (300, "Summary"),
    "detail": (20_000, "Detail"),
    "child_voice": (20_000, "Child's voice"),
    "action": (5_000, "Action"),
    "outcome": (5_000, "Outcome"),
    "no_action_reason": (5_000, "Reason no action was taken"),
    "agency_ref": (100, "Agency reference"),
}
INJURY_TEXTS = {
    "body_site": (200, "Body site"),
    "injury_type": (200, "Injury type"),
    "explanation": (5_000, "Explanation"),
}


def _entry(**overrides):
    return {"occurred_on": "2026-05-01", "kind": "home_visit", "summary": "Home visit, Robin seen", **overrides}


def _injury(**overrides):
    injury = {"body_site": "left forearm", "injury_type": "bruise", "explanation": "", **overrides}
    return _entry(kind="injury", summary="Bruise seen", action="Referred to the GP", injury=injury)


def test_a_200000_character_detail_is_refused_with_the_limit_named(users, case, api_as, frozen_today):
    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/", _entry(detail="x" * 200_000), format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": ["Detail must be 20,000 characters or fewer; this is 200,000."]}
    assert not ChronologyEntry.objects.exists()


@pytest.mark.parametrize("field", sorted(ENTRY_TEXTS))
def test_each_entry_text_is_accepted_at_its_limit_and_refused_past_it(field, users, case, api_as, frozen_today):
    limit, said = ENTRY_TEXTS[field]
    client = api_as(users.hv)

    over = client.post(f"/api/v1/cases/{case.pk}/entries/", _entry(**{field: "y" * (limit + 1)}), format="json")
    at = client.post(f"/api/v1/cases/{case.pk}/entries/", _entry(**{field: "y" * limit}), format="json")

    assert over.status_code == 400
    assert over.json()[field] == [f"{said} must be {limit:,} characters or fewer; this is {limit + 1:,}."]
    assert at.status_code == 201, at.json()
    assert ChronologyEntry.objects.count() == 1


@pytest.mark.parametrize("field", sorted(INJURY_TEXTS))
def test_each_injury_text_is_refused_past_its_limit(field, users, case, api_as, frozen_today):
    limit, said = INJURY_TEXTS[field]

    response = api_as(users.hv).post(
        f"/api/v1/cases/{case.pk}/entries/", _injury(**{field: "z" * (limit + 1)}), format="json"
    )

    assert response.status_code == 400
    assert response.json()["injury"][field] == [f"{said} must be {limit:,} characters or fewer; this is {limit + 1:,}."]
    assert not ChronologyEntry.objects.exists()


def test_the_service_refuses_an_over_long_text_from_any_caller(users, case, make_entry):
    """The limit is the service's, so the import, the demo loader and the pages cannot pass it."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        make_entry(outcome="o" * 5_001, injury_explanation="e" * 5_001, agency_ref="r" * 101)

    assert caught.value.message_dict == {
        "outcome": ["Outcome must be 5,000 characters or fewer; this is 5,001."],
        "injury_explanation": ["Injury explanation must be 5,000 characters or fewer; this is 5,001."],
        "agency_ref": ["Agency reference must be 100 characters or fewer; this is 101."],
    }
    assert not ChronologyEntry.objects.exists()


def test_amend_and_retract_reasons_have_a_limit(users, case, api_as, make_entry):
    entry = make_entry()
    client = api_as(users.hv)
    base = f"/api/v1/cases/{case.pk}/entries/{entry.pk}"

    amend = client.post(f"{base}/amend/", {"summary": "Visit", "reason": "r" * 2_001, "revision": 1}, format="json")
    retract = client.post(f"{base}/retract/", {"reason": "r" * 2_001, "revision": 1}, format="json")
    detail = client.post(f"{base}/amend/", {"detail": "d" * 20_001, "reason": "Fuller", "revision": 1}, format="json")

    assert amend.status_code == retract.status_code == detail.status_code == 400
    assert amend.json()["reason"] == ["Reason must be 2,000 characters or fewer; this is 2,001."]
    assert retract.json()["reason"] == ["Reason must be 2,000 characters or fewer; this is 2,001."]
    assert detail.json()["detail"] == ["Detail must be 20,000 characters or fewer; this is 20,001."]
    entry.refresh_from_db()
    assert entry.revision == 1 and not entry.retracted
    assert EntryRevision.objects.filter(entry=entry).count() == 1


def test_an_entry_recorded_before_the_limits_can_still_be_amended_and_retracted(users, case, api_as, make_entry):
    """No database constraint was added: older long texts stay readable, and changing another field
    of their entry is not refused for them."""
    entry = make_entry()
    ChronologyEntry.objects.filter(pk=entry.pk).update(detail="x" * 30_000)
    client = api_as(users.hv)
    base = f"/api/v1/cases/{case.pk}/entries/{entry.pk}"

    amended = client.post(
        f"{base}/amend/", {"significance": "high", "action": "Strategy", "reason": "Risk", "revision": 1}, format="json"
    )
    retracted = client.post(f"{base}/retract/", {"reason": "Wrong family", "revision": 2}, format="json")

    assert amended.status_code == 200, amended.json()
    assert retracted.status_code == 200, retracted.json()
    assert len(client.get(f"{base}/").json()["detail"]) == 30_000


def test_the_schema_shows_the_limits(users, api_as):
    schema = api_as(users.admin).get("/api/v1/schema/?format=json").json()
    entry = schema["components"]["schemas"]["EntryWriteRequest"]["properties"]
    injury = schema["components"]["schemas"]["InjuryRequest"]["properties"]
    person = schema["components"]["schemas"]["PersonRequest"]["properties"]

    assert (entry["summary"]["maxLength"], entry["detail"]["maxLength"], entry["action"]["maxLength"]) == (
        300,
        20_000,
        5_000,
    )
    assert injury["explanation"]["maxLength"] == 5_000
    assert person["given_name"]["maxLength"] == 100


# --- The page forms -------------------------------------------------------------------------------


def test_add_entry_page_refuses_an_over_long_detail_with_the_limit(users, case, web_as, frozen_today):
    response = web_as(users.hv).post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on": "2026-05-20",
            "date_precision": "day",
            "kind": "home_visit",
            "summary": "Home visit",
            "detail": "x" * 200_000,
            "significance": "medium",
            "source": "observed",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Detail must be 20,000 characters or fewer; this is 200,000." in html
    assert 'maxlength="20000"' in html
    assert not ChronologyEntry.objects.exists()


def test_retract_page_refuses_an_over_long_reason(users, case, web_as, make_entry):
    entry = make_entry()

    response = web_as(users.hv).post(
        f"/cases/{case.pk}/chronology/{entry.pk}/retract/", {"retract-reason": "r" * 2_001, "retract-revision": "1"}
    )

    assert "Reason must be 2,000 characters or fewer; this is 2,001." in response.content.decode()
    entry.refresh_from_db()
    assert not entry.retracted


def test_person_page_refuses_an_over_long_name_with_the_limit(users, case, web_as):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/people/new/", {"given_name": "A" * 101, "sex": "female", "date_of_birth_precision": "day"}
    )

    assert response.status_code == 200
    assert "Given name must be 100 characters or fewer; this is 101." in response.content.decode()
    assert not Person.objects.filter(case=case).exists()


# --- The import -----------------------------------------------------------------------------------


def test_import_refuses_a_row_with_an_over_long_detail_and_names_the_line(users, case, api_as, frozen_today):
    content = (
        "Date,Kind,Summary,Detail,Agency reference\n"
        "2026-05-01,home_visit,Visit one,Fine,HV-1\n"
        f"2026-05-02,home_visit,Visit two,{'x' * 20_001},HV-2\n"
    ).encode()
    upload = SimpleUploadedFile("entries.csv", content, content_type="text/csv")

    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/entries/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["message"]) for e in errors] == [
        (3, "Detail must be 20,000 characters or fewer; this is 20,001.")
    ]
    assert not ChronologyEntry.objects.exists()


# --- Cases, people and agencies -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit", "said"),
    [
        ("given_name", 100, "Given name"),
        ("family_name", 100, "Family name"),
        ("known_as", 200, "Known as"),
        ("ethnicity", 100, "Ethnicity"),
        ("first_language", 100, "First language"),
        ("nhs_number", 12, "NHS number"),
    ],
)
def test_person_texts_are_refused_past_their_limit(field, limit, said, users, case, api_as):
    body = {"given_name": "Robin", "sex": "female", field: "7" * (limit + 1)}

    response = api_as(users.sw).post(f"/api/v1/cases/{case.pk}/people/", body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [f"{said} must be {limit:,} characters or fewer; this is {limit + 1:,}."]
    assert not Person.objects.filter(case=case).exists()


def test_case_title_and_reference_are_refused_past_their_limit(users, agencies, api_as):
    body = {"reference": "R" * 41, "title": "T" * 201, "lead_agency": agencies.csc.pk, "legal_status": "early_help"}

    response = api_as(users.sw).post("/api/v1/cases/", body, format="json")

    assert response.status_code == 400
    assert response.json()["reference"] == ["Reference must be 40 characters or fewer; this is 41."]
    assert response.json()["title"] == ["Title must be 200 characters or fewer; this is 201."]
    assert not Case.objects.filter(title="T" * 201).exists()


def test_agency_name_is_refused_past_its_limit(users, api_as):
    response = api_as(users.admin).post("/api/v1/agencies/", {"name": "N" * 201, "kind": "school"}, format="json")

    assert response.status_code == 400
    assert response.json()["name"] == ["Name must be 200 characters or fewer; this is 201."]
    assert not Agency.objects.filter(name="N" * 201).exists()
