"""What registrants are told by email, and when.

Registration services call these functions once their transaction commits
(`transaction.on_commit`), passing ids: each reads the registration as it now
is, and sends nothing if it has moved on since. Every email gets a reason key
that makes it unique: running a function twice sends one email, while a
later change (a new registration, a session moved again) gets a new key.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import lazy

from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import CalendarFile, queue_email
from echohub.programs.models import LONGEST_REMINDER_MINUTES, Session
from echohub.registration import calendars
from echohub.registration import services as registration_services
from echohub.registration.links import cancel_url
from echohub.registration.models import Enrolment, Registration, SessionMessage

Status = Registration.Status

KIND_ON_REGISTERING = {
    Status.CONFIRMED: "registration.confirmed",
    Status.WAITLISTED: "registration.waitlisted",
    Status.PENDING: "registration.pending",
}


def _stamp(moment: dt.datetime) -> int:
    """A change's time to the microsecond, to tell two changes of one row apart in a key."""
    return int(moment.timestamp() * 1_000_000)


def _absolute(path: Callable[[], str]) -> str:
    return settings.SITE_URL.rstrip("/") + path()


# URLs carry the language (/en/, /fr/): resolved when the email is rendered, in its language.
_lazy_absolute = lazy(_absolute, str)


def _registration(registration_id: int) -> Registration | None:
    return (
        Registration.objects.select_related("person", "session__program__hub")
        .filter(pk=registration_id)
        .first()
    )


def _lang(person: Any) -> str:
    return str(person.preferred_language or settings.LANGUAGE_CODE)


def _calendar_file(registration: Registration) -> CalendarFile:
    session = registration.session
    lang = _lang(registration.person)
    event = calendars.session_event(
        session,
        include_join_link=_may_join(registration),
        lang=lang,
        changed_at=registration.updated_at,
    )
    with translation.override(lang):
        content = calendars.calendar_for([event], name=str(session.title))
    return CalendarFile(filename=f"session-{session.pk}.ics", content=content.decode())


def _cancellation_file(
    registrations: list[Registration], name: str, filename: str, lang: str
) -> CalendarFile:
    """METHOD:CANCEL for these registrations' events: their calendars drop them."""
    events = [
        calendars.cancelled_event(r.session, changed_at=r.updated_at, lang=lang)
        for r in registrations
    ]
    with translation.override(lang):
        content = calendars.cancellation_for(events, name=name)
    return CalendarFile(filename=filename, content=content.decode())


def _session_cancellation_file(registration: Registration) -> CalendarFile:
    lang = _lang(registration.person)
    with translation.override(lang):
        name = str(registration.session.title)
    return _cancellation_file(
        [registration], name, f"session-{registration.session.pk}-cancelled.ics", lang
    )


def _may_join(registration: Registration) -> bool:
    return registration.status == Status.CONFIRMED and not registration.session.is_cancelled


def _send(
    registration: Registration,
    kind: str,
    reason_key: str,
    *,
    extra: dict[str, Any] | None = None,
    with_calendar: bool = True,
    calendar: CalendarFile | None = None,
) -> OutboxMessage | None:
    """Queue one email about a registration; `calendar` replaces the usual calendar file."""
    session = registration.session
    context: dict[str, Any] = {
        "registration": registration,
        "session": session,
        "program": session.program,
        "session_url": _lazy_absolute(session.get_absolute_url),
        # The join link goes only to confirmed registrants of a session still on.
        "join_url": session.join_url if _may_join(registration) else "",
        "cancel_url": (
            _lazy_absolute(lambda: cancel_url(registration))
            if registration.is_active and not session.is_cancelled
            else ""
        ),
        **(extra or {}),
    }
    return queue_email(
        person=registration.person,
        kind=kind,
        reason_key=reason_key,
        context=context,
        hub=session.program.hub,
        calendar=calendar or (_calendar_file(registration) if with_calendar else None),
    )


def registered(registration_id: int) -> OutboxMessage | None:
    """Confirmed, waitlisted (with the position) or awaiting approval."""
    registration = _registration(registration_id)
    if registration is None or registration.status not in KIND_ON_REGISTERING:
        return None
    return _send(
        registration,
        KIND_ON_REGISTERING[Status(registration.status)],
        f"registration:{registration.pk}:{registration.status}:{_stamp(registration.updated_at)}",
        extra={"position": registration_services.waitlist_position(registration)},
        with_calendar=registration.status == Status.CONFIRMED,
    )


