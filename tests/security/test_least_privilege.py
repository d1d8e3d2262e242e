"""Least privilege by role, through the API and the pages: practitioners change only their own
agency's entries; only social workers (and admins) involve agencies; only chairs, managers,
social workers and admins generate packs; only managers and admins read the audit trail; an
administrator's read of a restricted entry is never silent."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from cases.models import CaseAgency
from chronology.models import ChronologyEntry, EntryRevision
from chronology.services import entry_create
from reporting.models import Pack

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 1)


@pytest.fixture
def hv_entry(users, case, people):
    return entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 1, 5),
        kind="appointment_missed",
        summary="Kit not brought to the 8-week check",
        subjects=[people.baby.pk],
        today=TODAY,
    )


@pytest.fixture
def restricted_entry(users, case, people):
    return entry_create(
        acting_user=users.hv,
        case=case,
        occurred_on=dt.date(2026, 1, 8),
        kind="disclosure",
        summary="Mother disclosed a new partner is staying",
        restricted=True,
        today=TODAY,
    )


def _amend(client, case, entry, **changes):
    return client.post(
        f"/api/v1/cases/{case.pk}/entries/{entry.pk}/amend/",
        {"reason": "Corrected", "revision": entry.revision, **changes},
        format="json",
    )


# Entries: own agency only ---------------------------------------------------------------------


def test_practitioner_adds_and_amends_their_own_agencys_entry(users, case, api_as):
    client = api_as(users.hv)
    created = client.post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"occurred_on": "2026-01-05", "kind": "home_visit", "summary": "Visit, baby seen"},
        format="json",
    )
    entry = ChronologyEntry.objects.get(pk=created.json()["id"])

    amended = _amend(client, case, entry, summary="Visit, baby and mother seen")

    assert created.status_code == 201
    assert amended.status_code == 200
    assert amended.json()["revision"] == 2


def test_practitioner_cannot_amend_another_agencys_entry_through_the_api(users, case, hv_entry, api_as):
    response = _amend(api_as(users.teacher), case, hv_entry, summary="Changed by the school")

    assert response.status_code == 403
    hv_entry.refresh_from_db()
    assert hv_entry.summary == "Kit not brought to the 8-week check"
    assert EntryRevision.objects.filter(entry=hv_entry).count() == 1


def test_practitioner_cannot_retract_another_agencys_entry_through_the_api(users, case, hv_entry, api_as):
    response = api_as(users.teacher).post(
        f"/api/v1/cases/{case.pk}/entries/{hv_entry.pk}/retract/", {"reason": "Wrong", "revision": 1}, format="json"
    )

    assert response.status_code == 403
    hv_entry.refresh_from_db()
    assert not hv_entry.retracted


def test_practitioner_cannot_amend_another_agencys_entry_through_the_page(users, case, hv_entry, web_as):
    response = web_as(users.teacher).post(
        f"/cases/{case.pk}/chronology/{hv_entry.pk}/amend/",
        {"amend-summary": "Changed by the school", "amend-reason": "x", "amend-revision": 1},
    )

    assert response.status_code == 403
    hv_entry.refresh_from_db()
    assert hv_entry.revision == 1


def test_practitioner_cannot_record_an_entry_for_another_agency(users, case, agencies, api_as):
    response = api_as(users.teacher).post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"occurred_on": "2026-01-05", "kind": "home_visit", "summary": "Visit", "agency": agencies.hv.pk},
        format="json",
    )

    assert response.status_code in (400, 403)
    assert not ChronologyEntry.objects.filter(case=case).exists()


def test_outsider_gets_404_for_an_entry_and_its_amend(users, case, hv_entry, api_as):
    client = api_as(users.outsider)

    assert client.get(f"/api/v1/cases/{case.pk}/entries/{hv_entry.pk}/").status_code == 404
    assert _amend(client, case, hv_entry, summary="x").status_code == 404


# Involving agencies: social workers and admins -------------------------------------------------


@pytest.mark.parametrize(("persona", "allowed"), [("hv", False), ("manager", False), ("chair", False), ("sw", True)])
def test_only_social_workers_involve_agencies_through_the_api(persona, allowed, users, case, agencies, api_as):
    response = api_as(getattr(users, persona)).post(
        f"/api/v1/cases/{case.pk}/agencies/", {"agency": agencies.housing.pk}, format="json"
    )

    assert response.status_code == (201 if allowed else 403)
    assert CaseAgency.objects.filter(case=case, agency=agencies.housing).exists() is allowed


def test_admin_involves_an_agency(users, case, agencies, api_as):
    response = api_as(users.admin).post(
        f"/api/v1/cases/{case.pk}/agencies/", {"agency": agencies.housing.pk}, format="json"
    )

    assert response.status_code == 201


def test_practitioner_cannot_involve_an_agency_through_the_page(users, case, agencies, web_as):
    response = web_as(users.hv).post(f"/cases/{case.pk}/", {"agency": agencies.housing.pk})

    assert response.status_code == 403
    assert not CaseAgency.objects.filter(case=case, agency=agencies.housing).exists()


# Packs: chairs, managers, social workers, admins -------------------------------------------------

PACK = {"kind": "strategy", "date_from": "2025-01-01", "date_to": "2026-02-01"}


def test_practitioner_cannot_generate_a_pack_through_the_api(users, case, api_as):
    response = api_as(users.hv).post(f"/api/v1/cases/{case.pk}/packs/", PACK, format="json")

    assert response.status_code == 403
    assert not Pack.objects.exists()


@pytest.mark.parametrize("persona", ["chair", "manager", "sw", "admin"])
def test_chairs_managers_social_workers_and_admins_generate_packs(persona, users, case, api_as):
    response = api_as(getattr(users, persona)).post(f"/api/v1/cases/{case.pk}/packs/", PACK, format="json")

    assert response.status_code == 202
    assert Pack.objects.filter(case=case).count() == 1


def test_practitioner_cannot_generate_a_pack_through_the_page(users, case, web_as):
    response = web_as(users.hv).post(f"/cases/{case.pk}/packs/", PACK)

    assert response.status_code == 403
    assert not Pack.objects.exists()


# Audit trail: managers and admins ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("hv", 403), ("sw", 403), ("chair", 403), ("manager", 200), ("admin", 200)]
)
def test_only_managers_and_admins_read_the_audit_trail_through_the_api(persona, status, users, case, api_as):
    response = api_as(getattr(users, persona)).get(f"/api/v1/cases/{case.pk}/audit/")

    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [("hv", 403), ("sw", 403), ("manager", 200), ("admin", 200)])
def test_only_managers_and_admins_read_the_audit_trail_page(persona, status, users, case, web_as):
    response = web_as(getattr(users, persona)).get(f"/cases/{case.pk}/audit/")

    assert response.status_code == status


def test_outsider_manager_gets_404_for_the_audit_trail(users, case, agencies, api_as):
    from accounts.models import Role
    from tests.factories import UserFactory

    outsider_manager = UserFactory(username="housing_manager", agency=agencies.housing, role=Role.MANAGER)

    assert api_as(outsider_manager).get(f"/api/v1/cases/{case.pk}/audit/").status_code == 404


# Restricted entries: an administrator's read is audited -------------------------------------------


def test_admin_reading_a_restricted_entry_is_audited(users, case, restricted_entry, api_as):
    response = api_as(users.admin).get(f"/api/v1/cases/{case.pk}/entries/{restricted_entry.pk}/")

    assert response.status_code == 200
    assert response.json()["summary"] == "Mother disclosed a new partner is staying"
    event = AuditEvent.objects.get(action="entry.restricted_read")
    assert event.actor == users.admin
    assert event.case == case
    assert event.detail["entry"] == restricted_entry.pk
    assert event.detail["agency_name"] == "Northshire Health Visiting"


def test_admin_listing_entries_audits_each_restricted_entry_read(users, case, restricted_entry, hv_entry, api_as):
    api_as(users.admin).get(f"/api/v1/cases/{case.pk}/entries/")

    events = AuditEvent.objects.filter(action="entry.restricted_read")
    assert [e.detail["entry"] for e in events] == [restricted_entry.pk]


def test_admin_page_read_of_a_restricted_entry_is_audited(users, case, restricted_entry, web_as):
    response = web_as(users.admin).get(f"/cases/{case.pk}/chronology/{restricted_entry.pk}/")

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="entry.restricted_read", actor=users.admin).exists()


def test_recording_agencys_manager_sees_the_admins_restricted_read(users, case, agencies, restricted_entry, api_as):
    from accounts.models import Role
    from tests.factories import UserFactory

    hv_manager = UserFactory(username="hv_manager", agency=agencies.hv, role=Role.MANAGER)
    api_as(users.admin).get(f"/api/v1/cases/{case.pk}/entries/{restricted_entry.pk}/")

    trail = api_as(hv_manager).get(f"/api/v1/cases/{case.pk}/audit/?page_size=500").json()["results"]

    reads = [e for e in trail if e["action"] == "entry.restricted_read"]
    assert len(reads) == 1
    assert reads[0]["actor_username"] == "the_admin"


def test_recording_agency_reading_its_own_restricted_entry_is_not_flagged(users, case, restricted_entry, api_as):
    api_as(users.hv).get(f"/api/v1/cases/{case.pk}/entries/{restricted_entry.pk}/")

    assert not AuditEvent.objects.filter(action="entry.restricted_read").exists()


def test_other_agency_sees_only_a_placeholder_for_a_restricted_entry(users, case, restricted_entry, api_as):
    response = api_as(users.teacher).get(f"/api/v1/cases/{case.pk}/entries/{restricted_entry.pk}/")

    assert response.status_code == 200
    assert "new partner" not in response.content.decode()
