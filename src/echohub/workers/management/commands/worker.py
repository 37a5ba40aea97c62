"""`echohub worker`: run background tasks (use it rather than `db_worker`).

It is django-tasks' database worker, holding a lease (`echohub.workers.leases`)
while it runs: if it dies, whatever it was doing is taken up again by another
worker, or by itself once restarted, within about TASK_LEASE_SECONDS.
"""

from argparse import ArgumentParser
from typing import Any

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from echohub.workers import leases


class Command(DatabaseWorker):
    help = "Run the background tasks; a worker that dies leaves nothing undone."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # The reloader runs tasks in a child process under another worker id.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        # Each start is a new lease, even under a fixed --worker-id (systemd's
        # %H-%i): a restarted worker must not pass for the one that died.
        options["worker_id"] = f"{options['worker_id'][:55]}.{get_random_string(8)}"
        with leases.held(options["worker_id"]):
            requeued = leases.requeue_orphans()
            if requeued:
                self.stderr.write(f"{requeued} task(s) of a dead worker queued again")
            super().handle(*args, **options)
