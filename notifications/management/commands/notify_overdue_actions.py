"""Tell the people around each case of actions that became overdue. Idempotent: run it as often
as wanted (cron on the embedded default; celery beat in production runs the same service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from notifications.services import actions_overdue_notify


def today_option(options: dict[str, Any]) -> dt.date | None:
    """The --today option as a date (None: today), or a clear error. notify_flag_changes reads it too."""
    if not options.get("today"):
        return None
    try:
        return dt.date.fromisoformat(options["today"])
    except ValueError:
        raise CommandError("--today must be a date like 2026-12-03.") from None


class Command(BaseCommand):
    help = "Notify the owners, owning agencies' team members and lead professionals of overdue actions (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="The day to judge overdue on (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        told = actions_overdue_notify(today=today_option(options))
        self.stdout.write(f"{told} notification(s) of overdue actions.")
