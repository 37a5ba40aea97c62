"""The registration box of a session page and the enrolment box of a program page.

Program pages load these tags, so the programs app shows registration
without importing it (apps depend downward).
"""

from typing import Any

from django import template
from django.utils import timezone

from echohub.accounts.models import User
from echohub.programs.models import Group, Invitation, Program, Session
from echohub.programs.permissions import is_member
from echohub.registration import services
from echohub.registration.models import Enrolment, Registration

register = template.Library()


@register.inclusion_tag("registration/session_box.html", takes_context=True)
def registration_box(context: dict[str, Any], session: Session) -> dict[str, Any]:
    user = context["request"].user
    registration = None
    if user.is_authenticated:
        registration = Registration.objects.filter(session=session, person=user).first()
    active = registration is not None and registration.is_active
    left = services.seats_left(session)
    is_cohort = session.program.enrolment == Program.Enrolment.COHORT
    enrolment = None
    if is_cohort and user.is_authenticated and not active:
        enrolment = Enrolment.objects.filter(program=session.program, person=user).first()
    enrolled = enrolment is not None and enrolment.status == Enrolment.Status.ACTIVE
    return {
        "session": session,
        "user": user,
        "registration": registration if active else None,
        "position": services.waitlist_position(registration) if active and registration else None,
        "seats_left": left,
        "full": left == 0,
        "refusal": None
        if active
        else services.refusal(session, user)
        if user.is_authenticated
        else services.session_refusal(session),
        "is_cohort": is_cohort,
        # A cohort session offers enrolment in its program, never a dead end.
        "enrolment": enrolment,
        "enrolled": enrolled,
        # Enrolling from a group's session: its groups, that one chosen already (the
        # enrolment form is offered only to those not enrolled).
        "groups": group_choices(session.program)
        if is_cohort and not active and not enrolled
        else [],
        "chosen_group": session.group_id,
        "program_open": session.program.status == Program.Status.PUBLISHED,
        "request": context["request"],
    }


def group_choices(program: Program) -> list[Group]:
    """The program's groups, each with its next session (`next_session`), in two queries."""
    groups = list(program.groups.select_related("facilitator"))
    if not groups:
        return []
    upcoming = program.sessions.filter(
        group__in=groups, status=Session.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    first: dict[int, Session] = {}
    for session in upcoming.only("pk", "group_id", "starts_at"):
        first.setdefault(session.group_id, session)  # type: ignore[arg-type]
    for group in groups:
        group.next_session = first.get(group.pk)  # type: ignore[attr-defined]
    return groups


@register.inclusion_tag("registration/program_box.html", takes_context=True)
def enrolment_box(context: dict[str, Any], program: Program, next: str = "") -> dict[str, Any]:
    user = context["request"].user
    enrolment = None
    if user.is_authenticated:
        enrolment = Enrolment.objects.filter(program=program, person=user).first()
    return {
        # Shown the program because an invitation to their address waits: join here.
        "invited": (
            program.by_invitation
            and isinstance(user, User)
            and not is_member(user, program)
            and program.invitations.filter(
                email=Invitation.address(user.email), status=Invitation.Status.PENDING
            ).exists()
        ),
        "program": program,
        "user": user,
        "enrolment": enrolment,
        "groups": group_choices(program),
        "is_cohort": program.enrolment == Program.Enrolment.COHORT,
        "is_open": program.status == Program.Status.PUBLISHED,
        "next": next,
        "request": context["request"],
    }
