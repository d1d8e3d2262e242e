"""Audit off the request path: a request appends its audit row pending (no lock, in its own
transaction), one sealer chains pending rows in order in batches and writes a signed checkpoint of
the chain's head; `verify_audit` verifies every sealed row, reports the rows waiting, and checks
the chain against the checkpoints, so removing the newest rows is reported.

The multi-process tests run real processes (`python -c` scripts and `manage.py seal_audit`)
against this test's PostgreSQL database (transaction=True, so they see committed rows)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS, link_hash
from audit.checkpoints import checkpoint_is_signed, checkpoint_signature
from audit.models import AuditCheckpoint, AuditEvent
from audit.sealer import AuditSealRefused, audit_pending_count, audit_seal
from audit.selectors import audit_chain_report
from audit.services import _row_values, audit_record
from chronology.models import ChronologyEntry

ROOT = Path(__file__).resolve().parents[2]

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers and the multi-process tests need PostgreSQL"
)


def _append(users, case, n, action="case.read"):
    return [audit_record(actor=users.sw, action=action, case=case, detail={"n": i}).pk for i in range(n)]


def _verify(*args):
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def _as_dba(sql, params):
    """Change the audit tables as the database owner could: with their triggers switched off
    (inside the test's transaction, so they come back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute("ALTER TABLE audit_auditcheckpoint DISABLE TRIGGER audit_checkpoint_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
            cursor.execute("ALTER TABLE audit_auditcheckpoint ENABLE TRIGGER audit_checkpoint_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- pending, sealed, checkpoints ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_audit_row_is_pending_until_the_sealer_chains_it(users, case):
    [pk] = _append(users, case, 1)

    pending = AuditEvent.objects.get(pk=pk)
    assert (pending.seq, pending.prev_hash, pending.hash) == (None, "", "")
    assert audit_chain_report().pending == audit_pending_count() >= 1

    audit_seal()

    sealed = AuditEvent.objects.get(pk=pk)
    assert sealed.seq == AuditEvent.objects.count()
    assert len(sealed.hash) == 64
    previous = AuditEvent.objects.filter(seq=sealed.seq - 1).first()
    assert sealed.prev_hash == (previous.hash if previous is not None else GENESIS)
    report = audit_chain_report()
    assert report.ok, report
    assert (report.pending, report.checked, report.head) == (0, AuditEvent.objects.count(), sealed.hash)


@pytest.mark.django_db
def test_the_sealer_seals_in_batches_each_with_a_signed_checkpoint_that_is_logged(users, case, caplog):
    _append(users, case, 7)
    total = AuditEvent.objects.count()
    before = AuditCheckpoint.objects.count()

    with caplog.at_level(logging.INFO, logger="audit.checkpoint"):
        sealed = audit_seal(batch_size=3)

    assert sealed == total
    checkpoints = list(AuditCheckpoint.objects.order_by("id"))[before:]
    assert [c.count for c in checkpoints] == [min(n, total) for n in range(3, total + 3, 3)]
    head = AuditEvent.objects.get(seq=total)
    assert (checkpoints[-1].count, checkpoints[-1].head_hash) == (total, head.hash)
    assert all(checkpoint_is_signed(c) for c in checkpoints)
    logged = [r.getMessage() for r in caplog.records if r.name == "audit.checkpoint"]
    assert len(logged) == len(checkpoints)
    assert f"count={total} head={head.hash} signature={checkpoints[-1].signature}" in logged[-1]


@pytest.mark.django_db
def test_a_checkpoint_signed_with_another_key_does_not_verify(users, case, settings):
    _append(users, case, 2)
    audit_seal()
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()

    settings.AUDIT_CHECKPOINT_KEY = "some-other-key-entirely"

    assert not checkpoint_is_signed(checkpoint)
    assert "is not signed with AUDIT_CHECKPOINT_KEY" in audit_chain_report().problem


@pytest.mark.django_db
def test_verify_audit_reports_the_rows_waiting_to_be_sealed(users, case):
    audit_seal()
    _append(users, case, 3)

    output = _verify()

    assert "Audit chain intact" in output
    assert "3 rows waiting to be sealed" in output

    sealed_output = _verify("--seal")

    assert "Sealed 3 pending rows" in sealed_output
    assert f"{AuditEvent.objects.count()} rows verified" in sealed_output
    assert "0 rows waiting to be sealed" in sealed_output


@pytest.mark.django_db
def test_removing_the_newest_rows_is_reported_as_rows_missing_after_the_checkpoint(users, case):
    pks = _append(users, case, 5)
    audit_seal()
    total = AuditEvent.objects.count()
    _as_dba("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [pks[-2], pks[-1]])

    report = audit_chain_report()
    assert report.missing == 2
    with pytest.raises(
        CommandError, match=rf"2 rows missing after row {total - 2}: checkpoint id=\d+ .* vouches for {total} rows"
    ):
        _verify()


@pytest.mark.django_db
def test_rows_removed_then_covered_by_new_rows_still_break_an_older_checkpoint(users, case):
    """Remove the newest rows and append as many new ones: the chain is as long as before, but it
    no longer passes through the hash the checkpoint signed; and the sealer refuses to chain the
    new rows onto a head the latest checkpoint does not name."""
    pks = _append(users, case, 4)
    audit_seal()
    total = AuditEvent.objects.count()
    _as_dba("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [pks[-2], pks[-1]])
    _append(users, case, 2, action="case.listed")

    with pytest.raises(AuditSealRefused, match="not the latest checkpoint's"):
        audit_seal()
    assert audit_pending_count() == 2

    # Even a tamperer who seals by hand past the refusal is caught by the older checkpoint.
    head = AuditEvent.objects.get(seq=total - 2)
    prev, seq = head.hash, total - 2
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id"):
        seq += 1
        digest = link_hash(prev, _row_values(event))
        _as_dba(
            "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [seq, prev, digest, event.pk],
        )
        prev = digest
    assert AuditEvent.objects.filter(seq__isnull=False).count() == total

    with pytest.raises(CommandError, match=rf"does not pass through checkpoint id=\d+ .*row {total} has another hash"):
        _verify()


@pytest.mark.django_db
def test_a_forged_checkpoint_is_reported(users, case):
    _append(users, case, 2)
    audit_seal()
    head = AuditEvent.objects.order_by("-seq").first()
    forged = AuditCheckpoint(count=head.seq + 10, head_hash="f" * 64, signature="0" * 64)
    forged.save()

    with pytest.raises(CommandError, match=rf"checkpoint id={forged.pk} .* is not signed with AUDIT_CHECKPOINT_KEY"):
        _verify()


@pytest.mark.django_db
def test_signature_covers_count_hash_and_time(users, case):
    _append(users, case, 1)
    audit_seal()
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()
    base = {"count": checkpoint.count, "head_hash": checkpoint.head_hash, "at": checkpoint.at}

    assert checkpoint_signature(**base) == checkpoint.signature
    assert checkpoint_signature(**(base | {"count": checkpoint.count - 1})) != checkpoint.signature
    assert checkpoint_signature(**(base | {"head_hash": "0" * 64})) != checkpoint.signature
    assert checkpoint_signature(**(base | {"at": checkpoint.at + dt.timedelta(microseconds=1)})) != checkpoint.signature


# --- what the database refuses (PostgreSQL) -----------------------------------------------------


def _refused(sql, params):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@postgres_only
@pytest.mark.django_db
def test_database_refuses_to_change_or_delete_a_pending_row(users, case):
    [pk] = _append(users, case, 1)

    _refused("UPDATE audit_auditevent SET action = 'nothing.happened' WHERE id = %s", [pk])
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [pk])
    # Sealing it while changing anything else is refused too.
    _refused(
        "UPDATE audit_auditevent SET seq = 999999, prev_hash = %s, hash = %s, actor_username = 'x' WHERE id = %s",
        ["0" * 64, "1" * 64, pk],
    )

    row = AuditEvent.objects.get(pk=pk)
    assert (row.action, row.actor_username, row.seq) == ("case.read", users.sw.username, None)


@postgres_only
@pytest.mark.django_db
def test_database_refuses_to_seal_a_row_twice(users, case):
    [pk] = _append(users, case, 1)
    audit_seal()
    sealed = AuditEvent.objects.get(pk=pk)

    _refused("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["2" * 64, pk])
    _refused("UPDATE audit_auditevent SET seq = seq + 1000 WHERE id = %s", [pk])

    assert AuditEvent.objects.get(pk=pk).hash == sealed.hash


@postgres_only
@pytest.mark.django_db
def test_database_refuses_to_change_or_delete_a_checkpoint(users, case):
    _append(users, case, 1)
    audit_seal()
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()

    _refused("UPDATE audit_auditcheckpoint SET count = count + 1 WHERE id = %s", [checkpoint.pk])
    _refused("DELETE FROM audit_auditcheckpoint WHERE id = %s", [checkpoint.pk])

    assert AuditCheckpoint.objects.get(pk=checkpoint.pk).count == checkpoint.count


@pytest.mark.django_db
def test_application_refuses_to_update_or_delete_a_checkpoint(users, case):
    _append(users, case, 1)
    audit_seal()
    checkpoint = AuditCheckpoint.objects.order_by("-id").first()

    with pytest.raises(Exception, match="append-only"):
        checkpoint.save()
    with pytest.raises(Exception, match="append-only"):
        AuditCheckpoint.objects.filter(pk=checkpoint.pk).update(count=1)
    with pytest.raises(Exception, match="append-only"):
        checkpoint.delete()


# --- after each request, on the embedded default --------------------------------------------------


@pytest.mark.django_db
def test_the_embedded_default_seals_after_each_request(users, case, api_as, settings):
    settings.AUDIT_SEAL_AFTER_REQUEST = True  # the embedded default: no broker (tests/conftest.py turns it off)
    api = api_as(users.sw)

    response = api.get(f"/api/v1/cases/{case.pk}/entries/")

    assert response.status_code == 200
    read = AuditEvent.objects.filter(case=case, actor=users.sw).order_by("-id").first()
    assert read is not None and read.seq is not None
    assert audit_pending_count() == 0
    assert audit_chain_report().ok


@pytest.mark.django_db
def test_without_seal_after_request_a_request_leaves_its_row_pending(users, case, api_as, settings):
    settings.AUDIT_SEAL_AFTER_REQUEST = False  # production: celery beat seals

    response = api_as(users.sw).get(f"/api/v1/cases/{case.pk}/entries/")

    assert response.status_code == 200
    read = AuditEvent.objects.filter(case=case, actor=users.sw).order_by("-id").first()
    assert read is not None and read.seq is None


def test_embedded_default_seals_after_requests_and_production_does_not():
    """The setting's defaults, read in fresh processes: on without a broker, off with Redis."""
    code = "import django; django.setup(); from django.conf import settings; print(settings.AUDIT_SEAL_AFTER_REQUEST)"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "AUDIT_"))}

    def setting(env):
        done = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    assert setting({"DJANGO_SETTINGS_MODULE": "config.settings"}) == "True"
    assert setting({"DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": "redis://127.0.0.1:6379/0"}) == "False"


# --- concurrency, late commits and crashes (real processes, PostgreSQL) ------------------------------


def _database_url() -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    return urlunsplit((parts.scheme, parts.netloc, f"/{connection.settings_dict['NAME']}", "", ""))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_", "TEST_DATABASE"))}
    env |= {"DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    return env


PRELUDE = """
import datetime as dt, os, signal, sys, time
import django
django.setup()
from django.db import transaction
from accounts.models import User
from audit.services import audit_record
from cases.models import Case
from chronology.models import ChronologyEntry
from chronology.services import entry_create
case = Case.objects.get(pk=int(sys.argv[1]))
"""

WORKER = (
    PRELUDE
    + """
worker, rounds = int(sys.argv[2]), int(sys.argv[3])
user = User.objects.get(username=sys.argv[4])
child = case.people.filter(is_subject=True).first()
for i in range(rounds):
    if i % 3 == 2:
        entry_create(acting_user=user, case=case, occurred_on=dt.date(2026, 1, 1 + i % 28), kind="home_visit",
                     summary=f"Visit {worker}-{i}", subjects=[child.pk], today=dt.date(2026, 2, 1))
    else:
        with transaction.atomic():
            list(ChronologyEntry.objects.filter(case=case).values("id")[:50])
            audit_record(actor=user, action="case.read", case=case, detail={"worker": worker, "i": i})
            if i % 4 == 0:
                time.sleep(0.02)  # commit late: rows with higher ids commit (and get sealed) first
print("done")
"""
)


def _run(script: str, *args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_reads_and_writes_from_several_processes_then_seal_then_verify(users, case, people):
    workers, rounds = 4, 30
    audit_seal()
    before_rows = AuditEvent.objects.count()
    before_entries = ChronologyEntry.objects.filter(case=case).count()
    # A sealer process at work all along, as celery beat would be.
    sealer = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "seal_audit", "--every", "0.05"],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        procs = [
            subprocess.Popen(  # noqa: S603 - fixed argv
                [
                    sys.executable,
                    "-c",
                    WORKER,
                    str(case.pk),
                    str(w),
                    str(rounds),
                    users.hv.username if w % 2 else users.sw.username,
                ],
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(workers)
        ]
        outcomes = [p.communicate(timeout=180) for p in procs]
    finally:
        os.killpg(sealer.pid, signal.SIGTERM)
        sealer.wait(timeout=30)

    assert [p.returncode for p in procs] == [0] * workers, [err[-2000:] for _, err in outcomes]
    writes_each = sum(1 for i in range(rounds) if i % 3 == 2)
    reads_each = rounds - writes_each
    assert ChronologyEntry.objects.filter(case=case).count() == before_entries + workers * writes_each
    assert AuditEvent.objects.filter(case=case, action="case.read", detail__worker__isnull=False).count() == (
        workers * reads_each
    )
    assert AuditEvent.objects.filter(case=case, action="entry.created").count() >= workers * writes_each

    audit_seal()

    report = audit_chain_report()
    assert report.ok, report
    assert report.pending == 0
    assert report.checked == AuditEvent.objects.count() > before_rows
    assert report.checkpoint_count == report.checked
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, report.checked + 1))
    assert "Audit chain intact" in _verify()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_row_committed_late_is_sealed_after_rows_committed_before_it(users, case):
    audit_seal()
    appended = threading.Event()
    release = threading.Event()
    late: list[int] = []

    def slow_request() -> None:
        try:
            with transaction.atomic():
                late.append(audit_record(actor=users.hv, action="case.read", case=case).pk)
                appended.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_request)
    thread.start()
    assert appended.wait(timeout=30)
    [early] = _append(users, case, 1)  # a higher id, committed first

    audit_seal()  # sees only the committed row
    assert AuditEvent.objects.get(pk=early).seq is not None
    release.set()
    thread.join(timeout=30)
    assert AuditEvent.objects.get(pk=late[0]).seq is None
    audit_seal()

    late_row, early_row = AuditEvent.objects.get(pk=late[0]), AuditEvent.objects.get(pk=early)
    assert late_row.pk < early_row.pk
    assert late_row.seq == early_row.seq + 1
    assert late_row.prev_hash == early_row.hash
    report = audit_chain_report()
    assert report.ok, report
    assert (report.checked, report.pending) == (AuditEvent.objects.count(), 0)


