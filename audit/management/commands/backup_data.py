from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.backup import backed_up_labels, backup_write


class Command(BaseCommand):
    help = (
        "Write every row of the service's data (users, agencies, cases, people, entries and their "
        "revisions, genograms, flags, packs, the audit trail) to one JSON file. Pack PDFs live in "
        "MEDIA_ROOT: copy that folder alongside. Restore with `manage.py restore_data FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="The JSON file to write.")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        digest = backup_write(out=out)
        self.stdout.write(f"Backed up {len(backed_up_labels())} tables to {out} (sha256 {digest}).")
