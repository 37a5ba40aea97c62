"""The signals that make meetings follow sessions: each queues a sync of the sessions it
is about, in the transaction of the change, for programs that use a video platform."""

from typing import Any

from django.db.models.signals import post_save, pre_delete

from echohub.programs.models import Program, Session
from echohub.programs.services import (
    program_published,
    session_cancelled,
    sessions_added,
)
from echohub.video import meetings
from echohub.video.models import Meeting, ProgramVideo
from echohub.workers.queue import enqueue_atomically


def _uses_video(program_id: int) -> bool:
    return ProgramVideo.objects.filter(program_id=program_id).exists()


def on_sessions_added(sender: Any, program: Program, sessions: list[Session], **kw: Any) -> None:
    if _uses_video(program.pk):
        meetings.follow([s.pk for s in sessions])


def on_program_published(sender: Any, program: Program, **kw: Any) -> None:
    if _uses_video(program.pk):
        meetings.follow_program(program)


def on_session_changed(sender: Any, session: Session, **kw: Any) -> None:
    if _uses_video(session.program_id):
        meetings.follow([session.pk])


def on_session_saved(sender: Any, instance: Session, created: bool, **kw: Any) -> None:
    # Moved, renamed or cancelled (a new session has its own signal, as have a series
    # and a program's cancellation, which save no session one by one).
    if not created and _uses_video(instance.program_id):
        meetings.follow([instance.pk])


def on_session_deleted(sender: Any, instance: Session, **kw: Any) -> None:
    from echohub.video import tasks

    meeting = Meeting.objects.filter(session=instance).exclude(external_id="").first()
    if meeting is not None and meeting.state != Meeting.State.REMOVED:
        enqueue_atomically(
            tasks.remove_meeting, meeting.connection_id, meeting.external_id, meeting.details
        )


def connect() -> None:
    uid = "echohub.video"
    sessions_added.connect(on_sessions_added, dispatch_uid=f"{uid}.sessions_added")
    program_published.connect(on_program_published, dispatch_uid=f"{uid}.program_published")
    session_cancelled.connect(on_session_changed, dispatch_uid=f"{uid}.session_cancelled")
    post_save.connect(on_session_saved, sender=Session, dispatch_uid=f"{uid}.session_saved")
    pre_delete.connect(on_session_deleted, sender=Session, dispatch_uid=f"{uid}.session_deleted")
