"""Background work of updates: thin tasks that take ids and call the fan-outs.

Each fan-out records one outbox row per person and reason, so a task that
died midway and runs again queues only what is missing.
"""

from django_tasks import task

from echohub.updates import digests


@task()
def email_update(update_id: int) -> int:
    return digests.email_update(update_id)
