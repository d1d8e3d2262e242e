from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace

from django.db.models import QuerySet

from audit.chain import CHAINED_FIELDS, ChainReport, verify_rows
from audit.models import AuditCheckpoint, AuditEvent

ENTRY_OBJECT_TYPE = "chronology.chronologyentry"


def audit_events_of_case(case_id: int) -> QuerySet[AuditEvent]:
    """Every audit row of a case, oldest first. Callers hold the case and the right to read its trail
    (cases.selectors.case_audit_events asks the access policy)."""
    return AuditEvent.objects.filter(case_id=case_id).order_by("id")


def entry_ids_of(events: Iterable[AuditEvent]) -> set[int]:
    """The chronology entries some audit rows are about."""
    return {pk for pk in map(_entry_id, events) if pk is not None}


def _entry_id(event: AuditEvent) -> int | None:
    """The chronology entry an audit row is about, if any."""
    raw = event.object_id if event.object_type == ENTRY_OBJECT_TYPE else (event.detail or {}).get("entry")
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def present_audit_events(*, events: Iterable[AuditEvent], unreadable: Mapping[int, str]) -> list[AuditEvent]:
    """Audit rows as the asking user may see them. `unreadable` maps each restricted entry (restricted
    now or in any revision) the user may not read in full to the name of the agency that holds it
    (chronology.selectors.unreadable_restricted_entries asks the access policy). Rows about
    those entries say only that a restricted entry was created, amended or read, when and by which
    agency; nothing of its content, reason or kind.

    The rows are changed in memory only (audit rows can never be saved again)."""
    rows = list(events)
    for event in rows:
        pk = _entry_id(event)
        if pk is None or pk not in unreadable:
            continue
        event.detail = {"restricted": True, "agency": unreadable[pk]}
        event.redacted = True
    return rows


def security_log_rows() -> QuerySet[AuditEvent]:
    """Every refused access, oldest first; cases.selectors.security_log_visible_to narrows it to the
    rows the asking user oversees. Rows name no case."""
    from audit.services import SECURITY_ACCESS_REFUSED

    return AuditEvent.objects.filter(action=SECURITY_ACCESS_REFUSED, case__isnull=True).order_by("id")


def audit_chain_report(*, chunk_size: int = 2000) -> ChainReport:
    """Walk every sealed row in chain order and check every link (audit/chain.py), then check the
    chain against every signed checkpoint (audit/checkpoints.py): each signature must hold, and the
    chain must reach each checkpoint and pass through its hash. Rows a checkpoint vouches for that
    the chain no longer holds are reported as missing. Pending rows (not yet sealed) are counted.

    The checkpoints are read first, so a sealer at work meanwhile can only add rows after them."""
    from audit.checkpoints import checkpoint_is_signed

    checkpoints = list(AuditCheckpoint.objects.order_by("id"))
    hashes_at: dict[int, str] = {checkpoint.count: "" for checkpoint in checkpoints}
    rows = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values("id", "prev_hash", "hash", *CHAINED_FIELDS)
        .iterator(chunk_size)
    )
    report = verify_rows(rows, hashes_at=hashes_at)
    report = replace(report, pending=AuditEvent.objects.filter(seq__isnull=True).count())
    if not checkpoints or not report.ok:
        return report
    report = replace(report, checkpoint_count=max(checkpoint.count for checkpoint in checkpoints))
    forged = next((checkpoint for checkpoint in checkpoints if not checkpoint_is_signed(checkpoint)), None)
    if forged is not None:
        return replace(
            report,
            problem=f"checkpoint id={forged.pk} ({_when(forged)}) is not signed with AUDIT_CHECKPOINT_KEY: "
            "it was forged or changed",
        )
    if report.checked < (report.checkpoint_count or 0):
        beyond = max(checkpoints, key=lambda checkpoint: (checkpoint.count, checkpoint.pk))
        missing = beyond.count - report.checked
        return replace(
            report,
            missing=missing,
            problem=f"{missing} rows missing after row {report.checked}: checkpoint id={beyond.pk} "
            f"({_when(beyond)}) vouches for {beyond.count} rows (the newest rows were removed)",
        )
    for checkpoint in checkpoints:
        if hashes_at[checkpoint.count] != checkpoint.head_hash:
            return replace(
                report,
                problem=f"the chain does not pass through checkpoint id={checkpoint.pk} ({_when(checkpoint)}): "
                f"row {checkpoint.count} has another hash (rows up to it were removed or replaced)",
            )
    return report


def _when(checkpoint: AuditCheckpoint) -> str:
    return f"{checkpoint.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC"
