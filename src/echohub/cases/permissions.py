"""Who may see and do what with cases, as small predicates and scoped querysets.

- The presenter sees their own cases, always.
- The hub's case staff (admins, coordinators, facilitators; national admins)
  review and schedule every submitted case of the hub's programs.
- The panel (the program's facilitators and experts, the hub's experts) sees
  the cases scheduled into the program's sessions, to prepare and to write
  recommendations.
- A session's confirmed registrants see its cases until the session ends.
- Members of a program (enrolled, registered, let in by invitation, or on its
  staff) browse the case library: cases whose recommendations were sent.

Anyone else gets a 404, as for a case that does not exist.
"""

import datetime as dt
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from echohub.accounts.models import User
from echohub.cases.models import Case, Recommendations
from echohub.network.models import StaffRole
from echohub.programs.models import Program, ProgramMember, ProgramStaff
from echohub.registration.models import Enrolment, Registration

# A session's registrants keep seeing its cases while it may still be running.
UPCOMING_GRACE = dt.timedelta(hours=12)
CASE_STAFF_ROLES = (StaffRole.Role.ADMIN, StaffRole.Role.COORDINATOR, StaffRole.Role.FACILITATOR)


class Access(StrEnum):
    """Why a person may open a case; decides what the page shows and whether it is audited."""

    PRESENTER = "presenter"
    STAFF = "staff"
    PANEL = "panel"
    REGISTRANT = "registrant"
    LIBRARY = "library"


def staff_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    """Programs whose cases this person reviews and schedules."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_national_admin:
        return Program.objects.all()
    hubs = StaffRole.objects.filter(person=user, role__in=CASE_STAFF_ROLES).values("hub")
    return Program.objects.filter(hub__in=hubs)


def panel_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    """Programs on whose panel this person sits (case staff included)."""
    if not user.is_authenticated:
        return Program.objects.none()
    experts = StaffRole.objects.filter(person=user, role=StaffRole.Role.EXPERT).values("hub")
    return (
        Program.objects.filter(
            Q(team__person=user) | Q(hub__in=experts) | Q(pk__in=staff_programs(user))
        )
    ).distinct()


def writes_recommendations(user: User, program: Program) -> bool:
    """Facilitators write and send recommendations; hub case staff may too."""
    return (
        staff_programs(user).filter(pk=program.pk).exists()
        or ProgramStaff.objects.filter(
            program=program, person=user, role=ProgramStaff.Role.FACILITATOR
        ).exists()
    )


def member_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    """Programs whose case library this person may browse."""
    if not user.is_authenticated:
        return Program.objects.none()
    enrolled = Enrolment.objects.filter(person=user, status=Enrolment.Status.ACTIVE).values(
        "program"
    )
    registered = Registration.objects.filter(
        person=user, status=Registration.Status.CONFIRMED
    ).values("session__program")
    invited = ProgramMember.objects.filter(person=user).values("program")
    return Program.objects.filter(
        Q(pk__in=enrolled)
        | Q(pk__in=registered)
        | Q(pk__in=invited)
        | Q(pk__in=panel_programs(user))
    )


def may_present(user: User, program: Program) -> bool:
    return member_programs(user).filter(pk=program.pk).exists() or (
        program.case_invitations.filter(person=user).exists()
    )


def library_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    return Case.objects.filter(
        program__in=member_programs(user),
        recommendations__status=Recommendations.Status.SENT,
    ).exclude(status=Case.Status.WITHDRAWN)


def _access_filters(user: User) -> dict[Access, Q]:
    scheduled = Q(status=Case.Status.ACCEPTED, session__isnull=False)
    upcoming = Registration.objects.filter(
        person=user,
        status=Registration.Status.CONFIRMED,
        session__starts_at__gt=timezone.now() - UPCOMING_GRACE,
    ).values("session")
    return {
        Access.PRESENTER: Q(presenter=user),
        Access.STAFF: Q(program__in=staff_programs(user)) & ~Q(status=Case.Status.DRAFT),
        Access.PANEL: Q(program__in=panel_programs(user)) & scheduled,
        Access.REGISTRANT: scheduled & Q(session__in=upcoming),
        Access.LIBRARY: Q(pk__in=library_cases(user).values("pk")),
    }


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    combined = Q()
    for condition in _access_filters(user).values():
        combined |= condition
    return Case.objects.filter(combined)


def get_case_for(user: User, public_id: str) -> tuple[Case, Access]:
    """The case and why this person may open it; 404 alike for missing and not theirs."""
    case = (
        Case.objects.select_related("program__hub", "presenter", "session", "form")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    for access, condition in _access_filters(user).items():
        if Case.objects.filter(condition, pk=case.pk).exists():
            return case, access
    raise Http404


def is_staff_access(access: Access) -> bool:
    return access in (Access.STAFF, Access.PANEL)