def promoted(registration_id: int) -> OutboxMessage | None:
    """A seat freed up and went to this person from the waiting list."""
    registration = _registration(registration_id)
    if registration is None or registration.status != Status.CONFIRMED:
        return None
    return _send(
        registration,
        "registration.promoted",
        f"registration:{registration.pk}:promoted:{_stamp(registration.updated_at)}",
    )


def decided(registration_id: int) -> OutboxMessage | None:
    """A coordinator approved (seat or waiting list) or declined a pending registration."""
    registration = _registration(registration_id)
    if registration is None or registration.status == Status.PENDING:
        return None
    approved = registration.status in (Status.CONFIRMED, Status.WAITLISTED)
    if not approved and registration.status != Status.DECLINED:
        return None
    return _send(
        registration,
        "registration.approved" if approved else "registration.declined",
        f"registration:{registration.pk}:decided:{registration.status}:"
        f"{_stamp(registration.updated_at)}",
        extra={"position": registration_services.waitlist_position(registration)},
        with_calendar=registration.status == Status.CONFIRMED,
    )


def cancelled(registration_id: int) -> OutboxMessage | None:
    """The person's own cancellation, confirmed (with the calendar entry withdrawn)."""
    registration = _registration(registration_id)
    if registration is None or registration.status != Status.CANCELLED:
        return None
    return _send(
        registration,
        "registration.cancelled",
        f"registration:{registration.pk}:cancelled:{_stamp(registration.updated_at)}",
        calendar=_session_cancellation_file(registration),
    )


ENROLMENT_KINDS = {
    Enrolment.Status.ACTIVE: "enrolment.active",
    Enrolment.Status.PENDING: "enrolment.pending",
    Enrolment.Status.DECLINED: "enrolment.declined",
    Enrolment.Status.CANCELLED: "enrolment.cancelled",
}


def _left_registrations(enrolment: Enrolment) -> list[Registration]:
    """The registrations that leaving the program cancelled (each after the enrolment's end)."""
    return list(
        Registration.objects.filter(
            person=enrolment.person,
            session__program=enrolment.program,
            session__starts_at__gt=timezone.now(),
            status=Status.CANCELLED,
            updated_at__gte=enrolment.updated_at,
        )
        .select_related("session__program")
        .order_by("session__starts_at")
    )


def enrolment_changed(enrolment_id: int) -> OutboxMessage | None:
    """Enrolled (every session to come listed, all in one calendar file), pending, declined
    or left (every session to come withdrawn from the calendar, in one file).

    One email for the whole series: not one per session.
    """
    enrolment = (
        Enrolment.objects.select_related("person", "program__hub").filter(pk=enrolment_id).first()
    )
    if enrolment is None or enrolment.status not in ENROLMENT_KINDS:
        return None
    program, person = enrolment.program, enrolment.person
    if enrolment.status == Enrolment.Status.CANCELLED:
        return _left(enrolment)
    registrations = list(
        Registration.objects.filter(
            person=person,
            session__program=program,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=timezone.now(),
            status__in=(Status.CONFIRMED, Status.WAITLISTED),
        )
        .select_related("session__program")
        .order_by("session__starts_at")
    )
    calendar = None
    if enrolment.status == Enrolment.Status.ACTIVE and registrations:
        lang = _lang(person)
        events = [
            calendars.session_event(
                r.session,
                include_join_link=r.status == Status.CONFIRMED,
                lang=lang,
                changed_at=r.updated_at,
            )
            for r in registrations
        ]
        with translation.override(lang):
            content = calendars.calendar_for(events, name=str(program.title))
        calendar = CalendarFile(filename=f"program-{program.slug}.ics", content=content.decode())
    return queue_email(
        person=person,
        kind=ENROLMENT_KINDS[Enrolment.Status(enrolment.status)],
        reason_key=f"enrolment:{enrolment.pk}:{enrolment.status}:{_stamp(enrolment.updated_at)}",
        context={
            "enrolment": enrolment,
            "program": program,
            "program_url": _lazy_absolute(program.get_absolute_url),
            "registrations": registrations,
        },
        hub=program.hub,
        calendar=calendar,
    )


