"""The benchmark case generator: its bulk path writes what entry_create writes, and its case has
the shape the benchmarks promise (12 agencies, 60 people in 4 households, 20-90 word entries)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from audit.chain import verify_rows
from audit.models import AuditEvent
from bench.generate import AGENCIES, BenchCase, _create_via_service, bulk_create_entries, entry_specs, generate_case
from chronology.models import CONTENT_FIELDS, PEOPLE_FIELDS, ChronologyEntry, EntryRevision
from meetings.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db

AUDIT_FIELDS = ("actor_id", "actor_username", "actor_agency", "action", "case_id", "object_type", "detail")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _spec(people, ref: str) -> dict:
    return {
        "agency_key": "csc",
        "agency_ref": ref,
        "occurred_on": dt.date(2026, 3, 2),
        "occurred_time": None,
        "date_precision": "day",
        "kind": "child_seen",
        "summary": "Child seen alone at home.",
        "detail": "Seen alone in her bedroom for ten minutes; she said she likes her new school.",
        "significance": "high",
        "source": "child_voice",
        "subjects": [people.child],
        "present": [people.child, people.mother],
        "seen": [people.child],
        "seen_alone": [people.child],
        "action": "Shared with the lead professional.",
        "recorded_at": dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC),
    }


def _audit_row(entry):
    event = AuditEvent.objects.get(object_type="chronology.chronologyentry", object_id=str(entry.pk))
    return {name: getattr(event, name) for name in AUDIT_FIELDS}


def test_bulk_path_writes_what_entry_create_writes(case, people, users, agencies):
    bench = BenchCase(
        case=case, lead=users.sw, admin=users.admin, users={"csc": users.sw}, agencies={"csc": agencies.csc}
    )
    by_service = _create_via_service(bench, _spec(people, "A-1"), dt.date(2026, 6, 30))
    [bulk_id] = bulk_create_entries(bench, [_spec(people, "A-2")])
    by_bulk = ChronologyEntry.objects.get(pk=bulk_id)

    for name in (*CONTENT_FIELDS, "case_id", "agency_id", "recorded_by_id", "recorded_at", "revision", "amended"):
        assert getattr(by_bulk, name) == getattr(by_service, name), name
    # Untimed entries on the same day are numbered in the order recorded, as the service numbers them.
    assert (by_service.sequence, by_bulk.sequence) == (24 * 60, 24 * 60 + 1)
    for name in PEOPLE_FIELDS:
        assert sorted(getattr(by_bulk, name).values_list("pk", flat=True)) == sorted(
            getattr(by_service, name).values_list("pk", flat=True)
        ), name
    rev_service, rev_bulk = EntryRevision.objects.get(entry=by_service), EntryRevision.objects.get(entry=by_bulk)
    for name in (*CONTENT_FIELDS, *PEOPLE_FIELDS, "number", "reason", "retracted", "revised_by_id"):
        assert getattr(rev_bulk, name) == getattr(rev_service, name), name
    service_audit, bulk_audit = _audit_row(by_service), _audit_row(by_bulk)
    assert bulk_audit == service_audit
    assert verify_rows(AuditEvent.objects.order_by("id").values()).ok


def test_bulk_path_records_anyone_seen_alone_as_seen(case, people, users, agencies):
    bench = BenchCase(
        case=case, lead=users.sw, admin=users.admin, users={"csc": users.sw}, agencies={"csc": agencies.csc}
    )
    spec = {**_spec(people, "B-1"), "seen": [], "seen_alone": [people.child]}
    [pk] = bulk_create_entries(bench, [spec])
    entry = ChronologyEntry.objects.get(pk=pk)
    assert list(entry.seen.values_list("pk", flat=True)) == [people.child.pk]
    assert EntryRevision.objects.get(entry=entry).seen == [people.child.pk]


def test_generated_case_has_twelve_agencies_sixty_people_four_households_and_a_mix_of_entries(db):
    bench = generate_case(entries=400, seed=11, reference="BENCH-TEST")
    case = bench.case
    assert case.agencies.count() == len(AGENCIES) == 12
    assert case.people.count() == 60
    assert case.households.count() == 4
    # The generated entries, and one more for each meeting held (added by meeting_schedule).
    held = Meeting.objects.filter(case=case, status=MeetingStatus.HELD).count()
    assert held > 0
    entries = ChronologyEntry.objects.filter(case=case)
    assert entries.count() == 400 + held
    assert entries.values("kind").distinct().count() >= 20
    assert entries.values("agency").distinct().count() == 12
    first, last = entries.order_by("occurred_on").first(), entries.order_by("occurred_on").last()
    assert (last.occurred_on - first.occurred_on).days > 14 * 365
    generated = entries.exclude(pk__in=Meeting.objects.filter(case=case, entry__isnull=False).values("entry"))
    lengths = [len(d.split()) for d in generated.values_list("detail", flat=True)]
    assert min(lengths) >= 20 and max(lengths) <= 90
    assert entries.filter(amended=True, revision=2).count() == 8
    assert entries.filter(retracted=True).count() == 2
    assert AuditEvent.objects.filter(case=case, action="entry.created").count() == 400 + held
    assert verify_rows(AuditEvent.objects.order_by("id").values()).ok


def test_entry_specs_never_date_an_entry_before_its_subjects_were_born(case, people, users, agencies):
    bench = BenchCase(
        case=case, lead=users.sw, admin=users.admin, users={}, agencies={}, children=[people.child, people.baby]
    )
    specs = entry_specs(bench, random.Random(3), 300, dt.date(2020, 1, 1), dt.date(2026, 6, 30))
    from chronology.models import PRE_BIRTH_KINDS

    for spec in specs:
        if spec["kind"] not in PRE_BIRTH_KINDS:
            assert all(p.date_of_birth <= spec["occurred_on"] for p in spec["subjects"]), spec
