"""Send the daily digest emails (cron once a day on the embedded default; celery beat in production)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.emails import send_digests


class Command(BaseCommand):
    help = "Email each user one digest of their unread notifications of the kinds they take daily."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest email(s) sent.")
