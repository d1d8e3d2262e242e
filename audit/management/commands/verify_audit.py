from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.sealer import audit_seal
from audit.selectors import audit_chain_report


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from the first sealed row to the last, and against the "
        "latest signed checkpoint. Exits non-zero and names the first broken row if any row was "
        "changed, removed or inserted out of order, or says how many rows are missing after the "
        "checkpoint if the newest rows were removed. Reports how many rows wait for the sealer "
        "(--seal seals them first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seal", action="store_true", help="Seal the pending rows first.")

    def handle(self, *args: Any, seal: bool = False, **options: Any) -> None:
        if seal:
            self.stdout.write(f"Sealed {audit_seal()} pending rows.")
        report = audit_chain_report()
        waiting = f"{report.pending} rows waiting to be sealed."
        if report.broken_id is not None:
            raise CommandError(
                f"Audit chain broken at row id={report.broken_id}: {report.problem}. "
                f"{report.checked} rows before it verified. {waiting}"
            )
        if not report.ok:
            raise CommandError(f"Audit chain incomplete: {report.problem}. {report.checked} rows verified. {waiting}")
        checkpoint = (
            f", the latest signed checkpoint ({report.checkpoint_count} rows) reached"
            if report.checkpoint_count is not None
            else ", no checkpoint yet"
        )
        self.stdout.write(
            f"Audit chain intact: {report.checked} rows verified, head {report.head}{checkpoint}. {waiting}"
        )
