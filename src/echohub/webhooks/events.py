"""What each event says, and the signals that raise it.

The data are the API's own shapes (a session as `GET /api/v1/sessions/{id}/` gives it,
a registration as the registrations list does), so a receiver reads one format.
Nothing of a case is ever in one: no event is about a case, and the shapes used
hold no case field (tests/webhooks: a case's text is searched for in every body).
"""

from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_save

from echohub.api.partner import CertificateSerializer, RegistrationSerializer
from echohub.api.serializers import SessionSerializer
from echohub.attendance.signals import attendance_saved
from echohub.certificates.models import Certificate
from echohub.evaluations.models import Completion
from echohub.evaluations.signals import evaluation_completed
from echohub.programs.models import Program, Session
from echohub.programs.services import program_published, session_cancelled, sessions_added
from echohub.registration.models import Registration
from echohub.webhooks import statements
from echohub.webhooks.models import Event, Subscription
from echohub.webhooks.services import queue, queue_statements


def _hooked(hub_id: int) -> bool:
    """Whether the hub has any webhook (a paused one keeps what happens for later): the
    one question asked on every change."""
    return Subscription.objects.filter(hub_id=hub_id).exists()


def _session(event: str, session: Session) -> None:
    program = session.program
    if program.status != Program.Status.PUBLISHED or not _hooked(program.hub_id):
        return
    data = SessionSerializer(session).data
    queue(event, program.hub_id, f"session:{session.pk}", data)


def on_sessions_added(sender: Any, program: Program, sessions: list[Session], **kw: Any) -> None:
    if program.status != Program.Status.PUBLISHED or not _hooked(program.hub_id):
        return
    added = Session.objects.filter(pk__in=[s.pk for s in sessions])
    for session in added.select_related("program__hub", "group"):
        _session(Event.SESSION_PUBLISHED, session)


def on_program_published(sender: Any, program: Program, **kw: Any) -> None:
    for session in program.sessions.select_related("program__hub", "group"):
        _session(Event.SESSION_PUBLISHED, session)


def on_session_saved(sender: Any, instance: Session, created: bool, **kw: Any) -> None:
    if not created and instance.status == Session.Status.SCHEDULED:
        _session(Event.SESSION_CHANGED, instance)


def on_session_cancelled(sender: Any, session: Session, **kw: Any) -> None:
    _session(Event.SESSION_CANCELLED, session)


def on_registration_saved(sender: Any, instance: Registration, created: bool, **kw: Any) -> None:
    fields = kw.get("update_fields")
    if created or (instance.is_active and fields and "queued_at" in fields):
        event = Event.REGISTRATION_CREATED  # new, or registered again after cancelling
    elif instance.status == Registration.Status.CANCELLED and (not fields or "status" in fields):
        event = Event.REGISTRATION_CANCELLED
    else:
        return
    # One question on the registration's hot path: is its hub hooked at all?
    hub_id = (
        Subscription.objects.filter(hub__programs__sessions=instance.session_id)
        .values_list("hub_id", flat=True)
        .first()
    )
    if hub_id is not None:
        data = RegistrationSerializer(instance).data
        queue(event, hub_id, f"registration:{instance.pk}", data)


def on_attendance_saved(sender: Any, session: Session, **kw: Any) -> None:
    hub_id = session.program.hub_id
    if not _hooked(hub_id):
        return
    present = session.attendance.filter(present=True)
    figures = present.aggregate(attended=Count("pk"), minutes=Sum("minutes"))
    data = {
        "session": session.pk,
        "program": session.program.slug,
        "attended": figures["attended"],
        "minutes": figures["minutes"] or 0,
        "attendance": f"/api/v1/attendance/?session={session.pk}",
    }
    with transaction.atomic():
        queue(Event.ATTENDANCE_SAVED, hub_id, f"session:{session.pk}:attendance", data)
        rows = present.select_related("person", "session__program")
        records = [(f"attendance:{row.pk}", statements.attended(row)) for row in rows]
        queue_statements(
            session.program_id, Event.ATTENDANCE_SAVED, [(a, s) for a, s in records if s]
        )


def on_certificate_saved(sender: Any, instance: Certificate, created: bool, **kw: Any) -> None:
    if not created:
        return
    hub_id = Program.objects.values_list("hub_id", flat=True).get(pk=instance.program_id)
    if _hooked(hub_id):
        data = CertificateSerializer(instance).data
        about = f"certificate:{instance.pk}"
        queue(Event.CERTIFICATE_ISSUED, hub_id, about, data)
        statement = statements.earned(instance)
        queue_statements(instance.program_id, Event.CERTIFICATE_ISSUED, [(about, statement)])


def on_evaluation_completed(sender: Any, completion: Completion, **kw: Any) -> None:
    program = completion.program
    if not _hooked(program.hub_id):
        return
    person = completion.person
    data = {
        "program": program.slug,
        "session": completion.session_id,
        "phase": completion.phase,
        "status": completion.status,
        "completed_at": completion.completed_at.isoformat() if completion.completed_at else None,
        "person": {"name": person.name, "email": person.email},
    }
    with transaction.atomic():
        queue(Event.EVALUATION_COMPLETED, program.hub_id, f"completion:{completion.pk}", data)


def connect() -> None:
    uid = "echohub.webhooks"
    sessions_added.connect(on_sessions_added, dispatch_uid=f"{uid}.sessions_added")
    program_published.connect(on_program_published, dispatch_uid=f"{uid}.program_published")
    session_cancelled.connect(on_session_cancelled, dispatch_uid=f"{uid}.session_cancelled")
    post_save.connect(on_session_saved, sender=Session, dispatch_uid=f"{uid}.session")
    post_save.connect(on_registration_saved, sender=Registration, dispatch_uid=f"{uid}.reg")
    post_save.connect(on_certificate_saved, sender=Certificate, dispatch_uid=f"{uid}.cert")
    attendance_saved.connect(on_attendance_saved, dispatch_uid=f"{uid}.attendance")
    evaluation_completed.connect(on_evaluation_completed, dispatch_uid=f"{uid}.evaluation")
