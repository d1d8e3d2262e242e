from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_chain_report


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain from the first row to the last. Exits non-zero and names "
        "the first broken row if any row was changed, removed or inserted out of order. Record the "
        "printed head hash elsewhere to detect later removal of the newest rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_report()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at row id={report.broken_id}: {report.problem}. "
                f"{report.checked} rows before it verified."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} rows verified, head {report.head}.")
