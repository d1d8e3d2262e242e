"""The append-only audit trail: who did what, to which case, when, from where."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are append-only: they cannot be updated.")

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are append-only: they cannot be deleted.")

    @property
    def sealed(self) -> bool:
        return self.seq is not None

    _raw_delete = delete
    bulk_update = update


class AuditEvent(models.Model):
    """One audit row. A request appends it *pending* (no `seq`, empty `prev_hash` and `hash`) in
    the transaction of what it records, taking no lock; the sealer (audit/sealer.py) later gives
    pending rows, in id order, their place in the chain (`seq`) and their links (`prev_hash`,
    `hash`, see audit/chain.py), once. On PostgreSQL a trigger refuses every DELETE and every
    UPDATE except that one sealing of a pending row's three chain fields."""

    # Set by audit_record before the hash is computed, so the hash covers the stored time.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_agency = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events")
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=500, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The row's place in the chain, 1, 2, 3, ...: empty while the row is pending.
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case", "id"], name="audit_case_id_idx"),
            # The sealer's queue: pending rows in id order.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_pending_idx"),
            # "My work": when a user last opened each case (notifications.selectors.OPENED_ACTIONS,
            # which must stay the same list as here), from a small index of the views alone.
            models.Index(
                fields=["actor", "case", "at"],
                condition=models.Q(action__in=["case.viewed", "chronology.viewed"]),
                name="audit_viewed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or 'anonymous'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit rows are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit rows are append-only: they cannot be deleted.")


class AuditCheckpoint(models.Model):
    """A signed record of the chain's head, written by the sealer after each batch it seals: how
    many rows the chain held (`count`, the head's `seq`) and the head's hash, signed with
    AUDIT_CHECKPOINT_KEY (audit/checkpoints.py). Removing the newest audit rows leaves a chain that
    verifies by itself, but no longer reaches the latest checkpoint. On PostgreSQL a trigger
    refuses UPDATE and DELETE of these rows; each checkpoint is also written to the log."""

    at = models.DateTimeField(default=timezone.now)
    count = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.count} rows, head {self.head_hash[:12]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit checkpoints are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit checkpoints are append-only: they cannot be deleted.")
