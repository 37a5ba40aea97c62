"""`echohub requeue_stale_tasks`: run again the tasks whose worker died.

Every `echohub worker` does this at each heartbeat; the command is for sites
that run none between deploys, or that run plain `db_worker`, whose tasks hold
no lease and count as orphaned after `--after` minutes.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from echohub.workers import leases


class Command(BaseCommand):
    help = "Queue again the tasks left running by a worker that died."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--after",
            type=int,
            default=30,
            help="minutes after which a task run without a lease counts as orphaned (30)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = leases.requeue_orphans(dt.timedelta(minutes=options["after"]))
        self.stdout.write(f"{count} task(s) left running by a dead worker queued again")
