"""Telling followers happens in the task worker, never in the request that saved the item.

A topic with thousands of followers took the request past the worker's timeout,
and those after it were never told. Each email has its own reason key, so a
task that stopped midway and runs again reaches only those not reached yet.
"""

from django_tasks import task

from echohub.library import notifications


@task()
def tell_followers_of_resource(resource_id: int) -> int:
    return notifications.new_resource(resource_id)


@task()
def tell_followers_of_version(version_id: int) -> int:
    return notifications.new_version(version_id)
