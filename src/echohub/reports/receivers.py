"""The aggregates follow the changes that move a figure: attendance saved (imports, marks,
adjustments, check-ins), a registration of a session with attendance made, changed or
deleted (and with it a person who is erased), a hub role given or taken back (hub staff
count apart), a session moved to another day, a profile changed. Each refresh runs in a
task after the change commits."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from echohub import hotpath
from echohub.accounts.models import User
from echohub.accounts.services import profile_updated
from echohub.attendance.models import Attendance
from echohub.attendance.signals import attendance_saved
from echohub.network.models import StaffRole
from echohub.programs.models import Session
from echohub.programs.services import session_moved
from echohub.registration.models import Registration
from echohub.reports import tasks
from echohub.reports.models import Participation


@receiver(attendance_saved)
def attendance_changed(sender: Any, session: Session, **kwargs: Any) -> None:
    tasks.refresh_sessions.enqueue([session.pk])


@receiver(session_moved)
def session_changed(sender: Any, session: Session, **kwargs: Any) -> None:
    if Participation.objects.filter(session=session).exists():
        tasks.refresh_sessions.enqueue([session.pk])


@receiver(profile_updated)
def profile_changed(sender: Any, person: User, **kwargs: Any) -> None:
    if Participation.objects.filter(person=person).exists():
        tasks.refresh_people.enqueue([person.pk])


@receiver(post_save, sender=Registration)
@receiver(post_delete, sender=Registration)
@receiver(post_delete, sender=Attendance)
def row_changed(sender: Any, instance: Registration | Attendance, **kwargs: Any) -> None:
    """A change the attendance services do not announce, to a session already counted."""
    session_id = instance.session_id
    # Every registration passes here: the question goes by the hot path (hotpath.py).
    if sender is Attendance or hotpath.first(Attendance, ("pk",), session=session_id):
        transaction.on_commit(lambda: tasks.refresh_sessions.enqueue([session_id]))


@receiver(post_save, sender=StaffRole)
@receiver(post_delete, sender=StaffRole)
def role_changed(sender: Any, instance: StaffRole, **kwargs: Any) -> None:
    """Whether someone is hub staff decides how their presence counts in that hub."""
    sessions = list(
        Participation.objects.filter(hub_id=instance.hub_id, person_id=instance.person_id)
        .values_list("session_id", flat=True)
        .distinct()
    )
    if sessions:
        transaction.on_commit(lambda: tasks.refresh_sessions.enqueue(sessions))
