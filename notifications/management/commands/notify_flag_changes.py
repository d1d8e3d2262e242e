"""Evaluate every open case's flags and tell the people around each case of flags that opened with
time alone. Idempotent: run it daily from cron on the embedded default; celery beat in production
runs the same service (notifications.sweep_flags)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.management.commands.notify_overdue_actions import today_option
from notifications.services import flags_sweep_notify


class Command(BaseCommand):
    help = "Tell the people around each open case of flags that opened with time alone (once each)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="The day to evaluate the flags on (YYYY-MM-DD); today by default.")

    def handle(self, *args: Any, **options: Any) -> None:
        told = flags_sweep_notify(today=today_option(options))
        self.stdout.write(f"{told} notification(s) of flags that opened.")
