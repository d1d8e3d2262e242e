"""Whole-database backup and restore of the service's own data, generic over every model.

Every model of every installed app is included, except what `migrate` makes by itself
(content types, permissions), sessions and sign-in attempt counters. New models in any app are
covered without a change here. Rows keep their primary keys, so audit rows keep their hash chain
and a restore can be verified with the same check as the live trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig, apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from audit.models import AuditCheckpoint, AuditEvent
from audit.sealer import audit_seal
from audit.selectors import audit_chain_report
from audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model

# Rebuilt by migrate, per-session or short-lived: never part of a backup.
EXCLUDED_APPS = {"contenttypes", "sessions", "admin", "axes"}
EXCLUDED_MODELS = {"auth.permission"}


class RestoreRefused(Exception):
    pass


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's drops them to milliseconds),
    so a restored row is the row that was backed up and audit hashes still match."""

    def default(self, o: object) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[Model]]:
    """Every model a backup holds, parents before the rows that point at them."""
    by_app: dict[AppConfig, list[type[Model]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in EXCLUDED_APPS or meta.label_lower in EXCLUDED_MODELS:
            continue
        if meta.proxy or not meta.managed:
            continue
        by_app.setdefault(apps.get_app_config(meta.app_label), []).append(model)
    ordered: list[type[Model]] = serializers.sort_dependencies(by_app.items(), allow_cycles=True)
    return ordered


def backed_up_labels() -> list[str]:
    """`app_label.ModelName` for every model a backup holds."""
    return sorted(model._meta.label for model in backed_up_models())


def _all_objects() -> Iterator[Model]:
    for model in backed_up_models():
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_write(*, out: Path, acting_user: AbstractBaseUser | None = None) -> str:
    """Write every backed-up row to `out` (JSON) and return the file's sha256. The pending audit rows
    (its own `backup.created` row included) are sealed first, so the backup's chain covers them."""
    audit_record(actor=acting_user, action="backup.created", detail={"file": out.name})
    audit_seal()
    with out.open("w", encoding="utf-8") as handle:
        serializers.serialize(
            "json", _all_objects(), stream=handle, cls=FullPrecisionEncoder, use_natural_foreign_keys=True
        )
    return sha256_of(out)


# Models that moved app keep their tables; a backup written before the move names them by the old label.
MOVED_MODELS = {
    "chronology.case": "cases.case",
    "chronology.person": "cases.person",
    "chronology.caseagency": "cases.caseagency",
}


def _with_current_labels(path: Path, scratch: Path) -> Path:
    """The backup itself, or a copy whose rows of moved models carry their current labels."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    if not any(row.get("model") in MOVED_MODELS for row in rows):
        return path
    for row in rows:
        row["model"] = MOVED_MODELS.get(row["model"], row["model"])
    copy = scratch / path.name
    copy.write_text(json.dumps(rows), encoding="utf-8")
    return copy


def restore_read(*, path: Path, acting_user: AbstractBaseUser | None = None) -> int:
    """Load a backup into an empty database, all or nothing; the audit chain must verify after.

    Returns the number of audit rows restored."""
    if (
        AuditEvent.objects.exists()
        or AuditCheckpoint.objects.exists()
        or apps.get_model("cases", "Case").objects.exists()
    ):
        raise RestoreRefused(
            "The database already holds cases or audit rows: restore only into a freshly migrated database."
        )
    with transaction.atomic(), tempfile.TemporaryDirectory() as scratch:
        call_command("loaddata", str(_with_current_labels(path, Path(scratch))), format="json", verbosity=0)
        report = audit_chain_report()
        if not report.ok:
            raise RestoreRefused(f"The restored audit chain is broken at row id={report.broken_id}: {report.problem}.")
        audit_record(
            actor=acting_user,
            action="backup.restored",
            detail={"file": path.name, "sha256": sha256_of(path), "audit_rows": report.checked},
        )
    return report.checked
