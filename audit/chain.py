"""The audit hash chain: each row's hash covers its own fields and the previous row's hash.

Rows are chained by the sealer (audit/sealer.py) in the order it seals them, their `seq`.
Changing, removing or re-ordering a sealed row breaks the chain from that row on, and
`manage.py verify_audit` names the first broken link; removing the newest rows is caught by the
signed checkpoints (audit/checkpoints.py). This module is pure: it reads plain
values, so the model, the data migration and the verifier all share one definition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64

# The fields a row's hash covers, in a fixed order. Changing this list changes every hash:
# add a field only with a migration that re-chains the existing rows.
CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_agency",
    "action",
    "case_id",
    "object_type",
    "object_id",
    "detail",
    "method",
    "path",
    "client_ip",
    "user_agent",
)


def _canonical_value(name: str, value: Any) -> Any:
    if name == "at":
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("Audit times must be timezone-aware datetimes.")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if name in {"actor_id", "case_id"}:
        return None if value is None else int(value)
    if name == "client_ip":
        return value or None
    if name == "detail":
        return value if value is not None else {}
    return "" if value is None else str(value)


def canonical(row: Mapping[str, Any]) -> bytes:
    """A stable byte serialisation of a row's chained fields (sorted-key JSON, UTC times)."""
    payload = {name: _canonical_value(name, row.get(name)) for name in CHAINED_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def link_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """sha256(previous hash + canonical row), hex encoded."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(row))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found. `checked` sealed rows verified up to `head`; `broken_id` names
    the first row whose links do not hold; `problem` says what is wrong (a broken row, or a chain
    that does not reach its latest signed checkpoint). `pending` rows wait for the sealer;
    `checkpoint_count` is how many rows the latest checkpoint vouches for, and `missing` how many of
    those the chain no longer holds."""

    checked: int
    head: str
    broken_id: int | None = None
    problem: str = ""
    pending: int = 0
    checkpoint_count: int | None = None
    missing: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.problem


def verify_rows(rows: Iterable[Mapping[str, Any]], *, hashes_at: dict[int, str] | None = None) -> ChainReport:
    """Walk sealed rows in chain (`seq`) order; stop at the first row whose links do not hold.

    `hashes_at`, if given, maps chain lengths to fill in with the head hash at that length (the
    checkpoints' positions)."""
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        if row["prev_hash"] != expected_prev:
            return ChainReport(
                checked,
                expected_prev,
                row["id"],
                "its previous-hash does not match the row before it (a row before it was removed, inserted or changed)",
            )
        if link_hash(row["prev_hash"], row) != row["hash"]:
            return ChainReport(checked, expected_prev, row["id"], "its contents do not match its hash (it was changed)")
        expected_prev = row["hash"]
        checked += 1
        if hashes_at is not None and checked in hashes_at:
            hashes_at[checked] = expected_prev
    return ChainReport(checked, expected_prev)
