"""Background work of reports: keeping the aggregates up to date after a change."""

from django_tasks import task

from echohub.reports import aggregates


@task()
def refresh_sessions(session_ids: list[int]) -> None:
    aggregates.refresh_sessions(session_ids)


@task()
def refresh_people(person_ids: list[int]) -> None:
    aggregates.refresh_people(person_ids)
