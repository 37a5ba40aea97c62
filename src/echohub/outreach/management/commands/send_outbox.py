"""`echohub send_outbox`: send the bulk email that is due (run it every few minutes).

The task worker sends updates and digests as soon as they are queued; this
picks up whatever a worker that stopped midway left, and retries that are due.
"""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.outreach.services import send_batch
from echohub.workers import leases


class Command(BaseCommand):
    help = "Send queued bulk email (updates, digests) in batches. Safe to run as often as you like."

    def handle(self, *args: Any, **options: Any) -> None:
        handled = 0
        with leases.held():  # were it killed, its claimed rows are freed within a lease
            while taken := send_batch():
                handled += taken
        self.stdout.write(f"{handled} email(s) handled")
