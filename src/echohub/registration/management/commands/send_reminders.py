"""`echohub send_reminders`: queue the session reminders due now (run it every 5 minutes)."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.registration.notifications import send_due_reminders


class Command(BaseCommand):
    help = "Queue the reminder emails due now. Safe to run as often as you like."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_due_reminders()
        self.stdout.write(f"{queued} reminder(s) queued")
