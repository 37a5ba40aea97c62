"""Registering, cancelling, waiting lists and cohort enrolment: never more confirmed than seats.

Every change that can fill or free a seat locks the session's row first
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE transaction
already holds the database's write lock), then counts and writes. So any
number of people racing for the last seats end with exactly `capacity`
confirmed, and a seat that frees up goes to the first on the waiting list
in the same transaction.
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub import hotpath
from echohub.accounts.models import User
from echohub.network.services import NO_ACCOUNT
from echohub.pagecache import cache as pagecache
from echohub.programs.models import Group, Program, ProgramMember, Session
from echohub.programs.permissions import is_member
from echohub.programs.services import add_member
from echohub.registration import tasks
from echohub.registration.models import Enrolment, Registration, SessionMessage
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

Status = Registration.Status


class RegistrationRefused(ValidationError):
    """Why this person cannot register for this session now, in words for the page."""


NOT_INVITED = gettext_lazy(
    "This program is by invitation: only those invited may register. Ask its hub for an invitation."
)


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("program").get(pk=session.pk)


def confirmed_count(session: Session) -> int:
    # On the hot path (hotpath.py): every registration counts under the session's lock.
    return hotpath.count(Registration, session=session, status=Status.CONFIRMED)


def seats_left(session: Session) -> int | None:
    """Free seats, or None for a session without a limit."""
    if session.capacity is None:
        return None
    return max(session.capacity - confirmed_count(session), 0)


def announce_fullness(session_id: int) -> None:
    """Whether the session is full, told to the page cache (which bumps on a change)."""
    found = (
        Session.objects.filter(pk=session_id)
        .annotate(taken=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)))
        .values_list("capacity", "taken")
        .first()
    )
    if found is None or found[0] is None:
        return
    capacity, taken = found
    tell_fullness(session_id, taken >= capacity)


def tell_fullness(session_id: int, full: bool) -> None:
    pagecache.bump_if_changed(f"session-full:{session_id}", full)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waitlisted."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = registration.session.registrations.filter(
        status=Status.WAITLISTED, queued_at__lt=registration.queued_at
    ).count()
    same_time_ahead = registration.session.registrations.filter(
        status=Status.WAITLISTED, queued_at=registration.queued_at, pk__lt=registration.pk
    ).count()
    return ahead + same_time_ahead + 1


def refusal(session: Session, person: User) -> str | None:
    """Why `person` may not register for `session` now, or None if they may."""
    program = session.program
    if reason := session_refusal(session):
        return reason
    if not is_member(person, program):
        return str(NOT_INVITED)
    if program.enrolment == Program.Enrolment.COHORT:
        enrolled = Enrolment.objects.filter(
            program=program, person=person, status=Enrolment.Status.ACTIVE
        ).values("group_id")
        if not enrolled:
            return _("This program is for its enrolled cohort: enrol in the program first.")
        if session.group_id and enrolled[0]["group_id"] != session.group_id:
            return _("This session is for another group of the program.")
    return None


def session_refusal(session: Session) -> str | None:
    """Why nobody may register for `session` now (no query beyond its program): what a
    signed-out reader is told instead of being offered to log in and register."""
    if session.program.status != Program.Status.PUBLISHED:
        return _("This program is not open for registration.")
    if session.status == Session.Status.CANCELLED:
        return _("This session is cancelled.")
    if session.starts_at <= timezone.now():
        return _("This session has already started or taken place.")
    if not session.registration_open:
        return _("Registration for this session is closed.")
    return None


def _seat(session: Session, *, approved: bool) -> tuple[str, int | None]:
    """Confirmed while seats last, then waitlisted (pending if the hub approves first);
    with the seats that were left (None: no limit, or not counted)."""
    if session.program.requires_approval and not approved:
        return Status.PENDING, None
    left = seats_left(session)
    return (Status.CONFIRMED if left is None or left > 0 else Status.WAITLISTED), left


def _seat_status(session: Session, *, approved: bool) -> str:
    return _seat(session, approved=approved)[0]


def _place(session: Session, person: User, *, approved: bool = False) -> Registration:
    """Seat `person` (or queue them) on a session already locked by the caller."""
    status = _seat_status(session, approved=approved)
    registration, created = Registration.objects.get_or_create(
        session=session, person=person, defaults={"status": status}
    )
    if not created and not registration.is_active:
        registration.status = status
        registration.queued_at = timezone.now()
        registration.save(update_fields=["status", "queued_at", "updated_at"])
    return registration


def register(person: User, session: Session) -> Registration:
    """Register for an open session: confirmed while seats last, then waitlisted.

    Registering again while registered changes nothing and returns the same row.
    Whatever does not need the seat count is checked before the session's row is
    locked, so in a rush each registration holds the lock for one count and one
    INSERT. Its reads go by the hot path (`echohub.hotpath`, see docs/benchmarks.md).
    """
    existing = hotpath.first(Registration, ("pk", "status"), session=session, person=person)
    if existing is not None and existing["status"] in Registration.ACTIVE:
        return Registration.objects.get(pk=existing["pk"])
    reason = refusal(session, person)
    if reason:
        raise RegistrationRefused(reason)
    try:
        with transaction.atomic():  # the row and its email's task together
            registration = _register_locked(session, person, existing["pk"] if existing else None)
            enqueue_atomically(tasks.tell_registered, registration.pk)
    except IntegrityError:
        # The same person's other submit inserted their row first: theirs stands.
        return Registration.objects.get(session=session, person=person)
    log.info("person %s registered for session %s: %s", person.pk, session.pk, registration.status)
    return registration


_LOCKED_FIELDS = ("status", "registration_open", "capacity", "starts_at")


@transaction.atomic(savepoint=False)  # inside register()'s transaction: no savepoint
def _register_locked(session: Session, person: User, existing: int | None) -> Registration:
    # A coordinator may have closed, cancelled or resized it since the page was read.
    fresh = hotpath.first(Session, _LOCKED_FIELDS, lock=True, pk=session.pk)
    if fresh is None:
        raise Session.DoesNotExist
    for field, value in fresh.items():
        setattr(session, field, value)
    if reason := session_refusal(session):
        raise RegistrationRefused(reason)
    status, left = _seat(session, approved=False)
    if existing is None:
        # A plain INSERT: a simultaneous submit by the same person breaks the
        # unique constraint, and register() answers with the row that got in.
        registration = Registration(session=session, person=person, status=status)
        if status == Status.CONFIRMED and left is not None:
            registration.full_after = left == 1  # this was the last seat
        registration.save(force_insert=True)
        return registration
    again = Registration.objects.get(pk=existing)
    if not again.is_active:  # unless a simultaneous submit re-activated it meanwhile
        again.status, again.queued_at = status, timezone.now()
        again.save(update_fields=["status", "queued_at", "updated_at"])
    return again


def _promote(session: Session) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (session locked)."""
    left = seats_left(session)
    queue = session.registrations.filter(status=Status.WAITLISTED).order_by("queued_at", "pk")
    promoted = list(queue if left is None else queue[:left])
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        enqueue_atomically(tasks.tell_promoted, registration.pk)
        log.info("registration %s promoted from the waiting list", registration.pk)
    return promoted


