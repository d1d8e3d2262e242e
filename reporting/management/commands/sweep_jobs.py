"""Requeue or fail pack jobs whose worker never came or went away. Idempotent.

celery beat runs the same sweep every minute in production; the embedded default (no Redis) can run
this from cron, e.g. every five minutes. Exit status 0; prints what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reporting.packs.services import packs_sweep


class Command(BaseCommand):
    help = "Requeue or fail pack jobs that are stuck: queued with no worker, or running with a dead worker."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = packs_sweep()
        self.stdout.write(f"Packs requeued: {counts['requeued']}; failed: {counts['failed']}.")
