"""Which programs and sessions a person may see or manage.

`get_*_for` helpers answer 404 both for what does not exist and for what is
not the person's to manage, so nobody learns about another hub's drafts.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from echohub import hotpath
from echohub.accounts.models import User
from echohub.accounts.security import needs_second_factor
from echohub.network.models import StaffRole
from echohub.network.permissions import managed_hubs
from echohub.programs.models import Invitation, Program, ProgramMember, ProgramStaff, Session

PUBLIC_STATUSES = (Program.Status.PUBLISHED, Program.Status.CANCELLED)
INVITATION = Program.Access.INVITATION


def public_programs() -> QuerySet[Program]:
    """Published (or cancelled) programs, whoever may reach them: see `reachable_programs`."""
    return Program.objects.filter(status__in=PUBLIC_STATUSES)


def public_sessions() -> QuerySet[Session]:
    return Session.objects.filter(program__status__in=PUBLIC_STATUSES)


def _let_in(user: User, *, invited: bool = True) -> QuerySet[Program]:
    """The programs by invitation that let this person in: they are a member, sit on the
    panel or work for the hub, or (with `invited`) hold a pending invitation to their
    address."""
    let_in = (
        Q(pk__in=ProgramMember.objects.filter(person=user).values("program"))
        | Q(pk__in=ProgramStaff.objects.filter(person=user).values("program"))
        | Q(hub__in=StaffRole.objects.filter(person=user).values("hub"))
    )
    if invited:
        pending = Invitation.objects.filter(
            email=Invitation.address(user.email),
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        let_in |= Q(pk__in=pending.values("program"))
    return Program.objects.filter(let_in)


def reachable_programs(user: User | AnonymousUser) -> QuerySet[Program]:
    """The public programs this person may open: every one not by invitation, and those
    by invitation that let them in (a national admin is let into all)."""
    if not isinstance(user, User):
        return public_programs().exclude(access=INVITATION)
    if user.is_national_admin:
        return public_programs()
    return public_programs().filter(~Q(access=INVITATION) | Q(pk__in=_let_in(user).values("pk")))


def may_reach(user: User | AnonymousUser, program: Program) -> bool:
    """`reachable_programs` for one program already read (any status): no query unless the
    program is by invitation."""
    if program.access != INVITATION:
        return True
    if not isinstance(user, User):
        return False
    return user.is_national_admin or _let_in(user).filter(pk=program.pk).exists()


def is_member(user: User, program: Program) -> bool:
    """Whether registering in this program is open to this person: always, unless the
    program is by invitation and they were never let in as a member (the panel and the
    hub's staff are, without a row)."""
    if program.access != INVITATION:
        return True
    if user.is_national_admin:
        return True
    return _let_in(user, invited=False).filter(pk=program.pk).exists()


def listed_programs(user: User | AnonymousUser | None = None) -> QuerySet[Program]:
    """The public programs that lists show (catalogue, hub pages, front page, digests):
    an unlisted one is reached by its link only; one by invitation is listed to those it
    lets in (given `user`; lists sent to many, such as digests, give none)."""
    listed = public_programs().filter(access=Program.Access.PUBLIC)
    if not isinstance(user, User):
        return listed
    return public_programs().filter(
        Q(access=Program.Access.PUBLIC) | Q(access=INVITATION, pk__in=_let_in(user).values("pk"))
    )


def listed_sessions() -> QuerySet[Session]:
    return public_sessions().filter(program__access=Program.Access.PUBLIC)


def public_session(pk: int, user: User | AnonymousUser) -> Session:
    """The session `pk` with its program, if that program is public and this person may
    reach it; else 404.

    `get_object_or_404(public_sessions().select_related("program"), pk=pk)` by the hot
    path (`echohub.hotpath`): the first question of every registration.
    """
    session = hotpath.get(Session, pk=pk)
    program = hotpath.get(Program, pk=session.program_id) if session else None
    if session is None or program is None or program.status not in PUBLIC_STATUSES:
        raise Http404
    if not may_reach(user, program):
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
    """A published program this person may reach; its hub's managers also see a draft,
    to preview it. Anyone else: 404, as for a program that does not exist."""
    visible = public_programs() | manageable_programs(user)
    program = get_object_or_404(visible.select_related("hub"), slug=slug)
    if not may_reach(user, program):
        raise Http404
    return program


def get_public_session(user: User | AnonymousUser, pk: int) -> Session:
    visible = public_programs() | manageable_programs(user)
    session = get_object_or_404(
        Session.objects.filter(program__in=visible).select_related("program__hub", "group"),
        pk=pk,
    )
    if not may_reach(user, session.program):
        raise Http404
    return session