@transaction.atomic
def cancel(
    registration: Registration,
    *,
    by: User | None = None,
    tell: bool = True,
    via: str = "its signed link",
) -> list[Registration]:
    """Cancel a registration; returns whoever the freed seat went to.

    The person is told by email (with `tell`): their own cancellation confirmed, or
    a coordinator's removal made known. Without `by`, `via` says for the log how it
    came (a signed link, an API token).
    """
    session = _locked(registration.session)
    registration.refresh_from_db()
    if not registration.is_active:
        return []
    freed_seat = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if tell:
        enqueue_atomically(tasks.tell_cancelled, registration.pk)
    log.info("registration %s cancelled by %s", registration.pk, by.pk if by else via)
    return _promote(session) if freed_seat else []


@transaction.atomic
def set_capacity(session: Session, capacity: int | None, *, by: User) -> list[Registration]:
    """Change a session's capacity; raising it promotes from the waiting list.

    Lowering it below the confirmed count keeps everyone already confirmed.
    """
    session = _locked(session)
    session.capacity = capacity
    session.full_clean()
    session.save(update_fields=["capacity", "updated_at"])
    log.info("capacity of session %s set to %s by %s", session.pk, capacity, by.pk)
    return _promote(session)


@transaction.atomic
def set_registration_open(session: Session, is_open: bool, *, by: User) -> None:
    session = _locked(session)
    session.registration_open = is_open
    session.save(update_fields=["registration_open", "updated_at"])
    state = "opened" if is_open else "closed"
    log.info("registration of session %s %s by %s", session.pk, state, by.pk)


def _future_sessions(program: Program) -> QuerySet[Session]:
    return program.sessions.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
    ).order_by("starts_at")


def _register_enrolled(enrolment: Enrolment, sessions: Iterable[Session]) -> None:
    """Register an active enrolment for these sessions: those for everyone, and those of
    its own group."""
    for session in sessions:
        if session.group_id is not None and session.group_id != enrolment.group_id:
            continue
        locked = _locked(session)
        if locked.registration_open:
            _place(locked, enrolment.person, approved=True)