CRASH_AFTER_APPEND = (
    PRELUDE
    + """
user = User.objects.get(username=sys.argv[2])
for i in range(5):
    with transaction.atomic():
        audit_record(actor=user, action="case.read", case=case, detail={"crash": "committed", "i": i})
with transaction.atomic():
    audit_record(actor=user, action="case.read", case=case, detail={"crash": "uncommitted"})
    print("appended", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # dies before commit and before any seal
"""
)

CRASH_WHILE_SEALING = (
    PRELUDE
    + """
from audit.sealer import audit_seal
with transaction.atomic():
    sealed = audit_seal()
    print("sealed", sealed, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # dies before the sealer's work commits
"""
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_crash_between_append_and_seal_loses_nothing(users, case):
    audit_seal()
    sealed_before = AuditEvent.objects.count()

    crashed = _run(CRASH_AFTER_APPEND, case.pk, users.sw.username)

    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    assert "appended" in crashed.stdout
    committed = AuditEvent.objects.filter(detail__crash="committed")
    assert committed.count() == 5
    assert not AuditEvent.objects.filter(detail__crash="uncommitted").exists()  # rolled back with its request
    assert audit_pending_count() == 5

    # The sealer dies mid-batch too: its work rolls back and the rows stay pending.
    dead_sealer = _run(CRASH_WHILE_SEALING, case.pk)
    assert dead_sealer.returncode == -signal.SIGKILL, dead_sealer.stderr[-2000:]
    assert "sealed 5" in dead_sealer.stdout
    assert audit_pending_count() == 5

    # A new sealer process seals them.
    sealer = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", "seal_audit"], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120
    )
    assert sealer.returncode == 0, sealer.stderr[-2000:]
    assert "Sealed 5 audit rows" in sealer.stdout

    report = audit_chain_report()
    assert report.ok, report
    assert report.pending == 0
    assert report.checked == sealed_before + 5 == AuditEvent.objects.count()
    assert committed.filter(seq__isnull=False).count() == 5


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_seal_each_row_once(users, case):
    _append(users, case, 40)
    pending = audit_pending_count()
    procs = [
        subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "seal_audit"],
            cwd=ROOT,
            env={**_env(), "AUDIT_SEAL_BATCH": "7"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outputs]
    sealed = [int(out.split()[1]) for out, _ in outputs]
    assert sum(sealed) == pending >= 40
    report = audit_chain_report()
    assert report.ok, report
    assert (report.pending, report.checked) == (0, AuditEvent.objects.count())
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, report.checked + 1))
