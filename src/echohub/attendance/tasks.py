"""Background work of attendance: reading an uploaded report."""

from django_tasks import task

from echohub.attendance import services


@task()
def read_import(upload_id: int) -> int:
    """Read and match a report; returns how many lines it found."""
    return len(services.read_import(upload_id).people)
