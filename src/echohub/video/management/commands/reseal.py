"""`echohub reseal`: seal every kept secret again under the first of SECRETS_KEYS.

Rotating the key: put a new key (`echohub reseal --new-key`) first in
SECRETS_KEYS, keeping the old one after it; restart; run `echohub reseal`;
then drop the old key (docs/deploy.md).
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from echohub import sealing
from echohub.video import services


class Command(BaseCommand):
    help = "Seal the video platforms' secrets again under the first of SECRETS_KEYS."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--new-key", action="store_true", help="Print a new key for SECRETS_KEYS and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(sealing.new_key())
            return
        count = services.reseal_all()
        self.stdout.write(f"{count} connection(s) sealed again under the first key.")