@transaction.atomic
def enrol(
    person: User, program: Program, *, group: Group | None = None, approved: bool = False
) -> Enrolment:
    """Enrol in a cohort program: registered for each of its sessions to come (in a
    program with groups, those of `group` and those for everyone). Enrolling again in
    another group moves the person there.

    `approved`: the hub has already said yes (an invitation accepted), so a program
    that approves each enrolment does not ask again.
    """
    if program.enrolment != Program.Enrolment.COHORT:
        raise RegistrationRefused(_("This program has no enrolment: register for each session."))
    if program.status != Program.Status.PUBLISHED:
        raise RegistrationRefused(_("This program is not open for registration."))
    if not is_member(person, program):
        raise RegistrationRefused(str(NOT_INVITED))
    has_groups = program.groups.exists()
    if has_groups and (group is None or group.program_id != program.pk):
        raise RegistrationRefused(_("Choose the group you will follow."))
    if not has_groups:
        group = None
    waits = program.requires_approval and not approved
    status = Enrolment.Status.PENDING if waits else Enrolment.Status.ACTIVE
    enrolment, created = Enrolment.objects.get_or_create(
        program=program, person=person, defaults={"status": status, "group": group}
    )
    if not created and enrolment.status in (Enrolment.Status.ACTIVE, Enrolment.Status.PENDING):
        if enrolment.group_id != (group.pk if group else None):
            return move_to_group(enrolment, group, by=person)
        return enrolment
    if not created:
        enrolment.status, enrolment.group = status, group
        enrolment.save(update_fields=["status", "group", "updated_at"])
    if enrolment.status == Enrolment.Status.ACTIVE:
        _register_enrolled(enrolment, _future_sessions(program))
    enqueue_atomically(tasks.tell_enrolment, enrolment.pk)
    log.info("person %s enrolled in program %s: %s", person.pk, program.pk, enrolment.status)
    return enrolment


@transaction.atomic
def move_to_group(enrolment: Enrolment, group: Group | None, *, by: User) -> Enrolment:
    """Follow another group: the old group's sessions to come are cancelled (their seats go
    to the waiting list), the new group's registered."""
    if group is not None and group.program_id != enrolment.program_id:
        raise RegistrationRefused(_("Choose the group you will follow."))
    old = enrolment.group_id
    enrolment.group = group
    enrolment.save(update_fields=["group", "updated_at"])
    if old is not None and enrolment.status == Enrolment.Status.ACTIVE:
        for registration in Registration.objects.filter(
            person=enrolment.person,
            session__in=_future_sessions(enrolment.program).filter(group_id=old),
            status__in=Registration.ACTIVE,
        ):
            cancel(registration, by=by, tell=False)
    if enrolment.status == Enrolment.Status.ACTIVE:
        _register_enrolled(enrolment, _future_sessions(enrolment.program))
    enqueue_atomically(tasks.tell_enrolment, enrolment.pk)
    log.info("enrolment %s moved from group %s to %s by %s", enrolment.pk, old, group, by.pk)
    return enrolment


def regroup_session(session: Session) -> None:
    """A session moved to another group (or to everyone): enrolled people no longer of its
    group lose their seat, and those of its group are registered."""
    program = session.program
    if program.enrolment != Program.Enrolment.COHORT or session.starts_at <= timezone.now():
        return
    enrolments = program.enrolments.filter(status=Enrolment.Status.ACTIVE)
    if session.group_id is not None:
        others = enrolments.exclude(group_id=session.group_id).values("person")
        for registration in session.registrations.filter(
            person__in=others, status__in=Registration.ACTIVE
        ):
            cancel(registration, by=None)
    for enrolment in enrolments.select_related("person"):
        _register_enrolled(enrolment, [session])


@transaction.atomic
def leave(enrolment: Enrolment, *, by: User) -> None:
    """End an enrolment and cancel its registrations to come (seats go to the waiting list)."""
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status", "updated_at"])
    for registration in Registration.objects.filter(
        person=enrolment.person,
        session__in=_future_sessions(enrolment.program),
        status__in=Registration.ACTIVE,
    ):
        cancel(registration, by=by, tell=False)  # one enrolment, not an email per session
    # One email for the whole series, its calendar file withdrawing every session.
    enqueue_atomically(tasks.tell_enrolment, enrolment.pk)
    log.info("enrolment %s ended by %s", enrolment.pk, by.pk)


