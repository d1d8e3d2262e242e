"""Adult checks and safer sleep as structured entry fields: validated by the service, in and out of the
API, in the page form, the exports, the import, the revision history and the flag snapshot."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from chronology.models import ChronologyEntry
from chronology.revision_diff import revision_changes
from chronology.services import entry_amend
from reporting.flags.loader import load_snapshot

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 5, 1)


def url(case, suffix=""):
    return f"/api/v1/cases/{case.pk}/entries/{suffix}"


def check_body(people, **over):
    data = {
        "occurred_on": "2026-05-01",
        "kind": "adult_check",
        "summary": "Police checks on Alex",
        "subjects": [people.mother.pk],
        "adult_check": {"check": "police", "result": "no_concerns"},
    }
    data.update(over)
    return data


def test_api_records_an_adult_check_and_answers_it_nested(api_as, case, people, users, frozen_today):
    response = api_as(users.sw).post(url(case), check_body(people), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["adult_check"] == {"check": "police", "result": "no_concerns"}
    assert response.json()["safer_sleep"] is None
    entry = ChronologyEntry.objects.get(pk=response.json()["id"])
    assert (entry.adult_check_type, entry.adult_check_result) == ("police", "no_concerns")
    assert (entry.revisions.get().adult_check_type, entry.revisions.get().adult_check_result) == (
        "police",
        "no_concerns",
    )


def test_api_refuses_an_adult_check_without_which_check_or_result(api_as, case, people, users, frozen_today):
    response = api_as(users.sw).post(url(case), check_body(people, adult_check=None), format="json")
    assert response.status_code == 400
    errors = response.json()["adult_check"]
    assert any("which check was made" in message for message in errors)
    assert any("its result" in message for message in errors)
    assert not ChronologyEntry.objects.filter(case=case).exists()


def test_api_refuses_an_unknown_check_code(api_as, case, people, users, frozen_today):
    body = check_body(people, adult_check={"check": "astrology", "result": "concerns"})
    response = api_as(users.sw).post(url(case), body, format="json")
    assert response.status_code == 400
    assert "check" in response.json()["adult_check"]


def test_a_check_on_an_entry_of_another_kind_is_refused(make_entry, people, users, frozen_today):
    with pytest.raises(ValidationError) as caught:
        make_entry(user=users.sw, kind="home_visit", subjects=[people.mother], adult_check_type="police")
    assert "Only an adult check entry" in caught.value.message_dict["adult_check_type"][0]


def test_api_records_safer_sleep_fields_on_any_entry(api_as, case, people, users, frozen_today):
    body = {
        "occurred_on": "2026-05-01",
        "kind": "safer_sleep",
        "summary": "Safer sleep discussed",
        "subjects": [people.baby.pk],
        "safer_sleep": {"advice_given": True, "co_sleeping": False, "sleep_space": "seen_safe"},
    }
    response = api_as(users.hv).post(url(case), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["safer_sleep"] == {"advice_given": True, "co_sleeping": False, "sleep_space": "seen_safe"}
    assert response.json()["adult_check"] is None


def test_amending_the_check_result_keeps_the_earlier_revision_and_names_the_change(
    make_entry, people, users, frozen_today
):
    entry = make_entry(
        user=users.sw,
        kind="adult_check",
        summary="Police checks on Alex requested",
        subjects=[people.mother],
        adult_check_type="police",
        adult_check_result="pending",
    )
    entry_amend(
        acting_user=users.sw,
        entry=entry,
        reason="Police replied",
        expected_revision=1,
        adult_check_result="concerns",
        today=frozen_today,
    )
    revisions = list(entry.revisions.order_by("number"))
    assert [r.adult_check_result for r in revisions] == ["pending", "concerns"]
    changes = revision_changes(revisions, {})
    assert [(c.label, c.old, c.new) for c in changes[1].changes] == [
        ("Adult check: result", "Pending or not known", "Concerns found")
    ]


def test_the_entry_page_form_records_an_adult_check(web_as, case, people, users, frozen_today):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on-day": "1",
            "occurred_on-month": "5",
            "occurred_on-year": "2026",
            "date_precision": "day",
            "kind": "adult_check",
            "summary": "Children's services history checked for Alex",
            "significance": "medium",
            "source": "record",
            "subjects": [people.mother.pk],
            "adult_check_type": "childrens_services",
            "adult_check_result": "no_concerns",
            "safer_sleep_advice_given": "",
            "safer_sleep_co_sleeping": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = ChronologyEntry.objects.get(case=case)
    assert (entry.adult_check_type, entry.adult_check_result) == ("childrens_services", "no_concerns")
    page = web_as(users.sw).get(f"/cases/{case.pk}/chronology/{entry.pk}/").content.decode()
    assert "Children&#x27;s services history by Northshire Children&#x27;s Social Care: no concerns" in page


def test_the_entry_page_form_shows_the_missing_result_as_an_error(web_as, case, people, users, frozen_today):
    response = web_as(users.sw).post(
        f"/cases/{case.pk}/chronology/new/",
        {
            "occurred_on-day": "1",
            "occurred_on-month": "5",
            "occurred_on-year": "2026",
            "date_precision": "day",
            "kind": "adult_check",
            "summary": "Police checks on Alex",
            "significance": "medium",
            "source": "record",
            "subjects": [people.mother.pk],
            "adult_check_type": "police",
        },
    )
    assert response.status_code == 200
    assert "An adult check needs its result" in response.content.decode()
    assert not ChronologyEntry.objects.filter(case=case).exists()


def test_csv_export_has_the_check_and_safer_sleep_columns(web_as, make_entry, case, people, users, frozen_today):
    make_entry(
        user=users.hv,
        kind="safer_sleep",
        summary="Safer sleep",
        subjects=[people.baby],
        safer_sleep_co_sleeping=True,
        safer_sleep_space="seen_unsafe",
    )
    response = web_as(users.hv).get(f"/cases/{case.pk}/chronology/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Co-sleeping"] == "yes"
    assert rows[0]["Sleep space"] == "Seen and not safe"
    assert rows[0]["Safer sleep advice given"] == ""


def test_json_export_matches_the_api_for_the_structured_fields(
    web_as, api_as, make_entry, case, people, users, frozen_today
):
    entry = make_entry(
        user=users.sw,
        kind="adult_check",
        summary="Probation checks",
        subjects=[people.mother],
        adult_check_type="probation",
        adult_check_result="concerns",
    )
    exported = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.json")
    assert exported.status_code == 200
    from_export = exported.json()["entries"][0]
    from_api = api_as(users.sw).get(url(case, f"{entry.pk}/")).json()
    for key in ("adult_check", "safer_sleep"):
        assert from_export[key] == from_api[key]
    assert from_export["adult_check"] == {"check": "probation", "result": "concerns"}


def test_import_reads_the_check_columns(api_as, case, people, users, frozen_today):
    content = (
        b"Date,Kind,Summary,People,Check made,Check result,Agency reference\n"
        b"2026-04-02,adult_check,Police checks on Alex,Alex Testfamily,Police checks,No concerns,CSC-1\n"
    )
    people.mother.family_name = "Testfamily"
    people.mother.save()
    response = api_as(users.sw).post(
        url(case, "import/"),
        {"file": SimpleUploadedFile("checks.csv", content, content_type="text/csv")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    entry = ChronologyEntry.objects.get(case=case, agency_ref="CSC-1")
    assert (entry.adult_check_type, entry.adult_check_result) == ("police", "no_concerns")


def test_the_flag_snapshot_loads_the_structured_fields(make_entry, case, people, users, frozen_today):
    make_entry(
        user=users.sw,
        kind="adult_check",
        summary="Health checks",
        subjects=[people.mother],
        adult_check_type="health",
        adult_check_result="pending",
    )
    make_entry(
        user=users.hv,
        kind="safer_sleep",
        summary="Sleep",
        subjects=[people.baby],
        safer_sleep_advice_given=True,
        safer_sleep_co_sleeping=False,
        safer_sleep_space="not_seen",
    )
    snapshot = load_snapshot(case, frozen_today)
    check, sleep = snapshot.entries
    assert (check.adult_check_type, check.adult_check_result) == ("health", "pending")
    assert (sleep.safer_sleep_advice_given, sleep.safer_sleep_co_sleeping, sleep.safer_sleep_space) == (
        True,
        False,
        "not_seen",
    )
