"""The video platforms' background work: thin tasks that take ids and call services."""

from typing import Any

from django_tasks import task

from echohub.video import meetings, platforms, services
from echohub.video.models import Connection
from echohub.video.platforms.base import Made, Problem


@task()
def check_connection(connection_id: int) -> bool:
    connection = services.run_check(connection_id)
    return connection is not None and connection.check_status == connection.Check.WORKS


@task()
def sync_meeting(session_id: int) -> str:
    meeting = meetings.sync(session_id)
    return meeting.state if meeting else ""


@task()
def fetch_attendance(meeting_id: int) -> int | None:
    upload = meetings.fetch_attendance(meeting_id)
    return upload.pk if upload else None


@task()
def find_recordings(meeting_id: int) -> int:
    return len(meetings.find_recordings(meeting_id))


@task()
def remove_meeting(connection_id: int, external_id: str, details: dict[str, Any]) -> bool:
    """A deleted session's meeting, removed from the platform (its row went with it)."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return False
    try:
        platforms.client(connection).remove(Made(external_id, details=details))
    except Problem:
        return False
    return True


@task()
def add_recording(meeting_id: int, external_id: str, by_id: int) -> int | None:
    from echohub.accounts.models import User

    resource = meetings.add_recording(meeting_id, external_id, by=User.objects.get(pk=by_id))
    return resource.pk if resource else None
