"""Background jobs of the reporting app. Eager (in-process) on the embedded default."""

from __future__ import annotations

from celery import shared_task

from reporting.services_packs import pack_build


@shared_task(  # type: ignore[untyped-decorator]  # Celery ships no type hints
    name="reporting.build_pack", acks_late=True, reject_on_worker_lost=True
)
def build_pack(pack_id: int) -> str:
    """Build one pack. Idempotent: a redelivered job for a finished pack does nothing."""
    pack = pack_build(pack_id=pack_id)
    return pack.status if pack is not None else "skipped"
