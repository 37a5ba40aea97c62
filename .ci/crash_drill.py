"""The crash drill: kill a worker with SIGKILL mid-work, restart it, and lose nothing.

Run by `.ci/run` on a scratch PostgreSQL database (any DATABASE_URL works,
migrated or not):

    DATABASE_URL=postgres://... .venv/bin/python .ci/crash_drill.py

1. A bulk issue of 3,000 certificates: the worker is killed once a quarter
   of them are out, then started again. The batch must end "done" with every
   participant holding exactly one certificate, and each certificate email
   sent (a copy sent twice must carry the same Message-ID).
2. A bulk send of 5,000 emails: the worker is killed a third of the way in,
   then started again. Every email must arrive; the (at most two) copies in
   flight at the kill may arrive twice, under the same Message-ID (mail clients
   merge them).

The emails go to a real SMTP server on loopback (aiosmtpd). Workers renew
their lease every second (TASK_LEASE_SECONDS=4), so the restarted one takes
up the dead one's work within a few seconds. Exits non-zero on any loss.
"""

import collections
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echohub.settings")
os.environ["TASKS_BACKEND"] = "database"
os.environ["TASK_LEASE_SECONDS"] = "4"

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_tasks.base import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from tests.certificates.test_certificates import accredit, held  # noqa: E402
from tests.factories import ProgramFactory, UserFactory  # noqa: E402
from tests.outreach.smtp import Sink, free_port  # noqa: E402

from echohub.accounts.models import User  # noqa: E402
from echohub.attendance.models import Attendance  # noqa: E402
from echohub.certificates import services as certificates  # noqa: E402
from echohub.certificates.models import Certificate, CertificateBatch  # noqa: E402
from echohub.outreach import services as outreach  # noqa: E402
from echohub.outreach.models import OutboxMessage  # noqa: E402

CERTIFICATES = 3000
EMAILS = 5000
TIMEOUT = 600  # seconds for either part