def _left(enrolment: Enrolment) -> OutboxMessage | None:
    program, person = enrolment.program, enrolment.person
    registrations = _left_registrations(enrolment)
    calendar = None
    if registrations:
        lang = _lang(person)
        with translation.override(lang):
            name = str(program.title)
        calendar = _cancellation_file(
            registrations, name, f"program-{program.slug}-cancelled.ics", lang
        )
    return queue_email(
        person=person,
        kind="enrolment.cancelled",
        reason_key=f"enrolment:{enrolment.pk}:cancelled:{_stamp(enrolment.updated_at)}",
        context={
            "enrolment": enrolment,
            "program": program,
            "program_url": _lazy_absolute(program.get_absolute_url),
            "registrations": registrations,
        },
        hub=program.hub,
        calendar=calendar,
    )


def _registrants(session: Session) -> QuerySet[Registration]:
    return session.registrations.filter(status__in=Registration.ACTIVE).select_related(
        "person", "session__program__hub"
    )


def _unsent(keyed: dict[str, Registration]) -> dict[str, Registration]:
    """The registrations whose email (by reason key) is not in the outbox yet: one query."""
    sent = set(
        OutboxMessage.objects.filter(reason_key__in=list(keyed)).values_list(
            "reason_key", flat=True
        )
    )
    return {key: registration for key, registration in keyed.items() if key not in sent}


def session_message(message_id: int) -> int:
    """A coordinator's message, to each recipient in their language; returns how many queued.

    Run again (a retried task), it queues only those not reached yet.
    """
    message = SessionMessage.objects.select_related("session").filter(pk=message_id).first()
    if message is None:
        return 0
    recipients = registration_services.message_recipients(message).select_related(
        "person", "session__program__hub"
    )
    keyed = {
        f"{message.reason_prefix}{registration.pk}": registration for registration in recipients
    }
    queued = 0
    for key, registration in _unsent(keyed).items():
        queued += (
            _send(
                registration,
                "session.message",
                key,
                extra={"message": message},
                with_calendar=False,
            )
            is not None
        )
    return queued


def notify_session_changed(session: Session) -> int:
    """Tell every registrant the session's new time; returns how many emails were queued."""
    session = Session.objects.get(pk=session.pk)
    queued = 0
    for registration in _registrants(session):
        key = f"session:{session.pk}:changed:{_stamp(session.updated_at)}:{registration.pk}"
        queued += _send(registration, "session.changed", key) is not None
    return queued


def notify_session_cancelled(session: Session) -> int:
    """Tell every registrant the session is cancelled; their calendars drop it."""
    session = Session.objects.get(pk=session.pk)
    queued = 0
    for registration in _registrants(session):
        key = f"session:{session.pk}:cancelled:{registration.pk}"
        calendar = _session_cancellation_file(registration)
        queued += _send(registration, "session.cancelled", key, calendar=calendar) is not None
    return queued


def _reminder_offset(starts_at: dt.datetime, now: dt.datetime, offsets: list[int]) -> int | None:
    """The reminder due now: the shortest offset whose window holds the start.

    One session an hour away gets the one-hour reminder only, not the one-day
    reminder as well.
    """
    due = [minutes for minutes in offsets if now < starts_at <= now + dt.timedelta(minutes=minutes)]
    return min(due, default=None)


def _time_left(left: dt.timedelta) -> dict[str, int]:
    """How a reminder says when: in N days, tomorrow (20–36 hours), in N hours, or soon."""
    hours = round(left.total_seconds() / 3600)
    days = hours // 24 if hours >= 36 else (1 if hours >= 20 else 0)
    return {"days": days, "hours": hours}


def send_due_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders due now, as each program asks; returns how many (0 on a rerun).

    The key holds the session's start, so a session that moves gets its
    reminders again for its new time. The sessions are few and read first; the
    registrants of a session with a reminder due are checked against the outbox
    in one query, so the job stays cheap when it runs every few minutes.
    """
    now = now or timezone.now()
    horizon = now + dt.timedelta(minutes=LONGEST_REMINDER_MINUTES)
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=horizon
    ).select_related("program__hub")
    queued = 0
    for session in sessions:
        offset = _reminder_offset(session.starts_at, now, session.program.reminder_minutes or [])
        if offset is None:
            continue
        stamp = int(session.starts_at.timestamp())
        registrations = {
            f"reminder:{registration.pk}:{offset}:{stamp}": registration
            for registration in session.registrations.filter(
                status=Status.CONFIRMED
            ).select_related("person", "session__program__hub")
        }
        extra = _time_left(session.starts_at - now)
        for key, registration in _unsent(registrations).items():
            queued += _send(registration, "session.reminder", key, extra=extra) is not None
    return queued
