"""`echohub video_due` (every minute, from cron): what the video platforms' meetings need
by now, queued for the worker: failed calls' retries, rooms to open, reports to fetch."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from echohub.video.meetings import due


class Command(BaseCommand):
    help = "Queue the meetings' retries, rooms to open and attendance reports to fetch."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            queued = due()
        self.stdout.write(
            f"{queued['synced']} meeting(s) to sync, {queued['fetching']} report(s) to fetch."
        )
