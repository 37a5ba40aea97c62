"""Work whose process died is taken up again, and runs to its end once.

Workers hold a lease renewed by a heartbeat (echohub.workers.leases): a task,
an email claim or a certificate batch held by a lease that stopped beating is
done again; one held by a live lease is left alone.
"""

import datetime as dt
import time
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from echohub.outreach import services as outreach
from echohub.outreach.models import OutboxMessage
from echohub.outreach.tasks import send_outbox_message
from echohub.workers import leases
from echohub.workers.models import Lease
from tests.factories import UserFactory
from tests.outreach.test_casl import bulk
from tests.outreach.test_outbox import queue

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def lease(worker: str, *, silent_for: float) -> Lease:
    return Lease.objects.create(
        id=worker, beat_at=timezone.now() - dt.timedelta(seconds=silent_for)
    )


def run_worker(command: str = "db_worker") -> None:
    call_command(command, "--batch", "--no-startup-delay", verbosity=0)


def test_a_task_of_a_worker_whose_lease_lapsed_runs_again_once(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    message = queue(UserFactory())
    assert message is not None
    [task] = DBTaskResult.objects.all()
    # A leased worker takes it, and is killed before it finishes: its heartbeat stops.
    lease("dead-worker", silent_for=settings.TASK_LEASE_SECONDS + 1)
    task.claim("dead-worker")
    run_worker()
    assert mail.outbox == []  # plain db_worker never looks at a running task
    # `echohub worker` puts it back as it starts, then runs it.
    run_worker("worker")
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == "sent"
    assert not Lease.objects.exists()  # the dead lease is gone, and the worker left its own
    # Run again (as if the dead worker had sent it after all): nothing more goes.
    send_outbox_message.enqueue(message.pk)
    run_worker("worker")
    assert len(mail.outbox) == 1


def test_a_task_of_a_live_worker_is_left_alone(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    queue(UserFactory())
    lease("busy-worker", silent_for=1)
    DBTaskResult.objects.get().claim("busy-worker")
    assert leases.requeue_orphans() == 0
    run_worker("worker")
    assert DBTaskResult.objects.get().status == "RUNNING"
    assert mail.outbox == []


def test_a_task_run_without_a_lease_counts_as_orphaned_after_half_an_hour(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    queue(UserFactory())
    task = DBTaskResult.objects.get()
    task.claim("plain-db-worker")
    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    assert "0 task(s)" in out.getvalue()
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=45)
    )
    call_command("requeue_stale_tasks", stdout=out)
    assert "1 task(s)" in out.getvalue()
    assert DBTaskResult.objects.get().status == "READY"


def test_the_heartbeat_keeps_a_lease_alive_and_finds_orphans(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.TASK_LEASE_SECONDS = 0.4  # a beat every 0.1 s
    queue(UserFactory())
    lease("dead-worker", silent_for=5)
    DBTaskResult.objects.get().claim("dead-worker")
    with leases.held("live-worker") as held:
        assert leases.current() == held == "live-worker"
        first = Lease.objects.get(id=held).beat_at
        time.sleep(0.6)
        # Its own lease was renewed; the silent one's task was queued again by a beat.
        assert Lease.objects.get(id=held).beat_at > first
        assert DBTaskResult.objects.get().status == "READY"
        assert list(Lease.objects.values_list("id", flat=True)) == ["live-worker"]
    assert leases.current() is None
    assert not Lease.objects.exists()


def test_a_worker_that_starts_while_another_looks_for_orphans_is_not_taken_for_dead(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers started together (the scale-out drill's): the second's lease appeared
    between the first's two reads of the leases. It was taken for dead and its lease
    deleted, so until its next beat its claimed emails looked abandoned and went twice."""
    settings.TASKS = DATABASE_TASKS
    queue(UserFactory())
    task = DBTaskResult.objects.get()
    bulk(["claimed@example.org"])
    mail.outbox.clear()
    read_leases = leases.alive

    def newcomer_starts_meanwhile(now: Any = None) -> Any:
        ids = set(read_leases(now))
        Lease.objects.create(id="newcomer", beat_at=timezone.now())
        task.claim("newcomer")
        OutboxMessage.objects.filter(bulk=True).update(
            status="sending", claimed_at=timezone.now(), claimed_by="newcomer"
        )
        return ids

    monkeypatch.setattr(leases, "alive", newcomer_starts_meanwhile)
    assert leases.requeue_orphans() == 0
    monkeypatch.undo()
    assert Lease.objects.filter(id="newcomer").exists()
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"
    with leases.held("other-sender"):
        assert outreach.send_batch() == 0  # the newcomer's claim is its own
    assert OutboxMessage.objects.get(bulk=True).status == "sending"
    assert mail.outbox == []


def test_a_lease_that_beats_as_it_is_found_silent_is_kept(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lease("slow-worker", silent_for=settings.TASK_LEASE_SECONDS + 1)
    lease("dead-worker", silent_for=settings.TASK_LEASE_SECONDS + 1)
    real_alive = leases.alive

    def slow_worker_beats(now: Any = None) -> Any:
        ids = set(real_alive(now))
        Lease.objects.filter(id="slow-worker").update(beat_at=timezone.now())
        return ids

    monkeypatch.setattr(leases, "alive", slow_worker_beats)
    leases.requeue_orphans()
    assert list(Lease.objects.values_list("id", flat=True)) == ["slow-worker"]


def test_emails_claimed_by_a_dead_sender_go_once_and_a_live_senders_stay_put(
    settings: Any,
) -> None:
    bulk(["dead@example.org", "live@example.org"])  # (the test backend sends them at once)
    mail.outbox.clear()
    lease("dead-sender", silent_for=settings.TASK_LEASE_SECONDS + 1)
    lease("live-sender", silent_for=1)
    now = timezone.now()  # a fresh claim: only the lease tells them apart
    OutboxMessage.objects.filter(to_email="dead@example.org").update(
        status="sending", claimed_at=now, claimed_by="dead-sender"
    )
    OutboxMessage.objects.filter(to_email="live@example.org").update(
        status="sending", claimed_at=now, claimed_by="live-sender"
    )
    with leases.held("this-sender"):
        assert outreach.send_batch() == 1
    assert [m.to for m in mail.outbox] == [["dead@example.org"]]
    sent = OutboxMessage.objects.get(to_email="dead@example.org")
    assert (sent.status, sent.claimed_by) == ("sent", "this-sender")
    assert OutboxMessage.objects.get(to_email="live@example.org").status == "sending"
    # The Message-ID is the row's own: a copy sent again after a crash is the same message.
    assert mail.outbox[0].extra_headers["Message-ID"] == outreach.message_id(sent)
    assert f"<outbox.{sent.pk}." in outreach.message_id(sent)


def test_each_email_is_marked_sent_as_soon_as_the_server_took_it(settings: Any) -> None:
    """A sender interrupted mid-batch leaves those it sent marked, the last one included."""
    bulk([f"p{i}@example.org" for i in range(6)])
    OutboxMessage.objects.update(status="queued")  # as before the test backend sent them
    mail.outbox.clear()
    settings.EMAIL_BACKEND = "tests.test_stale_tasks.DiesAfterThree"
    with pytest.raises(KeyboardInterrupt):
        outreach.send_batch()
    statuses = list(OutboxMessage.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["sent", "sent", "sent", "sending", "sending", "sending"]


class DiesAfterThree(locmem.EmailBackend):
    """Takes three emails, then the process is interrupted before the fourth is marked."""

    def send_messages(self, messages: Any) -> int:
        if len(mail.outbox) == 3:
            raise KeyboardInterrupt
        return super().send_messages(messages)


def test_a_worker_restarted_under_the_same_id_takes_up_what_it_left(settings: Any) -> None:
    """systemd restarts `echohub worker --worker-id host-1` under the same id: the
    task the killed process held must not pass for the new one's."""
    settings.TASKS = DATABASE_TASKS
    queue(UserFactory())
    settings.TASK_LEASE_SECONDS = 0.4
    lease("host-1.deadbeef", silent_for=1)  # the killed incarnation
    DBTaskResult.objects.get().claim("host-1.deadbeef")
    call_command("worker", "--batch", "--no-startup-delay", "--worker-id", "host-1", verbosity=0)
    [task] = DBTaskResult.objects.all()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[0] == "host-1.deadbeef"
    assert task.worker_ids[-1].startswith("host-1.")
    assert task.worker_ids[-1] != "host-1.deadbeef"
    assert len(mail.outbox) == 1


def test_a_task_is_queued_with_its_transaction_or_not_at_all(settings: Any) -> None:
    """Queued from on_commit, a task could be lost to a kill right after the commit (the
    crash drill lost one certificate email in 3,000 so); queued inside, it cannot."""
    from django.db import transaction

    from echohub.workers.queue import enqueue_atomically

    settings.TASKS = DATABASE_TASKS
    message = queue(UserFactory())
    assert message is not None
    DBTaskResult.objects.all().delete()
    seen_inside = []

    def rolled_back() -> None:
        with transaction.atomic():
            enqueue_atomically(send_outbox_message, message.pk)
            seen_inside.append(DBTaskResult.objects.count())
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rolled_back()
    assert seen_inside == [1]  # written in the transaction...
    assert not DBTaskResult.objects.exists()  # ...and gone with it
    with transaction.atomic():
        enqueue_atomically(send_outbox_message, message.pk)
    assert DBTaskResult.objects.count() == 1
