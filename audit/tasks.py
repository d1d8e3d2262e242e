"""Background jobs of the audit app."""

from __future__ import annotations

from celery import shared_task

from audit.sealer import audit_seal


@shared_task(  # type: ignore[untyped-decorator]  # Celery ships no type hints
    name="audit.seal", acks_late=False, ignore_result=True, soft_time_limit=120, time_limit=150
)
def seal() -> int:
    """Periodic (celery beat): chain the pending audit rows and write a signed checkpoint."""
    return audit_seal()
