"""A task whose worker died is queued again and runs to its end once."""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from echohub.outreach.models import OutboxMessage
from echohub.outreach.tasks import send_outbox_message
from tests.factories import UserFactory
from tests.outreach.test_outbox import queue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_left_running_runs_again_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = queue(UserFactory())
    assert message is not None
    [task] = DBTaskResult.objects.all()
    # A worker claims it, and is killed before it finishes.
    task.claim("dead-worker")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=45)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert mail.outbox == []  # nobody picks up a running task
    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    assert "1 task(s)" in out.getvalue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == "sent"
    # Run again (as if the dead worker had sent it after all): nothing more goes.
    send_outbox_message.enqueue(message.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_task_running_for_a_short_while_is_left_alone(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queue(UserFactory())
    DBTaskResult.objects.get().claim("busy-worker")
    out = StringIO()
    call_command("requeue_stale_tasks", stdout=out)
    assert "0 task(s)" in out.getvalue()
