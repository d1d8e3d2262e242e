"""Signed checkpoints of the audit chain's head.

Deleting the newest audit rows leaves a chain that verifies by itself. After each batch it seals,
the sealer writes a checkpoint: how many rows the chain then held and the head's hash, signed
(HMAC-SHA256) with AUDIT_CHECKPOINT_KEY. It is kept in its own append-only table (a PostgreSQL
trigger refuses UPDATE and DELETE) and written to the log (logger `audit.checkpoint`), so a copy
lives outside the database. `verify_audit` checks the chain against the latest checkpoint: the
chain must reach it and pass through its hash; rows it vouches for that are gone are reported as
missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.utils import timezone

from audit.models import AuditCheckpoint

logger = logging.getLogger("audit.checkpoint")


def checkpoint_signature(*, count: int, head_hash: str, at: dt.datetime) -> str:
    """HMAC-SHA256 over the checkpoint's count, head hash and time, with AUDIT_CHECKPOINT_KEY."""
    message = f"audit-checkpoint\n{int(count)}\n{head_hash}\n{at.astimezone(dt.UTC).isoformat(timespec='microseconds')}"
    key = str(settings.AUDIT_CHECKPOINT_KEY).encode("utf-8")
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


def checkpoint_is_signed(checkpoint: AuditCheckpoint) -> bool:
    expected = checkpoint_signature(count=checkpoint.count, head_hash=checkpoint.head_hash, at=checkpoint.at)
    return hmac.compare_digest(expected, checkpoint.signature)


def checkpoint_write(*, count: int, head_hash: str) -> AuditCheckpoint:
    """Record (in the caller's transaction) and log a signed checkpoint of the chain's head."""
    at = timezone.now()
    checkpoint = AuditCheckpoint(
        at=at,
        count=count,
        head_hash=head_hash,
        signature=checkpoint_signature(count=count, head_hash=head_hash, at=at),
    )
    checkpoint.save()
    logger.info(
        "audit checkpoint id=%s at=%s count=%s head=%s signature=%s",
        checkpoint.pk,
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        count,
        head_hash,
        checkpoint.signature,
    )
    return checkpoint


def latest_checkpoint() -> AuditCheckpoint | None:
    latest: AuditCheckpoint | None = AuditCheckpoint.objects.order_by("-id").first()
    return latest
