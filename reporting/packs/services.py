"""Packs: request one (a quick, audited write that queues the build) and build it (the background job)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError

from accounts.models import User
from agencies.models import Agency
from audit.services import audit_record
from cases import permissions
from cases.models import Case, CaseAgency
from reporting.packs.models import Pack, PackStatus

logger = logging.getLogger(__name__)

PACK_TEMPLATE = "reporting/pack/document.html"  # the whole pack as one document (reporting.packs.pdf.parts)


class PackQueueUnavailable(Exception):
    """The job could not be handed to the background service. The pack is marked failed (nothing is
    left queued); ask again in `retry_after` seconds."""

    retry_after = 30

    def __init__(self, pack: Pack) -> None:
        super().__init__(BROKER_DOWN_MESSAGE)
        self.pack = pack


# Failure reasons, in words a chair can act on. Stored on the pack, shown on the Packs tab and in the API.
BROKER_DOWN_MESSAGE = (
    "The background service that builds packs could not be reached, so this pack was not started. "
    "Nothing is waiting in the queue: request the pack again in a minute or two."
)


def _duration(seconds: float) -> str:
    if seconds >= 120:
        minutes = round(seconds / 60)
        return f"{minutes} minutes"
    whole = round(seconds)
    return f"{whole} second{'s' if whole != 1 else ''}"


def time_limit_message() -> str:
    return (
        f"The pack took longer than {_duration(settings.PACK_BUILD_TIME_LIMIT_SECONDS)} to build and was stopped. "
        "Narrow the period or raise the minimum significance, then try again."
    )


def worker_lost_message(attempts: int) -> str:
    times = "once" if attempts == 1 else f"{attempts} times"
    return (
        f"The pack was started {times} but the worker building it stopped before it finished "
        "(it may have run out of memory or been restarted). Request the pack again, perhaps for a "
        "shorter period; if it keeps failing, tell your administrator."
    )


def no_worker_message(waited_seconds: float) -> str:
    return (
        f"No worker started this pack in {_duration(waited_seconds)}, so it was stopped. The background "
        "service may be down: tell your administrator, then request the pack again."
    )


# A server path (/srv/app/media/packs/3, C:\data\x.pdf, file:///...) in an error message.
_SERVER_PATH = re.compile(r"(?<![\w/.:])(?:[A-Za-z]:)?(?:[/\\][^\s/\\'\"():;,]+)+[/\\]?")


def public_error(text: str, *, limit: int = 2000) -> str:
    """An error message fit to show: no server paths (they say where the service keeps its files)."""
    cleaned = _SERVER_PATH.sub("[path]", re.sub(r"file://", " ", text, flags=re.IGNORECASE))
    cleaned = re.sub(r"'\[path\]'|\"\[path\]\"", "[path]", cleaned)
    return " ".join(cleaned.split())[:limit]


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
    """Record a pack request and queue its build once the request commits. Returns the queued pack,
    or the identical pack the same person asked for that is still queued or being built."""
    if not permissions.can_request_pack(acting_user):
        raise PermissionDenied("Only chairs, managers, social workers and administrators generate packs.")
    chosen = list(agencies or [])
    involved = set(CaseAgency.objects.filter(case=case).values_list("agency_id", flat=True))
    outside = [agency.name for agency in chosen if agency.pk not in involved]
    if outside:
        raise ValidationError({"agencies": [f"Not involved in this case: {', '.join(sorted(outside))}."]})
    queue_failed: list[bool] = []
    with transaction.atomic():
        _lock_case_requests(case)
        running = _identical_pack_in_progress(
            acting_user=acting_user,
            case=case,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            min_significance=min_significance,
            agency_ids={agency.pk for agency in chosen},
        )
        if running is not None:
            audit_record(
                actor=acting_user,
                action="pack.requested",
                case=case,
                obj=running,
                detail={"kind": kind, "already_in_progress": True},
            )
            running.already_in_progress = True  # for the page's message
            return running
        pack = Pack(
            case=case,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            min_significance=min_significance,
            generated_by=acting_user,
            queued_at=timezone.now(),
            enqueues=1,
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
        transaction.on_commit(lambda: queue_failed.append(not _queue_or_fail(pack_id)))
    if any(queue_failed):
        pack.refresh_from_db()
        raise PackQueueUnavailable(pack)
    return pack


# Class key of the PostgreSQL transaction-level advisory lock (with the case id) taken while a pack
# request looks for an identical one in progress, so two requests at once cannot both start a build.
PACK_REQUEST_LOCK_KEY = 0x50524551  # "PREQ"


def _lock_case_requests(case: Case) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PACK_REQUEST_LOCK_KEY, case.pk])
    # SQLite (the embedded default) lets one write transaction run at a time.


def _identical_pack_in_progress(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    date_from: dt.date,
    date_to: dt.date,
    min_significance: str,
    agency_ids: set[int],
) -> Pack | None:
    """A pack the same person asked for with the same settings that is queued or being built and
    still alive (not past the sweeper's limits): a second click returns it instead of a second build.
    The requester is part of "the same": a pack names who generated it."""
    now = timezone.now()
    candidates = (
        Pack.objects.filter(
            case=case,
            generated_by=acting_user,
            kind=kind,
            date_from=date_from,
            date_to=date_to,
            min_significance=min_significance,
        )
        .filter(
            Q(
                status=PackStatus.QUEUED,
                queued_at__gte=now - dt.timedelta(seconds=settings.PACK_QUEUED_STALE_SECONDS),
            )
            | Q(
                status=PackStatus.RUNNING,
                heartbeat_at__gte=now - dt.timedelta(seconds=settings.PACK_STALE_SECONDS),
            )
        )
        .prefetch_related("agencies")
        .order_by("-id")
    )
    for candidate in candidates:
        if {agency.pk for agency in candidate.agencies.all()} == agency_ids:
            found: Pack = candidate
            return found
    return None


def _builds_locally() -> bool:
    """True on the embedded default (no broker: Celery runs jobs eagerly) once the request has
    committed: the build goes to the local worker thread and the request returns at once. Inside a
    transaction that has not committed (a test capturing on-commit callbacks) another thread could not
    see the pack, so the job runs eagerly in place."""
    from reporting.packs.tasks import build_pack

    if not settings.PACK_LOCAL_WORKER:
        return False
    return bool(build_pack.app.conf.task_always_eager) and not connection.in_atomic_block


def _publish(pack_id: int) -> None:
    """Send the build job to the broker with its soft and hard time limits (a backstop behind the
    layout's own limit). Raises KombuError or OSError when the broker cannot be reached; the
    connection attempt is bounded by CELERY_BROKER_CONNECTION_TIMEOUT and the publish retry policy."""
    from reporting.packs.tasks import build_pack

    limit = settings.PACK_BUILD_TIME_LIMIT_SECONDS
    build_pack.apply_async(args=[pack_id], soft_time_limit=limit + 30, time_limit=limit + 60)


def _queue_or_fail(pack_id: int) -> bool:
    """After the request commits: queue the build. When the broker is down the pack is failed at
    once with a reason, so nothing is left queued for ever; False tells the caller to answer 503."""
    if _builds_locally():
        from reporting.packs import local_worker

        local_worker.submit(pack_id)
        return True
    try:
        _publish(pack_id)
    except (KombuError, OSError):
        logger.exception("Pack %s could not be queued", pack_id)
        _fail(pack_id, BROKER_DOWN_MESSAGE)
        return False
    return True


def _fail(pack_id: int, reason: str, *, detail: dict[str, Any] | None = None) -> bool:
    """Mark an unfinished pack failed with a reason fit to show, and audit it. False if it had finished."""
    reason = public_error(reason)
    with transaction.atomic():
        pack = Pack.objects.select_for_update().select_related("case", "generated_by").filter(pk=pack_id).first()
        if pack is None or pack.status in (PackStatus.DONE, PackStatus.FAILED):
            return False
        Pack.objects.filter(pk=pack_id).update(
            status=PackStatus.FAILED,
            error=reason,
            file="",
            sha256="",
            finished_at=timezone.now(),
        )
        audit_record(
            actor=pack.generated_by,
            action="pack.failed",
            case=pack.case,
            obj=pack,
            detail={"error": reason[:500], **(detail or {})},
        )
    return True


def _beat(pack_id: int) -> None:
    Pack.objects.filter(pk=pack_id, status=PackStatus.RUNNING).update(heartbeat_at=timezone.now())


def _set_progress(pack: Pack, progress: int) -> None:
    pack.progress = progress
    Pack.objects.filter(pk=pack.pk).update(progress=progress, heartbeat_at=timezone.now())


def _claim(pack_id: int) -> Pack | None:
    """Mark the pack running. A pack already done or failed is left alone (a redelivered job is a no-op);
    one left running by a worker that died is built again, up to PACK_MAX_ATTEMPTS starts in all."""
    with transaction.atomic():
        pack = Pack.objects.select_for_update().filter(pk=pack_id).first()
        if pack is None or pack.status in (PackStatus.DONE, PackStatus.FAILED):
            return None
        if pack.attempts >= settings.PACK_MAX_ATTEMPTS:
            attempts = pack.attempts
            give_up = True
        else:
            give_up = False
            now = timezone.now()
            pack.status = PackStatus.RUNNING
            pack.progress = 5
            pack.error = ""
            pack.started_at = now
            pack.heartbeat_at = now
            pack.attempts += 1
            pack.save(update_fields=["status", "progress", "error", "started_at", "heartbeat_at", "attempts"])
    if give_up:
        _fail(pack_id, worker_lost_message(attempts), detail={"attempts": attempts})
        return None
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
        # The folder is for the log, not for the person reading the failure.
        logger.error("The pack store %s cannot be written to: %s", directory, exc)
        raise OSError(f"The pack store cannot be written to ({exc.strerror or 'unknown error'}).") from exc
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
    from celery.exceptions import SoftTimeLimitExceeded

    from reporting.packs.pdf.cache import PartCache
    from reporting.packs.pdf.context import build_pack_context
    from reporting.packs.pdf.render import LayoutTimeLimitExceeded, pack_to_pdf_bounded

    pack = _claim(pack_id)
    if pack is None:
        return None
    deadline = time.monotonic() + settings.PACK_BUILD_TIME_LIMIT_SECONDS
    stored_name = ""
    try:
        context = build_pack_context(pack, progress=lambda value: _set_progress(pack, value))
        _set_progress(pack, 60)
        rendered = pack_to_pdf_bounded(
            context,
            seconds=deadline - time.monotonic(),
            heartbeat=lambda: _beat(pack_id),
            heartbeat_seconds=settings.PACK_HEARTBEAT_SECONDS,
            cache=PartCache.default(),
        )
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
                    # Parts laid out for this pack and parts whose layout was reused from the cache.
                    "parts_laid_out": list(rendered.parts_laid_out),
                    "parts_reused": list(rendered.parts_reused),
                },
            )
    except (LayoutTimeLimitExceeded, SoftTimeLimitExceeded):
        logger.warning("Pack %s ran past its time limit and was stopped", pack_id)
        _fail(pack_id, time_limit_message(), detail={"time_limit_seconds": settings.PACK_BUILD_TIME_LIMIT_SECONDS})
        pack.refresh_from_db()
    except Exception as exc:
        logger.exception("Pack %s failed", pack_id)
        if stored_name:
            (Path(settings.MEDIA_ROOT) / stored_name).unlink(missing_ok=True)
        _fail(pack_id, f"The pack could not be built: {str(exc) or type(exc).__name__}")
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


# --- The job sweeper ------------------------------------------------------------------------------


def _builder_alive(pack_id: int) -> bool:
    """True while some session holds the pack's build lock (its worker is alive). Asked with a
    transaction-level lock, released when the sweeper's transaction ends (works through PgBouncer)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [PACK_BUILD_LOCK_KEY, pack_id])
        return not bool(cursor.fetchone()[0])


def _requeue_after_commit(pack_id: int) -> None:
    def send() -> None:
        try:
            _publish(pack_id)
        except (KombuError, OSError):
            # Left queued: the next sweep sends it again, and fails it after PACK_MAX_ATTEMPTS sends.
            logger.warning("Pack %s could not be requeued: the broker is unreachable", pack_id)

    transaction.on_commit(send)


def _sweep_running(pack_id: int, now: dt.datetime) -> str:
    stale_before = now - dt.timedelta(seconds=settings.PACK_STALE_SECONDS)
    with transaction.atomic():
        pack = Pack.objects.select_for_update(skip_locked=True).filter(pk=pack_id, status=PackStatus.RUNNING).first()
        if pack is None or (pack.heartbeat_at or pack.started_at or pack.created_at) >= stale_before:
            return "alive"
        if _builder_alive(pack_id):
            # Its worker still holds the build lock: slow, not dead. The time limits stop it.
            return "alive"
        if pack.attempts >= settings.PACK_MAX_ATTEMPTS:
            failed = True
        else:
            failed = False
            pack.status = PackStatus.QUEUED
            pack.progress = 0
            pack.queued_at = now
            pack.save(update_fields=["status", "progress", "queued_at"])
            audit_record(
                actor=None,
                action="pack.requeued",
                case=pack.case,
                obj=pack,
                detail={"reason": "worker stopped", "attempts": pack.attempts},
            )
            _requeue_after_commit(pack_id)
    if failed:
        _fail(pack_id, worker_lost_message(pack.attempts), detail={"attempts": pack.attempts, "swept": True})
        return "failed"
    return "requeued"


def _sweep_queued(pack_id: int, now: dt.datetime) -> str:
    stale_before = now - dt.timedelta(seconds=settings.PACK_QUEUED_STALE_SECONDS)
    with transaction.atomic():
        pack = Pack.objects.select_for_update(skip_locked=True).filter(pk=pack_id, status=PackStatus.QUEUED).first()
        if pack is None or (pack.queued_at or pack.created_at) >= stale_before:
            return "waiting"
        if pack.enqueues >= settings.PACK_MAX_ATTEMPTS:
            failed = True
            waited = (now - pack.created_at).total_seconds()
        else:
            failed = False
            pack.enqueues += 1
            pack.queued_at = now
            pack.save(update_fields=["enqueues", "queued_at"])
            audit_record(
                actor=None,
                action="pack.requeued",
                case=pack.case,
                obj=pack,
                detail={"reason": "no worker started it", "enqueues": pack.enqueues},
            )
            _requeue_after_commit(pack_id)
    if failed:
        _fail(pack_id, no_worker_message(waited), detail={"enqueues": pack.enqueues, "swept": True})
        return "failed"
    return "requeued"


def packs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Bring every stalled pack job to an end. Idempotent, and safe to run from several places at once.

    - running, heartbeat older than PACK_STALE_SECONDS, and no worker holds its build lock: its worker
      died. Sent again if it has been started fewer than PACK_MAX_ATTEMPTS times, otherwise failed.
    - queued longer than PACK_QUEUED_STALE_SECONDS: no worker took it (a lost message, a broker
      restarted without its data, no worker running). Sent again, up to PACK_MAX_ATTEMPTS sends in
      all, then failed. A job that arrives twice is still built once (see pack_build).
    Returns how many packs were requeued and failed."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    running_stale = now - dt.timedelta(seconds=settings.PACK_STALE_SECONDS)
    running = Pack.objects.filter(status=PackStatus.RUNNING).filter(
        Q(heartbeat_at__lt=running_stale)
        | Q(heartbeat_at__isnull=True, started_at__lt=running_stale)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=running_stale)
    )
    for pack_id in list(running.values_list("pk", flat=True)):
        outcome = _sweep_running(pack_id, now)
        if outcome in counts:
            counts[outcome] += 1
    queued_stale = now - dt.timedelta(seconds=settings.PACK_QUEUED_STALE_SECONDS)
    queued = Pack.objects.filter(status=PackStatus.QUEUED).filter(
        Q(queued_at__lt=queued_stale) | Q(queued_at__isnull=True, created_at__lt=queued_stale)
    )
    for pack_id in list(queued.values_list("pk", flat=True)):
        outcome = _sweep_queued(pack_id, now)
        if outcome in counts:
            counts[outcome] += 1
    return counts
