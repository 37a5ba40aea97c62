"""The video platforms' background work: thin tasks that take ids and call services."""

from django_tasks import task

from echohub.video import services


@task()
def check_connection(connection_id: int) -> bool:
    connection = services.run_check(connection_id)
    return connection is not None and connection.check_status == connection.Check.WORKS
