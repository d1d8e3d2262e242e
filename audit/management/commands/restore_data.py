from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.backup import RestoreRefused, restore_read


class Command(BaseCommand):
    help = (
        "Load a file written by `manage.py backup_data` into a freshly migrated, empty database, all "
        "or nothing, then verify the audit trail's hash chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            audit_rows = restore_read(path=file)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {file}; audit chain verified over {audit_rows} rows.")
