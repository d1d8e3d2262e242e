from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accounts.models import Role
from audit.chain import CHAINED_FIELDS, ChainReport, verify_rows
from audit.models import AuditEvent

ENTRY_OBJECT_TYPE = "chronology.chronologyentry"


def can_read_audit(user) -> bool:
    return user.is_authenticated and user.has_role(Role.MANAGER)


def audit_events_for_case(*, user, case) -> QuerySet[AuditEvent]:
    """The audit trail of a case the user can already see (the case comes from cases_visible_to).

    Rows must be shown through `present_audit_events`, which hides what the user may not read."""
    if not can_read_audit(user):
        raise PermissionDenied("Only managers and administrators read the audit trail.")
    return AuditEvent.objects.filter(case=case).order_by("id")


def _entry_id(event: AuditEvent) -> int | None:
    """The chronology entry an audit row is about, if any."""
    raw = event.object_id if event.object_type == ENTRY_OBJECT_TYPE else (event.detail or {}).get("entry")
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def present_audit_events(*, user, case, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Audit rows as this user may see them: rows about a restricted entry (restricted now or in
    any revision) that the user may not read in full say only that a restricted entry was
    created, amended or read, when and by which agency; nothing of its content, reason or kind.

    The rows are changed in memory only (audit rows can never be saved again)."""
    from chronology.models import ChronologyEntry, EntryRevision
    from chronology.services_entries import can_see_restricted

    rows = list(events)
    entry_ids = {pk for pk in map(_entry_id, rows) if pk is not None}
    if not entry_ids:
        return rows
    restricted_ids = set(
        EntryRevision.objects.filter(entry_id__in=entry_ids, entry__case=case, restricted=True).values_list(
            "entry_id", flat=True
        )
    )
    entries = {
        pk: (agency_id, agency_name)
        for pk, agency_id, agency_name, restricted in ChronologyEntry.objects.filter(
            pk__in=entry_ids, case=case
        ).values_list("pk", "agency_id", "agency__name", "restricted")
        if restricted or pk in restricted_ids
    }
    for event in rows:
        pk = _entry_id(event)
        if pk is None or pk not in entries:
            continue
        agency_id, agency_name = entries[pk]
        if can_see_restricted(user, case, agency_id):
            continue
        event.detail = {"restricted": True, "agency": agency_name}
        event.redacted = True
    return rows


def can_read_security_log(user) -> bool:
    """Managers read the security log of their own agency's users; administrators everyone's."""
    return user.is_authenticated and (user.is_admin or (user.has_role(Role.MANAGER) and user.agency_id is not None))


def security_log_for(*, user) -> QuerySet[AuditEvent]:
    """Refused access by the users this user may oversee, oldest first. Rows name no case."""
    from audit.services import SECURITY_ACCESS_REFUSED

    if not can_read_security_log(user):
        raise PermissionDenied("Only managers and administrators read the security log.")
    events = AuditEvent.objects.filter(action=SECURITY_ACCESS_REFUSED, case__isnull=True)
    if not user.is_admin:
        events = events.filter(actor__agency_id=user.agency_id)
    return events.order_by("id")


def audit_chain_report(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the whole trail in id order and check every link (audit/chain.py)."""
    rows = AuditEvent.objects.order_by("id").values("id", "prev_hash", "hash", *CHAINED_FIELDS).iterator(chunk_size)
    return verify_rows(rows)
