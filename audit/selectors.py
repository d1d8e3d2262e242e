from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import Role
from audit.chain import CHAINED_FIELDS, ChainReport, verify_rows
from audit.models import AuditEvent


def can_read_audit(user) -> bool:
    return user.is_authenticated and user.has_role(Role.MANAGER)


def audit_events_for_case(*, user, case) -> QuerySet[AuditEvent]:
    """The audit trail of a case the user can already see (the case comes from cases_visible_to)."""
    if not can_read_audit(user):
        raise PermissionDenied("Only managers and administrators read the audit trail.")
    return AuditEvent.objects.filter(case=case).order_by("id")


def audit_chain_report(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the whole trail in id order and check every link (audit/chain.py)."""
    rows = AuditEvent.objects.order_by("id").values("id", "prev_hash", "hash", *CHAINED_FIELDS).iterator(chunk_size)
    return verify_rows(rows)
