"""Who is asked which evaluation, and when: run every few minutes by `send_evaluations`.

Nothing is scheduled ahead. Each run computes, from each published program's
plan and its sessions' times, which evaluations are open now; makes the
completions of the people who should be asked (from attendance, not
registration, for what follows a session); and emails each completion's
invitation, and one reminder, under reason keys (`evaluation:<completion>`,
`evaluation-reminder:<completion>`): a second run sends nothing new. The
database picks what is due (completions whose invitation is not in the outbox
yet, reminders whose delay has passed), so a run reads no more than it sends.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase, Plan
from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import queue_email
from echohub.programs.models import Program, Session
from echohub.registration.models import Enrolment, Registration

log = logging.getLogger(__name__)

INVITATION = "evaluation.invitation"
REMINDER = "evaluation.reminder"
COUNTS = ("session", "pre", "post", "follow_up", "reminder")


def invitation_key(completion: Completion | int) -> str:
    return f"evaluation:{completion if isinstance(completion, int) else completion.pk}"


def reminder_key(completion: Completion | int) -> str:
    return f"evaluation-reminder:{completion if isinstance(completion, int) else completion.pk}"


def answerable() -> Q:
    """Completions whose program still asks a questionnaire for their phase (one join)."""
    plan = "program__evaluation_plan__"
    return (
        Q(phase=Phase.SESSION, **{f"{plan}session_questionnaire__isnull": False})
        | Q(phase__in=(Phase.PRE, Phase.POST), **{f"{plan}pre_post_questionnaire__isnull": False})
        | Q(phase=Phase.FOLLOW_UP, **{f"{plan}follow_up_questionnaire__isnull": False})
    )


def open_for(person: User, now: dt.datetime | None = None) -> QuerySet[Completion]:
    """The person's evaluations they can answer now, soonest to close first."""
    now = now or timezone.now()
    return (
        Completion.objects.filter(
            answerable(),
            person=person,
            status=Completion.Status.PENDING,
            opens_at__lte=now,
            closes_at__gt=now,
            program__status=Program.Status.PUBLISHED,
        )
        .select_related("program", "session")
        .order_by("closes_at", "pk")
    )


def answer_url(completion: Completion) -> str:
    """The person's own link, absolute, under their language's prefix (/en/ or /fr/)."""
    with translation.override(completion.person.preferred_language or settings.LANGUAGE_CODE):
        path = reverse("evaluations:answer", kwargs={"token": services.link_token(completion)})
    return settings.SITE_URL.rstrip("/") + path


def _ask_all(
    program: Program,
    phase: str,
    people: Iterable[User],
    *,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    session: Session | None = None,
) -> None:
    """Completions for these people; those already asked (one query finds them) are left."""
    found = Completion.objects.filter(phase=phase)
    found = found.filter(session=session) if session else found.filter(program=program)
    asked = set(found.values_list("person_id", flat=True))
    for person in people:
        if person.pk not in asked:
            services.ask(
                person, program, phase, session=session, opens_at=opens_at, closes_at=closes_at
            )


def _present(program: Program) -> list[User]:
    """Everyone with an account marked present at any session of the program."""
    return list(
        User.objects.filter(
            is_active=True,
            attendance__session__program=program,
            attendance__present=True,
        ).distinct()
    )


def _session_evaluations(plan: Plan, sessions: list[Session], now: dt.datetime) -> None:
    hours, days = dt.timedelta(hours=plan.session_opens_hours), dt.timedelta(plan.session_open_days)
    due = {s.pk: s for s in sessions if s.ends_at + hours <= now < s.ends_at + hours + days}
    if not due:
        return
    attended: dict[int, list[User]] = {pk: [] for pk in due}
    for row in Attendance.objects.filter(
        session__in=list(due), present=True, person__isnull=False, person__is_active=True
    ).select_related("person"):
        assert row.person is not None  # noqa: S101  # filtered above
        attended[row.session_id].append(row.person)
    for pk, people in attended.items():
        session = due[pk]
        opens_at = session.ends_at + hours
        _ask_all(
            plan.program,
            Phase.SESSION,
            people,
            session=session,
            opens_at=opens_at,
            closes_at=opens_at + days,
        )


def _pre(plan: Plan, first: Session, now: dt.datetime) -> None:
    if not first.starts_at - dt.timedelta(plan.pre_days_before) <= now < first.starts_at:
        return
    program = plan.program
    people = list(
        User.objects.filter(
            Q(
                registrations__session__program=program,
                registrations__status=Registration.Status.CONFIRMED,
            )
            | Q(enrolments__program=program, enrolments__status=Enrolment.Status.ACTIVE),
            is_active=True,
        ).distinct()
    )
    _ask_all(program, Phase.PRE, people, opens_at=now, closes_at=first.starts_at)


