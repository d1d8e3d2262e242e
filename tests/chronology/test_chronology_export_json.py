"""The JSON export of the merged chronology: the API's Entry JSON for every entry, masked and audited."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_json_export_gives_every_entry_as_the_api_does(web_as, api_as, case, people, users, make_entry, frozen_today):
    make_entry(summary="Visit", occurred_on=dt.date(2026, 1, 10), subjects=[people.child], seen_alone=[people.child])
    make_entry(summary="Missed", kind="appointment_missed", occurred_on=dt.date(2026, 2, 3), subjects=[people.baby])
    exported = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.json")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/json"
    body = exported.json()
    listed = api_as(users.sw).get(f"/api/v1/cases/{case.pk}/entries/").json()["results"]
    assert body["count"] == 2
    assert body["entries"] == listed
    assert body["entries"][0]["seen"] == [people.child.pk]


def test_json_export_follows_filters_and_masks_restricted(web_as, case, people, users, make_entry, frozen_today):
    make_entry(summary="Visit in January", occurred_on=dt.date(2026, 1, 10))
    make_entry(summary="Secret in March", occurred_on=dt.date(2026, 3, 10), restricted=True, subjects=[people.child])
    body = web_as(users.teacher).get(f"/cases/{case.pk}/chronology/export.json?date_from=2026-02-01").json()
    [entry] = body["entries"]
    assert entry["masked"] is True
    assert entry["summary"] == "A restricted entry exists for this date. It is held by Northshire Health Visiting."
    assert entry["subjects"] == [] and entry["kind"] is None


def test_json_export_is_audited_with_its_row_count(web_as, case, users, make_entry, frozen_today):
    make_entry()
    web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.json")
    event = AuditEvent.objects.get(action="chronology.exported", case=case)
    assert event.detail["format"] == "json" and event.detail["rows"] == 1


def test_outsider_gets_404_for_the_json_export(web_as, case, users, make_entry, frozen_today):
    make_entry()
    assert web_as(users.outsider).get(f"/cases/{case.pk}/chronology/export.json").status_code == 404
    assert not AuditEvent.objects.filter(action="chronology.exported").exists()


def test_json_export_matches_the_api_with_masked_entries_times_and_injuries(
    web_as, api_as, case, people, users, make_entry, frozen_today
):
    make_entry(
        summary="Bruise seen",
        kind="injury",
        occurred_on=dt.date(2026, 1, 10),
        occurred_time=dt.time(14, 5),
        subjects=[people.baby],
        present=[people.mother, people.child],
        seen=[people.baby],
        injury_body_site="left cheek",
        injury_type="bruise",
        injury_explanation="Fell against the cot",
        injury_explanation_consistent=False,
    )
    make_entry(summary="Secret in March", occurred_on=dt.date(2026, 3, 10), restricted=True, subjects=[people.child])
    make_entry(summary="Month only", occurred_on=dt.date(2026, 4, 1), date_precision="month")
    exported = web_as(users.teacher).get(f"/cases/{case.pk}/chronology/export.json").json()
    listed = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/").json()["results"]
    assert exported["entries"] == listed
    assert [e["masked"] for e in exported["entries"]] == [False, True, False]
    assert exported["entries"][0]["present"] == sorted([people.mother.pk, people.child.pk])
    assert exported["entries"][0]["occurred_time"] == "14:05"


def test_json_export_filtered_by_person_carries_only_their_entries_with_all_links(
    web_as, api_as, case, people, users, make_entry, frozen_today
):
    make_entry(summary="About the baby", occurred_on=dt.date(2026, 1, 10), subjects=[people.baby], seen=[people.mother])
    make_entry(summary="About the child", occurred_on=dt.date(2026, 1, 11), subjects=[people.child])
    query = f"?person={people.baby.pk}"
    exported = web_as(users.sw).get(f"/cases/{case.pk}/chronology/export.json{query}").json()
    listed = api_as(users.sw).get(f"/api/v1/cases/{case.pk}/entries/{query}").json()["results"]
    assert [e["summary"] for e in exported["entries"]] == ["About the baby"]
    assert exported["entries"] == listed
    assert exported["entries"][0]["seen"] == [people.mother.pk]


def test_admin_json_export_audits_each_restricted_entry_read(web_as, case, people, users, make_entry, frozen_today):
    secret = make_entry(summary="Secret", occurred_on=dt.date(2026, 3, 10), restricted=True)
    make_entry(summary="Open", occurred_on=dt.date(2026, 3, 11))
    body = web_as(users.admin).get(f"/cases/{case.pk}/chronology/export.json").json()
    assert [e["summary"] for e in body["entries"]] == ["Secret", "Open"]
    reads = AuditEvent.objects.filter(action="entry.restricted_read", actor=users.admin)
    assert [e.detail["entry"] for e in reads] == [secret.pk]
    assert reads[0].detail["agency_name"] == "Northshire Health Visiting"
