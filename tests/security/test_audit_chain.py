"""The audit trail is tamper-evident: once sealed, every row is hash-chained to the one before, the
database refuses UPDATE and DELETE of audit rows (PostgreSQL), and `manage.py verify_audit` names
the first row that was changed or removed behind the application's back. (Rows are appended
pending and chained by the sealer: tests/security/test_audit_sealer.py.)"""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS, link_hash
from audit.models import AuditEvent
from audit.sealer import audit_seal
from audit.selectors import audit_chain_report
from audit.services import _row_values, audit_record

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def _write_events(users, case, n=4):
    """n audit rows, sealed (chained), as read back from the database."""
    pks = [
        audit_record(actor=users.sw, action="entry.created", case=case, detail={"n": i, "note": "café ✓"}).pk
        for i in range(n)
    ]
    audit_seal()
    return list(AuditEvent.objects.filter(pk__in=pks).order_by("id"))


def _verify():
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_each_row_links_to_the_hash_of_the_row_before(users, case):
    events = _write_events(users, case)

    assert events[0].prev_hash == (
        AuditEvent.objects.filter(id__lt=events[0].id).order_by("-id").values_list("hash", flat=True).first() or GENESIS
    )
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in events}) == len(events)


def test_stored_row_hashes_to_its_recorded_hash_after_reading_back(users, case):
    event = _write_events(users, case, n=1)[0]

    stored = AuditEvent.objects.get(pk=event.pk)

    assert link_hash(stored.prev_hash, _row_values(stored)) == stored.hash


def test_ipv6_origin_and_unicode_detail_verify_after_reading_back(users, case, rf):
    request = rf.get("/cases/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001", HTTP_USER_AGENT="Bröwser/1")
    event = audit_record(actor=users.sw, action="case.read", case=case, request=request, detail={"name": "Zoë Ødegård"})
    audit_seal()

    report = audit_chain_report()
    assert report.ok
    assert report.checked == AuditEvent.objects.count()
    assert AuditEvent.objects.get(pk=event.pk).hash == report.head


def test_verify_audit_reports_an_intact_chain(users, case):
    _write_events(users, case)

    output = _verify()

    assert "Audit chain intact" in output
    assert f"{AuditEvent.objects.count()} rows verified" in output


def test_application_refuses_to_update_or_delete_audit_rows(users, case):
    event = _write_events(users, case, n=1)[0]

    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(Exception, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()


@postgres_only
def test_database_refuses_raw_update_of_an_audit_row(users, case):
    event = _write_events(users, case, n=1)[0]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'nothing.happened' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "entry.created"


@postgres_only
def test_database_refuses_raw_delete_of_an_audit_row(users, case):
    event = _write_events(users, case, n=1)[0]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _as_dba(sql: str, params: list) -> None:
    """Change audit rows the way someone with the database owner's rights could: with the
    append-only trigger switched off (inside this test's transaction, so it comes back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred foreign-key checks are pending: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_verify_audit_names_a_row_whose_contents_were_changed(users, case):
    events = _write_events(users, case)
    _as_dba("UPDATE audit_auditevent SET actor_username = 'someone_else' WHERE id = %s", [events[2].pk])

    with pytest.raises(CommandError, match=rf"broken at row id={events[2].pk}: its contents do not match"):
        _verify()


def test_verify_audit_names_a_row_whose_detail_was_changed(users, case):
    events = _write_events(users, case)
    _as_dba("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"n": 99, "note": "café ✓"}', events[1].pk])

    with pytest.raises(CommandError, match=rf"broken at row id={events[1].pk}"):
        _verify()


def test_verify_audit_names_the_row_after_a_deleted_one(users, case):
    events = _write_events(users, case)
    _as_dba("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])

    with pytest.raises(CommandError, match=rf"broken at row id={events[2].pk}: its previous-hash does not match"):
        _verify()


def test_verify_audit_catches_a_rehashed_row_by_the_next_link(users, case):
    """Someone who changes a row and recomputes its hash still breaks the next row's link."""
    events = _write_events(users, case)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.action = "entry.viewed"
    new_hash = link_hash(forged.prev_hash, _row_values(forged))
    _as_dba("UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s", [forged.action, new_hash, forged.pk])

    with pytest.raises(CommandError, match=rf"broken at row id={events[2].pk}: its previous-hash"):
        _verify()


def test_verify_audit_catches_a_backdated_time(users, case):
    events = _write_events(users, case)
    _as_dba("UPDATE audit_auditevent SET at = %s WHERE id = %s", [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), events[0].pk])

    with pytest.raises(CommandError, match=rf"broken at row id={events[0].pk}"):
        _verify()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_in_id_order(users, case):
    """Eight threads append at once, taking no lock; the sealer chains them in one unbroken chain."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def write(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            for j in range(5):
                with transaction.atomic():
                    audit_record(actor=users.hv, action="entry.read", case=case, detail={"thread": i, "j": j})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert AuditEvent.objects.filter(action="entry.read").count() == 40
    audit_seal()
    report = audit_chain_report()
    assert report.ok, report
    assert report.checked == AuditEvent.objects.count()