def say(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", flush=True)


class Worker:
    """`echohub worker` in its own process, sending to the sink."""

    def __init__(self, smtp_port: int, log: Path) -> None:
        self.env = {
            **os.environ,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "echohub", "worker", "--no-startup-delay", "--interval=0.2"],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        say(f"worker started (pid {self.process.pid})")

    def kill(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        say(f"worker {self.process.pid} killed with SIGKILL")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def wait_for(what: str, done: Callable[[], bool], worker: Worker) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done():
        if worker.process is not None and worker.process.poll() is not None:
            sys.exit(f"the worker exited ({worker.process.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


def unsent() -> int:
    return OutboxMessage.objects.filter(status__in=["queued", "sending"]).count()


def idle() -> bool:
    """No task waiting or running, and no email waiting: the work is over. (No email
    waiting alone is not enough: a task that queues one may still be running.)"""
    busy = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return not busy.exists() and unsent() == 0


def check_mail(sink: Sink, rows: "list[OutboxMessage]", kills: int, label: str) -> None:
    """Every row arrived; a copy twice is the same message (Message-ID), two at most a kill."""
    with sink.lock:
        received = collections.Counter(str(m.message["Message-ID"]) for m in sink.messages)
    expected = {outreach.message_id(row) for row in rows}
    missing = expected - set(received)
    twice = {mid: n for mid, n in received.items() if mid in expected and n > 1}
    say(
        f"{label}: {len(expected)} emails expected, {len(expected) - len(missing)} arrived, "
        f"{sum(n - 1 for n in twice.values())} extra copies of {len(twice)} (same Message-ID)"
    )
    if missing:
        sys.exit(f"{label}: {len(missing)} emails never arrived")
    if any(row.status != "sent" for row in rows):
        sys.exit(f"{label}: some emails are not marked sent")
    if sum(n - 1 for n in twice.values()) > 2 * kills:
        sys.exit(f"{label}: more copies sent twice than workers killed: {twice}")


def certificates_part(sink: Sink, worker: Worker) -> None:
    say(f"part 1: a batch of {CERTIFICATES} certificates")
    program = ProgramFactory()
    coordinator = UserFactory()
    session = held(program, 2)
    accredit(program)
    people = User.objects.bulk_create(
        User(email=f"drill{i:05d}@example.org", name=f"Drill {i:05d}") for i in range(CERTIFICATES)
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, person=p, minutes=55, source="report") for p in people
    )
    worker.start()
    batch = certificates.start_batch(program, session, by=coordinator)

    def issued() -> int:
        return Certificate.objects.filter(session=session).count()

    wait_for(f"{CERTIFICATES // 4} certificates", lambda: issued() >= CERTIFICATES // 4, worker)
    worker.kill()
    batch.refresh_from_db()
    at_kill = issued()
    say(f"killed at {at_kill} of {CERTIFICATES}: the batch reads {batch.status}, {batch.issued}")
    if batch.status == "done" or at_kill >= CERTIFICATES:
        sys.exit("the batch finished before the kill: the drill proves nothing")
    worker.start()
    wait_for(
        "the batch to finish",
        lambda: CertificateBatch.objects.get(pk=batch.pk).status == "done",
        worker,
    )
    batch.refresh_from_db()
    holders = Certificate.objects.filter(session=session).values("person").annotate(n=Count("pk"))
    counts = collections.Counter(row["n"] for row in holders)
    say(f"batch done: {batch.issued} issued; certificates per person: {dict(counts)}")
    if batch.issued != CERTIFICATES or counts != {1: CERTIFICATES}:
        sys.exit("certificates were lost or issued twice")
    wait_for("the certificate emails", idle, worker)
    rows = list(OutboxMessage.objects.filter(kind="certificate.issued"))
    if len(rows) != CERTIFICATES:
        sys.exit(f"{len(rows)} certificate emails queued for {CERTIFICATES} certificates")
    check_mail(sink, rows, 1, "certificate emails")


def emails_part(sink: Sink, worker: Worker) -> None:
    say(f"part 2: a bulk send of {EMAILS} emails")
    with sink.lock:
        sink.messages.clear()
    addresses = outreach.mail_addresses([f"reader{i:05d}@example.org" for i in range(EMAILS)])
    program = ProgramFactory()
    session = held(program, -7)
    queued = outreach.queue_bulk(
        kind="session.reminder",
        recipients=[
            outreach.BulkRecipient(a, f"drill:{a.pk}", "en", zoneinfo.ZoneInfo("America/Toronto"))
            for a in addresses.values()
        ],
        context={"session": session, "program": program, "offset_minutes": 60},
        hub=program.hub,
    )
    say(f"{queued} emails queued")

    def arrived() -> int:
        with sink.lock:
            return len(sink.messages)

    wait_for(f"{EMAILS // 3} emails", lambda: arrived() >= EMAILS // 3, worker)
    worker.kill()
    say(f"killed with {arrived()} of {EMAILS} arrived, {unsent()} not marked sent")
    if unsent() == 0:
        sys.exit("the send finished before the kill: the drill proves nothing")
    worker.start()
    wait_for("every email to be sent", idle, worker)
    rows = list(OutboxMessage.objects.filter(reason_key__startswith="drill:"))
    if len(rows) != EMAILS:
        sys.exit(f"{len(rows)} emails queued for {EMAILS} readers")
    check_mail(sink, rows, 1, "bulk emails")


def main() -> None:
    started = time.monotonic()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
    call_command("migrate", verbosity=0)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    log = Path(tempfile.gettempdir()) / "echohub-crash-drill-worker.log"
    say(f"the workers write to {log}")
    worker = Worker(controller.port, log)
    try:
        certificates_part(sink, worker)
        emails_part(sink, worker)
    finally:
        worker.stop()
        controller.stop()
    say(f"the crash drill passed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
