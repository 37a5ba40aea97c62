"""Keeping registrations in step with what happens to programs."""

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from echohub.programs.models import Program, Session
from echohub.programs.services import (
    became_by_invitation,
    session_cancelled,
    session_moved,
    session_regrouped,
    sessions_added,
)
from echohub.registration import tasks
from echohub.registration.models import Registration
from echohub.registration.services import (
    announce_fullness,
    enrol_in_new_sessions,
    let_in_those_already_in,
    regroup_session,
    tell_fullness,
)
from echohub.workers.queue import enqueue_atomically


@receiver(sessions_added)
def register_cohort_for_new_sessions(
    sender: type, *, program: Program, sessions: list[Session], **kwargs: Any
) -> None:
    enrol_in_new_sessions(program, sessions)


@receiver(became_by_invitation)
def keep_those_already_in(sender: type, *, program: Program, **kwargs: Any) -> None:
    """Becoming by invitation puts nobody out: whoever is in becomes a member."""
    let_in_those_already_in(program)


@receiver(session_regrouped)
def follow_the_sessions_group(sender: type, *, session: Session, **kwargs: Any) -> None:
    regroup_session(session)


# The signals fire inside the change's transaction: tell people once it is committed.
@receiver(session_moved)
def tell_registrants_of_the_move(sender: type, *, session: Session, **kwargs: Any) -> None:
    enqueue_atomically(tasks.tell_session_changed, session.pk)


@receiver(session_cancelled)
def tell_registrants_of_the_cancellation(sender: type, *, session: Session, **kwargs: Any) -> None:
    enqueue_atomically(tasks.tell_session_cancelled, session.pk)


@receiver(post_save, sender=Registration)
@receiver(post_delete, sender=Registration)
def seats_taken_or_freed(
    sender: type, *, instance: Registration, created: bool = False, **kwargs: Any
) -> None:
    """A kept session page says, signed out, whether the session is full: tell the page
    cache once the change is in. Joining a waiting list changes no seat."""
    if created and instance.status != Registration.Status.CONFIRMED:
        return
    if instance.full_after is not None:  # the service knew: no count needed
        told = partial(tell_fullness, instance.session_id, instance.full_after)
    else:
        told = partial(announce_fullness, instance.session_id)
    transaction.on_commit(told, robust=True)
