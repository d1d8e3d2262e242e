"""The sealer: the one writer of the audit chain.

Requests append audit rows pending (audit.services.audit_record), in their own transaction and
without any lock. The sealer takes pending rows in id order, a batch at a time, gives each its
place in the chain (`seq`) and its links (`prev_hash`, `hash`), and writes a signed checkpoint of
the new head (audit/checkpoints.py), all in one transaction. Only one sealer runs at a time (a
PostgreSQL advisory lock; SQLite serialises writers by itself).

It runs as a Celery beat task in production (audit.seal, config/celery.py), and on the embedded
default after each request (AUDIT_SEAL_AFTER_REQUEST, audit/apps.py), or from
`manage.py seal_audit`. A row committed late (its transaction began before a row already sealed)
is simply sealed in a later batch: the chain's order is the order of sealing, and no row is ever
skipped, since every committed pending row stays in the queue until sealed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction

from audit.chain import CHAINED_FIELDS, GENESIS, link_hash
from audit.checkpoints import checkpoint_write, latest_checkpoint
from audit.models import AuditEvent

logger = logging.getLogger("audit.sealer")

# Key of the PostgreSQL advisory lock held by the one running sealer.
AUDIT_SEALER_LOCK_KEY = 0x41554454  # "AUDT"


class AuditSealRefused(Exception):
    """The chain's head is not the one the latest checkpoint signed."""


@dataclass(frozen=True)
class SealResult:
    sealed: int
    count: int
    head: str


def _take_sealer_lock(*, wait: bool) -> bool:
    """Hold the sealer's lock until this transaction ends. Without `wait`, give up at once if
    another sealer holds it."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_SEALER_LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [AUDIT_SEALER_LOCK_KEY])
        row = cursor.fetchone()
        return bool(row and row[0])


def _seal_batch(*, batch_size: int, wait: bool) -> SealResult | None:
    """Seal up to `batch_size` pending rows. None when another sealer is at work (without `wait`)."""
    with transaction.atomic():
        if not _take_sealer_lock(wait=wait):
            return None
        head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
        count, prev = (int(head[0]), head[1]) if head else (0, GENESIS)
        checkpoint = latest_checkpoint()
        if checkpoint is not None and (checkpoint.count, checkpoint.head_hash) != (count, prev):
            # Never chain new rows onto a head that is not the one last signed: that would cover up
            # rows removed after it. The rows stay pending; verify_audit says what is wrong.
            raise AuditSealRefused(
                f"The chain's head (row {count}) is not the latest checkpoint's (id={checkpoint.pk}, "
                f"row {checkpoint.count}): run manage.py verify_audit. Nothing was sealed."
            )
        rows = list(
            AuditEvent.objects.filter(seq__isnull=True).order_by("id").values("id", *CHAINED_FIELDS)[:batch_size]
        )
        if not rows:
            return SealResult(0, count, prev)
        links = []
        for row in rows:
            count += 1
            digest = link_hash(prev, row)
            links.append((count, prev, digest, row["id"]))
            prev = digest
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:
            # The only UPDATE the database allows on audit rows: a pending row's chain fields, once.
            cursor.executemany(
                f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s AND seq IS NULL",  # noqa: S608
                links,
            )
        checkpoint_write(count=count, head_hash=prev)
        return SealResult(len(rows), count, prev)


def audit_seal(*, batch_size: int | None = None, max_batches: int | None = None, wait: bool = True) -> int:
    """Chain pending audit rows in id order, a batch (AUDIT_SEAL_BATCH rows) per transaction, until
    none is left or `max_batches` are sealed. Returns how many rows were sealed. Without `wait`,
    returns 0 at once if another sealer holds the lock (it will seal them)."""
    size = batch_size or int(settings.AUDIT_SEAL_BATCH)
    sealed = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        result = _seal_batch(batch_size=size, wait=wait)
        if result is None:
            break
        sealed += result.sealed
        batches += 1
        if result.sealed < size:
            break
    return sealed


def audit_pending_count() -> int:
    """How many audit rows wait for the sealer."""
    return int(AuditEvent.objects.filter(seq__isnull=True).count())


def seal_after_request(**kwargs: object) -> None:
    """request_finished receiver: with AUDIT_SEAL_AFTER_REQUEST (the embedded default), seal what is
    pending once the response is sent. Never fails the request: a sealer error is logged, and the
    rows stay pending for the next."""
    if not settings.AUDIT_SEAL_AFTER_REQUEST:
        return
    try:
        audit_seal(wait=False)
    except Exception:
        logger.exception("Sealing the audit rows after a request failed; they stay pending.")
