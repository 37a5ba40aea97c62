"""`echohub record_bounces FILE…`: suppress the addresses that bounced for good.

Each FILE is a bounce message as the mail server returned it (a delivery
status notification, `.eml`) or a provider's bounce webhook body saved as JSON
(`.json`, or any file that starts with `{` or `[`); `-` reads one from
standard input, so a bounce mailbox can be piped in. Soft bounces are listed
and left alone; a file that is not a bounce (an auto-reply) is reported and
skipped. It prints one line per recipient, naming the address by its row
(Admin → Email addresses) rather than by itself: cron output ends up in logs.
"""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from echohub.outreach.bounces import Bounce, NotABounce, parse_dsn, parse_provider_event
from echohub.outreach.services import record_bounce


def read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise CommandError(f"{name}: {error.strerror}") from None


def bounces_in(data: bytes) -> list[Bounce]:
    if data.lstrip()[:1] in (b"{", b"["):
        try:
            payload = json.loads(data)
        except ValueError as error:
            raise NotABounce(f"JSON that does not parse ({error})") from None
        return parse_provider_event(payload)
    return parse_dsn(data)


class Command(BaseCommand):
    help = "Suppress the addresses that bounced permanently, from bounce messages or webhook JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="bounce messages (.eml) or JSON; - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        suppressed = 0
        for name in options["files"]:
            try:
                found = bounces_in(read(name))
            except NotABounce as reason:
                self.stderr.write(f"{name}: skipped, {reason}")
                continue
            for bounce in found:
                status = bounce.status or "no status"
                if not bounce.hard:
                    self.stdout.write(f"{name}: a temporary failure ({status}), left alone")
                    continue
                address = record_bounce(bounce.email, source=f"bounce {bounce.status}".strip())
                suppressed += 1
                self.stdout.write(f"{name}: address {address.pk} suppressed ({status})")
        self.stdout.write(f"{suppressed} address(es) suppressed")
