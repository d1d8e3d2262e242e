"""Background jobs of the reporting app. Eager (in-process) on the embedded default."""

from __future__ import annotations

from celery import shared_task

from reporting.packs.services import pack_build, packs_sweep


@shared_task(  # type: ignore[untyped-decorator]  # Celery ships no type hints
    name="reporting.build_pack", acks_late=True, reject_on_worker_lost=True
)
def build_pack(pack_id: int) -> str:
    """Build one pack. Idempotent: a redelivered job for a finished pack does nothing.

    Its soft and hard time limits are set on each message from PACK_BUILD_TIME_LIMIT_SECONDS
    (reporting.packs.services._publish), behind the layout's own limit."""
    pack = pack_build(pack_id=pack_id)
    return pack.status if pack is not None else "skipped"


@shared_task(  # type: ignore[untyped-decorator]  # Celery ships no type hints
    name="reporting.sweep_jobs", acks_late=False, ignore_result=True, soft_time_limit=60, time_limit=90
)
def sweep_jobs() -> dict[str, int]:
    """Periodic (celery beat): requeue or fail pack jobs whose worker never came or went away."""
    return packs_sweep()
