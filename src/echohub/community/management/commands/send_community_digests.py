"""`echohub send_community_digests`: the daily digest of the discussion spaces (run it daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.community.notifications import send_daily_digests


class Command(BaseCommand):
    help = "Email each person who chose a daily digest the last day's posts they follow."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = send_daily_digests()
        self.stdout.write(f"{queued} digest(s) queued")