def _post(plan: Plan, last: Session, now: dt.datetime) -> None:
    closes_at = last.ends_at + dt.timedelta(plan.post_open_days)
    if last.ends_at <= now < closes_at:
        _ask_all(
            plan.program,
            Phase.POST,
            _present(plan.program),
            opens_at=last.ends_at,
            closes_at=closes_at,
        )


def _follow_up(plan: Plan, last: Session, now: dt.datetime) -> None:
    opens_at = last.ends_at + dt.timedelta(plan.follow_up_after_days)
    closes_at = opens_at + dt.timedelta(plan.follow_up_open_days)
    if opens_at <= now < closes_at:
        _ask_all(
            plan.program,
            Phase.FOLLOW_UP,
            _present(plan.program),
            opens_at=opens_at,
            closes_at=closes_at,
        )


def _ask_due(now: dt.datetime) -> None:
    """Make the completions of every evaluation open now (those already there are kept)."""
    plans = Plan.objects.filter(
        Q(session_questionnaire__isnull=False)
        | Q(pre_post_questionnaire__isnull=False)
        | Q(follow_up_questionnaire__isnull=False),
        program__status=Program.Status.PUBLISHED,
    ).select_related("program")
    for plan in plans:
        sessions = list(
            plan.program.sessions.exclude(status=Session.Status.CANCELLED).order_by("starts_at")
        )
        if not sessions:
            continue
        if plan.session_questionnaire_id:
            _session_evaluations(plan, sessions, now)
        if plan.pre_post_questionnaire_id:
            _pre(plan, sessions[0], now)
            _post(plan, sessions[-1], now)
        if plan.follow_up_questionnaire_id:
            _follow_up(plan, sessions[-1], now)


def _outbox(prefix: str) -> QuerySet[OutboxMessage]:
    """The outbox message `<prefix><completion>` of the completion in the outer query."""
    return OutboxMessage.objects.filter(
        reason_key=Concat(Value(prefix), Cast(OuterRef("pk"), output_field=CharField()))
    )


def _open_completions(now: dt.datetime) -> QuerySet[Completion]:
    """Completions open now, each with when its invitation was queued (None: not yet)."""
    return (
        Completion.objects.filter(
            answerable(),
            status=Completion.Status.PENDING,
            opens_at__lte=now,
            closes_at__gt=now,
            program__status=Program.Status.PUBLISHED,
            person__is_active=True,
        )
        .annotate(invited_at=Subquery(_outbox("evaluation:").values("created_at")[:1]))
        .select_related("person", "program__hub", "session")
    )


def _reminders_due(now: dt.datetime) -> QuerySet[Completion]:
    """Open, invited, not reminded, and both opened and invited the plan's days ago.

    The plans' reminder delays are few distinct numbers: one condition each,
    so the database picks the due ones and the run reads nothing else.
    """
    delays = set(Plan.objects.values_list("reminder_after_days", flat=True).distinct())
    if not delays:
        return Completion.objects.none()
    due = Q()
    for days in delays:
        cutoff = now - dt.timedelta(days)
        due |= Q(
            program__evaluation_plan__reminder_after_days=days,
            opens_at__lte=cutoff,
            invited_at__lte=cutoff,
        )
    return (
        _open_completions(now)
        .annotate(reminded=Exists(_outbox("evaluation-reminder:")))
        .filter(due, reminded=False)
    )


def _email(completion: Completion, kind: str, key: str) -> bool:
    program = completion.program
    return (
        queue_email(
            person=completion.person,
            kind=kind,
            reason_key=key,
            context={
                "completion": completion,
                "program": program,
                "session": completion.session,
                "answer_url": answer_url(completion),
            },
            hub=program.hub,
        )
        is not None
    )


def send_evaluations(now: dt.datetime | None = None) -> dict[str, int]:
    """Ask and email whoever is due an evaluation or its reminder now; how many emails, by kind.

    Safe to run as often as you like: a completion is made once per person and
    evaluation, and each email has its reason key.
    """
    now = now or timezone.now()
    counts = dict.fromkeys(COUNTS, 0)
    _ask_due(now)
    # Reminders first: one sent in this run is never in the run that sent its invitation.
    for completion in _reminders_due(now):
        if _email(completion, REMINDER, reminder_key(completion)):
            counts["reminder"] += 1
    for completion in _open_completions(now).filter(Q(invited_at__isnull=True)):
        if _email(completion, INVITATION, invitation_key(completion)):
            counts[completion.phase] += 1
    if any(counts.values()):
        log.info("evaluation emails queued: %s", counts)
    return counts
