"""Background jobs of notifications (Celery; eager on the embedded default). celery beat runs the
overdue-action check, the daily flag sweep and the daily digest (config/celery.py); without Redis,
cron runs `manage.py notify_overdue_actions`, `manage.py notify_flag_changes` and
`manage.py send_notification_digests`."""

from __future__ import annotations

from celery import shared_task

from notifications import emails, services


@shared_task(  # type: ignore[untyped-decorator]  # Celery ships no type hints
    name="notifications.send_immediate_emails", acks_late=True, ignore_result=True
)
def send_immediate_emails(ids: list[int]) -> int:
    """Email notifications just committed. Idempotent: an emailed notification is not sent again."""
    return emails.send_immediate(ids)


@shared_task(  # type: ignore[untyped-decorator]
    name="notifications.notify_overdue_actions", acks_late=False, ignore_result=True
)
def notify_overdue_actions() -> int:
    """Periodic: tell of actions that became overdue. Idempotent: each is told once."""
    return services.actions_overdue_notify()


@shared_task(  # type: ignore[untyped-decorator]
    name="notifications.sweep_flags", acks_late=False, ignore_result=True
)
def sweep_flags() -> int:
    """Periodic (daily, before the digest): tell of flags that opened with time alone. Idempotent."""
    return services.flags_sweep_notify()


@shared_task(  # type: ignore[untyped-decorator]
    name="notifications.send_digests", acks_late=False, ignore_result=True
)
def send_digests() -> int:
    """Periodic (daily): the digest emails of notifications taken once a day."""
    return emails.send_digests()
