"""Keeping registrations in step with what happens to programs."""

from typing import Any

from django.dispatch import receiver

from echohub.programs.models import Program, Session
from echohub.programs.services import session_cancelled, session_moved, sessions_added
from echohub.registration import tasks
from echohub.registration.services import enrol_in_new_sessions
from echohub.workers.queue import enqueue_atomically


@receiver(sessions_added)
def register_cohort_for_new_sessions(
    sender: type, *, program: Program, sessions: list[Session], **kwargs: Any
) -> None:
    enrol_in_new_sessions(program, sessions)


# The signals fire inside the change's transaction: tell people once it is committed.
@receiver(session_moved)
def tell_registrants_of_the_move(sender: type, *, session: Session, **kwargs: Any) -> None:
    enqueue_atomically(tasks.tell_session_changed, session.pk)


@receiver(session_cancelled)
def tell_registrants_of_the_cancellation(sender: type, *, session: Session, **kwargs: Any) -> None:
    enqueue_atomically(tasks.tell_session_cancelled, session.pk)
