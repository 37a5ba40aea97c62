"""Followers are told by the task worker, not in the request that saved the resource."""

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from echohub.library import services
from echohub.library.models import Follow, Resource
from echohub.reference.models import Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_resource_is_announced_by_one_queued_task(settings: Any, reference_lists) -> None:
    from tests.factories import HubFactory, StaffRoleFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    topic = Topic.objects.first()
    for n in range(25):
        Follow.objects.create(person=UserFactory(email=f"f{n}@example.org"), topic=topic)
    hub = HubFactory()
    coordinator = StaffRoleFactory(hub=hub).person
    services.save_resource(
        Resource(hub=hub, kind="tool", title_en="Chart", url="https://example.org/c"),
        by=coordinator,
        topics=[topic],
        professions=[],
        practice_settings=[],
    )
    # The request is done: nobody told yet, one task waiting.
    assert mail.outbox == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("tell_followers_of_resource")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    # The fan-out's emails go to the outbox and their own tasks; the worker runs them too.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"f{n}@example.org" for n in range(25))
