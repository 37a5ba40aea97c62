"""`echohub backup FOLDER`: the database and the private files, with a manifest (docs/deploy.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from echohub.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the private files into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder that does not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["folder"])
        except (BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from None
        rows = ", ".join(f"{label} {n}" for label, n in manifest["counts"].items())
        self.stdout.write(f"backed up to {options['folder']}: {rows}")
