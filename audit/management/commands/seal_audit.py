import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.sealer import audit_seal


class Command(BaseCommand):
    help = (
        "Chain the pending audit rows and write a signed checkpoint (what the audit.seal beat task "
        "does). With --every SECONDS, keep doing it (for a host without Celery beat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0.0, help="Seal again every SECONDS, until stopped.")

    def handle(self, *args: Any, every: float = 0.0, **options: Any) -> None:
        while True:
            sealed = audit_seal()
            if not every:
                self.stdout.write(f"Sealed {sealed} audit rows.")
                return
            time.sleep(every)
