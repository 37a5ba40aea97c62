"""Worker leases: a heartbeat per process, and the work of dead processes put back.

A process that runs background work (`echohub worker`, `echohub send_outbox`)
holds a lease while it runs: a row whose `beat_at` a thread renews every
quarter of TASK_LEASE_SECONDS. Work is tagged with the lease that took it (the
task's worker id, an email's `claimed_by`). Once a lease has not beaten for
TASK_LEASE_SECONDS its process is taken to be dead, and its work is queued
again: every live worker checks at each beat, so a killed worker's task is
resumed within about a lease and a quarter, by a sibling or by itself restarted.

Everything EchoHub runs in the background may therefore run twice: emails
have unique reasons and are marked sent one by one, certificates are issued
once per person and activity, batches skip what is done.
"""

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from echohub.workers.models import Lease

log = logging.getLogger(__name__)

# Tasks run by a plain `db_worker` hold no lease: they count as orphaned once
# they have run this long (EchoHub's longest task hands over after 4 minutes).
UNLEASED_AFTER = dt.timedelta(minutes=30)

_held: str | None = None


def current() -> str | None:
    """The lease this process holds, if it runs under one."""
    return _held


def _cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.TASK_LEASE_SECONDS)


def alive(now: dt.datetime | None = None) -> "QuerySet[Lease, str]":
    """The ids of the leases still beating (a subquery)."""
    return Lease.objects.filter(beat_at__gte=_cutoff(now or timezone.now())).values_list(
        "id", flat=True
    )


def _renew(lease_id: str) -> None:
    now = timezone.now()
    if not Lease.objects.filter(id=lease_id).update(beat_at=now):
        # Taken for dead and removed while we were slow: we are back.
        Lease.objects.update_or_create(
            id=lease_id,
            defaults={"beat_at": now, "host": socket.gethostname()[:200], "pid": os.getpid()},
        )


def _beat(lease_id: str, stop: threading.Event) -> None:
    while not stop.wait(settings.TASK_LEASE_SECONDS / 4):
        try:
            _renew(lease_id)
            requeue_orphans()
        except DatabaseError:
            # SQLite busy with the main thread's write, or the database away: next beat.
            log.warning("lease %s: heartbeat missed", lease_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections


@contextmanager
def held(lease_id: str | None = None) -> Iterator[str]:
    """Hold a lease for the duration of the block, renewed by a background thread."""
    global _held
    lease_id = lease_id or get_random_string(32)
    _renew(lease_id)
    stop = threading.Event()
    thread = threading.Thread(target=_beat, args=(lease_id, stop), name="lease", daemon=True)
    _held = lease_id
    thread.start()
    try:
        yield lease_id
    finally:
        stop.set()
        thread.join(timeout=10)
        _held = None
        Lease.objects.filter(id=lease_id).delete()


def requeue_orphans(unleased_after: dt.timedelta = UNLEASED_AFTER) -> int:
    """Queue again the tasks left running by a dead worker; how many.

    A task's worker is the last of its `worker_ids`. It is dead when its lease
    stopped beating, or, for a worker that held none, when the task has run
    longer than `unleased_after`.
    """
    now = timezone.now()
    # Known before live: a worker that starts between the two reads is then in
    # neither, and its lease and task are left alone. Read the other way round
    # it was known but not live, and taken for dead: its lease was deleted, so
    # for a beat every email it had claimed looked abandoned and went twice.
    known = set(Lease.objects.values_list("id", flat=True))
    live = set(alive(now))
    orphans = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for pk, worker_ids, started_at in running.values_list("pk", "worker_ids", "started_at"):
        worker = worker_ids[-1] if worker_ids else ""
        if worker in live:
            continue
        if worker in known or started_at is None or started_at < now - unleased_after:
            orphans.append(pk)
    count = DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None, run_after=now
    )
    if count:
        log.warning("%s task(s) left running by a dead worker queued again", count)
    # Only those still silent as they are deleted: one that beat meanwhile stays.
    Lease.objects.filter(id__in=known - live, beat_at__lt=_cutoff(now)).delete()
    return count
