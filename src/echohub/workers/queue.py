"""Queueing a task so that it exists exactly when the caller's transaction commits."""

from functools import partial
from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_atomically(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Queue `task` with the caller's transaction: both are kept, or neither.

    On the database backend the task's row is written inside the transaction, so
    a process killed just after the commit cannot lose it. Queued from
    `transaction.on_commit`, it could: the crash drill (.ci/crash_drill.py) lost
    one certificate email in 3,000 that way. On a backend that runs tasks at once
    (the immediate one), the task runs after the commit, as it always did.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))
