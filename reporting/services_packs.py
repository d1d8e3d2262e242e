"""Packs: request one (a quick, audited write that queues the build) and build it (the background job)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from agencies.models import Agency
from audit.services import audit_record
from chronology.models import Case, CaseAgency
from reporting.models_packs import Pack, PackStatus

logger = logging.getLogger(__name__)

PACK_TEMPLATE = "reporting/pack/document.html"


def can_generate_pack(user: User | AnonymousUser | None) -> bool:
    """Chairs, managers, social workers and administrators print packs."""
    return bool(user and user.is_authenticated and user.has_role(Role.CHAIR, Role.MANAGER, Role.SOCIAL_WORKER))


def pack_request(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    date_from: dt.date,
    date_to: dt.date,
    min_significance: str = "low",
    agencies: Iterable[Agency] | None = None,
) -> Pack:
    """Record a pack request and queue its build once the request commits. Returns the queued pack."""
    if not can_generate_pack(acting_user):
        raise PermissionDenied("Only chairs, managers, social workers and administrators generate packs.")
    chosen = list(agencies or [])
    involved = set(CaseAgency.objects.filter(case=case).values_list("agency_id", flat=True))
    outside = [agency.name for agency in chosen if agency.pk not in involved]
    if outside:
        raise ValidationError({"agencies": [f"Not involved in this case: {', '.join(sorted(outside))}."]})
    with transaction.atomic():
        pack = Pack(
            case=case,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            min_significance=min_significance,
            generated_by=acting_user,
        )
        pack.full_clean()
        pack.save()
        if chosen:
            pack.agencies.set(chosen)
        audit_record(
            actor=acting_user,
            action="pack.requested",
            case=case,
            obj=pack,
            detail={
                "kind": kind,
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
                "min_significance": min_significance,
                "agencies": sorted(agency.pk for agency in chosen),
            },
        )
        pack_id = pack.pk
        transaction.on_commit(lambda: _queue_build(pack_id))
    return pack


def _queue_build(pack_id: int) -> None:
    from reporting.tasks import build_pack

    build_pack.delay(pack_id)


def _set_progress(pack: Pack, progress: int) -> None:
    pack.progress = progress
    Pack.objects.filter(pk=pack.pk).update(progress=progress)


def _claim(pack_id: int) -> Pack | None:
    """Mark the pack running. A pack already done or failed is left alone (a redelivered job is a no-op);
    one left running by a worker that died is built again."""
    with transaction.atomic():
        pack = Pack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status in (PackStatus.DONE, PackStatus.FAILED):
            return None
        pack.status = PackStatus.RUNNING
        pack.progress = 5
        pack.error = ""
        pack.started_at = timezone.now()
        pack.save(update_fields=["status", "progress", "error", "started_at"])
    claimed: Pack = Pack.objects.select_related(
        "case", "case__lead_agency", "case__lead_professional", "generated_by"
    ).get(pk=pack_id)
    return claimed


def pack_storage_dir(case_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "packs" / str(case_id)


def _store_atomically(pack: Pack, content: bytes) -> tuple[str, str]:
    """Write the PDF to a temporary file beside its final place, then move it into place.

    Nothing half-written is ever under the final name. Returns (storage name, sha256)."""
    sha256 = hashlib.sha256(content).hexdigest()
    directory = pack_storage_dir(pack.case_id)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"The pack store {directory} cannot be written to ({exc.strerror or exc}).") from exc
    fd, temp_name = tempfile.mkstemp(prefix=f".pack-{pack.pk}-", suffix=".partial", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        final = directory / f"pack-{pack.pk}-{sha256[:12]}.pdf"
        os.replace(temp_name, final)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return final.relative_to(Path(settings.MEDIA_ROOT)).as_posix(), sha256


# Class key of the PostgreSQL advisory lock a worker holds (with the pack id) while it builds a pack.
PACK_BUILD_LOCK_KEY = 0x5041434B  # "PACK"


@contextmanager
def _building(pack_id: int) -> Iterator[bool]:
    """True when no other worker is building this pack right now.

    A session-level advisory lock: a duplicate delivery of the job skips while the first builds,
    and if that worker dies its session ends, the lock goes, and the redelivered job builds it.
    SQLite (the embedded default, eager jobs) has one process and needs no lock."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [PACK_BUILD_LOCK_KEY, pack_id])
        mine = bool(cursor.fetchone()[0])
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [PACK_BUILD_LOCK_KEY, pack_id])


def pack_build(*, pack_id: int) -> Pack | None:
    """Build a queued pack once, however often its job is delivered; None when there was nothing to do."""
    with _building(pack_id) as mine:
        if not mine:
            logger.info("Pack %s is being built by another worker: this delivery does nothing.", pack_id)
            return None
        return _build(pack_id)


def _build(pack_id: int) -> Pack | None:
    """Build a queued pack: gather its context, render it, store the PDF, record provenance.

    On any failure the pack is marked failed with the reason, and no file is offered."""
    from reporting.pdf.context import build_pack_context
    from reporting.pdf.render import pack_to_pdf

    pack = _claim(pack_id)
    if pack is None:
        return None
    stored_name = ""
    try:
        context = build_pack_context(pack, progress=lambda value: _set_progress(pack, value))
        _set_progress(pack, 60)
        rendered = pack_to_pdf(PACK_TEMPLATE, context)
        if rendered.refused_urls:
            logger.warning("Pack %s: refused to load %s", pack.pk, ", ".join(rendered.refused_urls))
        _set_progress(pack, 90)
        stored_name, sha256 = _store_atomically(pack, rendered.content)
        with transaction.atomic():
            pack.status = PackStatus.DONE
            pack.progress = 100
            pack.file.name = stored_name
            pack.sha256 = sha256
            pack.size_bytes = len(rendered.content)
            pack.page_count = rendered.page_count
            pack.rule_versions = context["provenance"]["rule_versions"]
            pack.flag_ids = context["provenance"]["flag_ids"]
            pack.entry_count = context["provenance"]["entry_count"]
            pack.role_labels = context["provenance"]["role_labels"]
            pack.finished_at = timezone.now()
            pack.save()
            audit_record(
                actor=pack.generated_by,
                action="pack.generated",
                case=pack.case,
                obj=pack,
                detail={
                    "kind": pack.kind,
                    "sha256": sha256,
                    "pages": rendered.page_count,
                    "entries": pack.entry_count,
                    "flags": pack.flag_ids,
                    "rule_versions": pack.rule_versions,
                },
            )
    except Exception as exc:
        logger.exception("Pack %s failed", pack_id)
        if stored_name:
            (Path(settings.MEDIA_ROOT) / stored_name).unlink(missing_ok=True)
        reason = str(exc) or type(exc).__name__
        with transaction.atomic():
            Pack.objects.filter(pk=pack_id).update(
                status=PackStatus.FAILED,
                error=reason[:2000],
                file="",
                sha256="",
                finished_at=timezone.now(),
            )
            audit_record(
                actor=pack.generated_by,
                action="pack.failed",
                case=pack.case,
                obj=pack,
                detail={"error": reason[:500]},
            )
        pack.refresh_from_db()
    return pack


def pack_download_record(*, acting_user: User, pack: Pack) -> None:
    """Every download of a pack leaves an audit row."""
    audit_record(
        actor=acting_user,
        action="pack.downloaded",
        case=pack.case,
        obj=pack,
        detail={"sha256": pack.sha256, "kind": pack.kind},
    )
