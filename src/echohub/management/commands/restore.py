"""`echohub restore FOLDER`: a backup put back into an empty database, its counts checked."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from echohub.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and private folder, and check its counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by `echohub backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = restore(options["folder"])
        except (BackupError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        rows = ", ".join(f"{label} {n}" for label, n in found.items())
        self.stdout.write(f"restored, the counts match the backup's: {rows}")
