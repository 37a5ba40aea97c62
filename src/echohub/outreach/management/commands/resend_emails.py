"""`echohub resend_emails`: try failed emails again, after a mail server outage.

    echohub resend_emails --since 2026-12-04T08:00 --until 2026-12-04T12:00
    echohub resend_emails --reason registration:     # reasons starting with this
    echohub resend_emails --since 2026-12-04 --dry-run

Only failed messages are taken; each starts its attempts afresh. Times are on
the site's clock (TIME_ZONE) and compare with when the email was queued.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import resend


def moment(text: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{text!r} is not a date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Send failed emails again, chosen by reason or by the time they were queued."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reason", default="", help="reasons starting with this")
        parser.add_argument("--since", type=moment, help="queued at or after")
        parser.add_argument("--until", type=moment, help="queued before")
        parser.add_argument("--dry-run", action="store_true", help="say how many, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["reason"] or options["since"] or options["until"]):
            raise CommandError("Choose them: --reason, --since or --until (or several).")
        chosen = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        if options["reason"]:
            chosen = chosen.filter(reason_key__startswith=options["reason"])
        if options["since"]:
            chosen = chosen.filter(created_at__gte=options["since"])
        if options["until"]:
            chosen = chosen.filter(created_at__lt=options["until"])
        if options["dry_run"]:
            self.stdout.write(f"{chosen.count()} failed email(s) would be sent again")
            return
        self.stdout.write(f"{resend(chosen)} failed email(s) queued again")
