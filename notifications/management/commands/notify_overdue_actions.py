"""Tell the people around each case of actions that became overdue. Idempotent: run it as often
as wanted (cron on the embedded default; celery beat in production runs the same service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from notifications.services import actions_overdue_notify


class Command(BaseCommand):
    help = "Notify the owners, owning agencies' team members and lead professionals of overdue actions (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="The day to judge overdue on (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today must be a date like 2026-12-03.") from None
        told = actions_overdue_notify(today=today)
        self.stdout.write(f"{told} notification(s) of overdue actions.")
