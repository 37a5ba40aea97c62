"""`echohub send_digests weekly|monthly`: queue this period's digest (run it daily).

Once a period per subscriber, whenever it runs in that period: run it every
morning and the weekly digest goes on Monday, the monthly on the 1st, and a
missed day is caught up the next.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from echohub.updates.digests import send_digests
from echohub.updates.models import Frequency


class Command(BaseCommand):
    help = "Queue the weekly or monthly digest of this period. Safe to run as often as you like."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("frequency", choices=[Frequency.WEEKLY, Frequency.MONTHLY])

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_digests(options["frequency"])
        self.stdout.write(f"{queued} digest(s) queued")
