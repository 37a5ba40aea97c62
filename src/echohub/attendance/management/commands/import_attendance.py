"""`echohub import_attendance SESSION FILE`: import a participant report from the shell.

It prints the same preview as the page (who matched, who is ambiguous, who was
not found). With --dry-run it stops there and changes nothing. Otherwise it saves
the matched people and records the unmatched as walk-ins; ambiguous lines are
left out unless --best takes each one's best candidate.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from echohub.accounts.models import User
from echohub.attendance import services
from echohub.attendance.models import AttendanceImport
from echohub.programs.models import Session
from echohub.timezones import is_valid_zone


class Command(BaseCommand):
    help = "Import a Zoom, Teams or plain CSV participant report for a session."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("session", type=int, help="the session's id")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--zone", help="time zone of the report's times (default: the program's)"
        )
        parser.add_argument("--by", required=True, help="email of the staff account doing it")
        parser.add_argument("--dry-run", action="store_true", help="print the preview only")
        parser.add_argument("--best", action="store_true", help="take ambiguous lines' best match")

    def handle(self, *args: Any, **options: Any) -> None:
        session = Session.objects.select_related("program").filter(pk=options["session"]).first()
        if session is None:
            raise CommandError(f"No session has the id {options['session']}.")
        by = User.objects.filter(email__iexact=options["by"]).first()
        if by is None:
            raise CommandError(f"No account has the address {options['by']}.")
        zone = options["zone"] or session.program.timezone
        if not is_valid_zone(zone):
            raise CommandError(f"Unknown time zone {zone!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with transaction.atomic():
            try:
                upload = services.preview_import(
                    session, path.read_bytes(), filename=path.name, by=by, report_zone=zone
                )
            except services.AttendanceError as error:
                raise CommandError(str(error)) from error
            self._print(upload)
            if options["dry_run"]:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing saved.")
                return
            decisions = services.suggested_decisions(upload)
            for index, row in enumerate(upload.people):
                if index not in decisions:
                    best = row["choices"][0][0] if options["best"] and row["choices"] else None
                    decisions[index] = str(best) if best else services.IGNORE
            changed = services.apply_import(upload, decisions, by=by)
        self.stdout.write(f"Saved: {changed} attendance record(s) changed.")

    def _print(self, upload: AttendanceImport) -> None:
        self.stdout.write(f"{upload.filename}: {upload.platform}, {len(upload.people)} people")
        for warning in upload.warnings:
            self.stdout.write(f"WARNING: {warning}")
        for row in upload.people:
            who = row["email"] or "-"
            match = row["status"]
            if row["person"]:
                match += f" person {row['person']} ({row['confidence']} %)"
            elif row["choices"]:
                match += " " + ", ".join(
                    f"person {pid} ({score} %)" for pid, score in row["choices"]
                )
            self.stdout.write(f"  {row['name']} <{who}> {row['minutes']} min: {match}")