@transaction.atomic
def decide(registration: Registration, *, approve: bool, by: User) -> Registration:
    """A coordinator approves (seat or waiting list) or declines a pending registration."""
    session = _locked(registration.session)
    registration.refresh_from_db()
    if registration.status != Status.PENDING:
        raise RegistrationRefused(_("This registration is no longer awaiting a decision."))
    if approve:
        # Saved as cancelled first, so _place seats it like a new request (and queues it now).
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        registration = _place(session, registration.person, approved=True)
    else:
        registration.status = Status.DECLINED
        registration.save(update_fields=["status", "updated_at"])
    enqueue_atomically(tasks.tell_decided, registration.pk)
    log.info("registration %s decided by %s: %s", registration.pk, by.pk, registration.status)
    return registration


@transaction.atomic
def decide_enrolment(enrolment: Enrolment, *, approve: bool, by: User) -> Enrolment:
    if enrolment.status != Enrolment.Status.PENDING:
        raise RegistrationRefused(_("This enrolment is no longer awaiting a decision."))
    enrolment.status = Enrolment.Status.ACTIVE if approve else Enrolment.Status.DECLINED
    enrolment.save(update_fields=["status", "updated_at"])
    if approve:
        _register_enrolled(enrolment, _future_sessions(enrolment.program))
    enqueue_atomically(tasks.tell_enrolment, enrolment.pk)
    log.info("enrolment %s decided by %s: %s", enrolment.pk, by.pk, enrolment.status)
    return enrolment


def enrol_in_new_sessions(program: Program, sessions: Iterable[Session]) -> None:
    """Sessions added to a cohort program register its active enrolments."""
    if program.enrolment != Program.Enrolment.COHORT:
        return
    for enrolment in program.enrolments.filter(status=Enrolment.Status.ACTIVE).select_related(
        "person"
    ):
        _register_enrolled(enrolment, sessions)


@transaction.atomic
def add_by_staff(session: Session, email: str, *, by: User) -> Registration:
    """A coordinator adds someone: no approval or enrolment needed, seats still counted."""
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise RegistrationRefused(str(NO_ACCOUNT))
    session = _locked(session)
    if session.status == Session.Status.CANCELLED or session.starts_at <= timezone.now():
        raise RegistrationRefused(_("This session is cancelled or has already started."))
    existing = Registration.objects.filter(session=session, person=person).first()
    if existing is not None and existing.status in (Status.CONFIRMED, Status.WAITLISTED):
        raise RegistrationRefused(_("This person is already registered."))
    if existing is not None and existing.status == Status.PENDING:
        existing.status = Status.CANCELLED
        existing.save(update_fields=["status", "updated_at"])
    registration = _place(session, person, approved=True)
    if session.program.by_invitation:  # the hub chose them: they are in the program now
        add_member(session.program, person, source=ProgramMember.Source.ADDED, by=by)
    enqueue_atomically(tasks.tell_registered, registration.pk)
    log.info("person %s added to session %s by %s", person.pk, session.pk, by.pk)
    return registration


def let_in_those_already_in(program: Program) -> int:
    """A program became by invitation: everyone registered or enrolled in it stays in, as a
    member. Returns how many were let in."""
    registered = Registration.objects.filter(
        session__program=program, status__in=Registration.ACTIVE
    ).values_list("person", flat=True)
    enrolled = Enrolment.objects.filter(
        program=program, status__in=(Enrolment.Status.ACTIVE, Enrolment.Status.PENDING)
    ).values_list("person", flat=True)
    people = set(registered) | set(enrolled)
    people -= set(ProgramMember.objects.filter(program=program).values_list("person", flat=True))
    ProgramMember.objects.bulk_create(
        [
            ProgramMember(program=program, person_id=pk, source=ProgramMember.Source.ALREADY_IN)
            for pk in sorted(people)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    log.info("program %s by invitation: %s already in let in", program.pk, len(people))
    return len(people)


def message_recipients(message: SessionMessage) -> QuerySet[Registration]:
    """The registrations a coordinator's message goes to, by its audience."""
    registrations = message.session.registrations.all()
    if message.audience == SessionMessage.Audience.ACTIVE:
        return registrations.filter(status__in=Registration.ACTIVE)
    return registrations.filter(status=message.audience)


@transaction.atomic
def message_registrants(message: SessionMessage, *, by: User) -> SessionMessage:
    """Record a validated message and have a task email each recipient in their language."""
    message.author = by
    message.recipients = message_recipients(message).count()
    message.save()
    enqueue_atomically(tasks.tell_session_message, message.pk)
    log.info(
        "message %s to %s registrants of session %s by %s",
        message.pk,
        message.recipients,
        message.session_id,
        by.pk,
    )
    return message
