"""`echohub requeue_stale_tasks`: run again the tasks whose worker died (every 5 minutes).

A worker killed mid-task (out of memory, a deploy, SIGKILL) leaves its task
"running" for good: django-tasks' database backend has no lease. A task
running longer than `--after` minutes (30 by default; EchoHub's longest,
the bulk sender, hands over after 4) is taken to be orphaned and queued again.
Every EchoHub task may run twice: emails have unique reasons, certificates
are issued once per person and activity, batches skip what is done.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Queue again the tasks left running by a worker that died."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--after", type=int, default=30, help="minutes running (30)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        stale = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            started_at__lt=now - dt.timedelta(minutes=options["after"]),
        )
        count = stale.update(status=TaskResultStatus.READY, started_at=None, run_after=now)
        self.stdout.write(f"{count} task(s) left running by a dead worker queued again")
