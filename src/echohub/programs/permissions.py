"""Which programs and sessions a person may see or manage.

`get_*_for` helpers answer 404 both for what does not exist and for what is
not the person's to manage, so nobody learns about another hub's drafts.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from echohub import hotpath
from echohub.accounts.models import User
from echohub.accounts.security import needs_second_factor
from echohub.network.models import StaffRole
from echohub.network.permissions import managed_hubs
from echohub.programs.models import Program, ProgramStaff, Session

PUBLIC_STATUSES = (Program.Status.PUBLISHED, Program.Status.CANCELLED)


def public_programs() -> QuerySet[Program]:
    return Program.objects.filter(status__in=PUBLIC_STATUSES)


def public_sessions() -> QuerySet[Session]:
    return Session.objects.filter(program__status__in=PUBLIC_STATUSES)


def listed_programs() -> QuerySet[Program]:
    """The public programs that lists show (catalogue, hub pages, front page, digests);
    an unlisted one is reached by its link only."""
    return public_programs().filter(access=Program.Access.PUBLIC)


def listed_sessions() -> QuerySet[Session]:
    return public_sessions().filter(program__access=Program.Access.PUBLIC)


def public_session(pk: int) -> Session:
    """The session `pk` with its program, if that program is public; else 404.

    `get_object_or_404(public_sessions().select_related("program"), pk=pk)` by the hot
    path (`echohub.hotpath`): the first question of every registration.
    """
    session = hotpath.get(Session, pk=pk)
    program = hotpath.get(Program, pk=session.program_id) if session else None
    if session is None or program is None or program.status not in PUBLIC_STATUSES:
        raise Http404
    session.program = program
    return session


def manageable_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    return Program.objects.filter(hub__in=managed_hubs(user))


def holds_a_role(user: User | AnonymousUser) -> bool:
    """Whether this person is a national admin, on a hub's staff or on a program's team
    (or may enter the admin): the people held to a second factor.

    Without a role, every question of managing or hosting below is no: a participant's
    pages ask this (two small lookups) instead of building those questions' queries.
    """
    return isinstance(user, User) and needs_second_factor(user)


def can_manage_program(user: User | AnonymousUser, program: Program) -> bool:
    return manageable_programs(user).filter(pk=program.pk).exists()


def can_host_session(user: User | AnonymousUser, session: Session) -> bool:
    """The host link is for the program's panel and its hub's staff, never for participants."""
    if not user.is_authenticated:
        return False
    program = session.program
    return (
        can_manage_program(user, program)
        or ProgramStaff.objects.filter(program=program, person=user).exists()
        or StaffRole.objects.filter(hub_id=program.hub_id, person=user).exists()
    )


def get_program_for(user: User, slug: str) -> Program:
    return get_object_or_404(manageable_programs(user).select_related("hub"), slug=slug)


def get_session_for(user: User, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(program__in=manageable_programs(user)).select_related(
            "program__hub"
        ),
        pk=pk,
    )


def get_public_program(user: User | AnonymousUser, slug: str) -> Program:
    """A published program; its hub's managers also see a draft, to preview it."""
    visible = public_programs() | manageable_programs(user)
    return get_object_or_404(visible.select_related("hub"), slug=slug)


def get_public_session(user: User | AnonymousUser, pk: int) -> Session:
    visible = public_programs() | manageable_programs(user)
    return get_object_or_404(
        Session.objects.filter(program__in=visible).select_related("program__hub"), pk=pk
    )
