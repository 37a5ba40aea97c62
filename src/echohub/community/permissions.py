"""Who may read, write and moderate a discussion space.

- A program's space: its members (enrolled, registered, let in by invitation),
  its panel and its hub's staff (`cases.permissions.member_programs`, which
  already says who belongs to a program), and national admins.
- A group's space: that group's members (their enrolment's group), its
  facilitator, the program's panel and the hub's staff.
- Moderators: the hub's admins, coordinators and facilitators, and national
  admins (`cases.permissions.staff_programs`).
- The panel marks answers: the program's facilitators and experts and the
  hub's experts (`panel_programs`).

Anyone else gets a 404, as for a space that does not exist; so does everyone
while the program's space is closed, except its moderators.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from echohub.accounts.models import User
from echohub.cases.permissions import member_programs, panel_programs, staff_programs
from echohub.community.models import Post, Space, SpaceSettings, Thread
from echohub.programs.models import Group, Program
from echohub.registration.models import Enrolment


def settings_of(program: Program) -> SpaceSettings:
    """The program's choices (the defaults until a coordinator saves them)."""
    found = SpaceSettings.objects.filter(program=program).first()
    return found or SpaceSettings(program=program)


def moderates(user: User | AnonymousUser, program: Program) -> bool:
    return staff_programs(user).filter(pk=program.pk).exists()


def on_panel(user: User | AnonymousUser, program: Program) -> bool:
    return panel_programs(user).filter(pk=program.pk).exists()


def may_enter(user: User | AnonymousUser, space: Space) -> bool:
    if not isinstance(user, User):
        return False
    program = space.program
    if moderates(user, program):
        return True
    if not settings_of(program).open:
        return False
    if space.group_id is None:
        return member_programs(user).filter(pk=program.pk).exists()
    if on_panel(user, program):
        return True
    group = space.group
    if group is not None and group.facilitator_id == user.pk:
        return True
    return Enrolment.objects.filter(
        program=program, person=user, group_id=space.group_id, status=Enrolment.Status.ACTIVE
    ).exists()


def readable_spaces(
    user: User | AnonymousUser, members: list[int] | None = None
) -> tuple[list[int] | None, list[int]]:
    """The programs whose space, and the groups whose space, this person may read: the
    rules of `may_enter` for every space at once, for the library's search (None: every
    program, for a national admin). `members`: their `member_programs`, when the caller
    has read them already.

    One query when no space is closed to them and none has group spaces (the usual
    case): the programs they are a member of are the spaces they read.
    """
    if not isinstance(user, User):
        return [], []
    if user.is_national_admin:
        return None, list(
            Group.objects.filter(program__community_settings__group_spaces=True).values_list(
                "pk", flat=True
            )
        )
    if members is None:
        members = list(member_programs(user).order_by().values_list("pk", flat=True))
    chosen = list(
        SpaceSettings.objects.filter(Q(open=False) | Q(group_spaces=True)).values_list(
            "program_id", "open", "group_spaces"
        )
    )
    closed = {program for program, is_open, _groups in chosen if not is_open}
    with_groups = [program for program, _open, groups in chosen if groups]
    programs = set(members) - closed
    staff: set[int] = set()
    if closed & set(members) or with_groups:
        staff = set(staff_programs(user).order_by().values_list("pk", flat=True))
    groups: list[int] = []
    if with_groups:
        enrolled = Enrolment.objects.filter(person=user, status=Enrolment.Status.ACTIVE)
        panel = panel_programs(user).order_by().values("pk")
        readers = Q(program_id__in=staff) | (
            (Q(program_id__in=panel) | Q(facilitator=user) | Q(pk__in=enrolled.values("group")))
            & ~Q(program_id__in=closed)
        )
        groups = list(
            Group.objects.filter(readers, program_id__in=with_groups).values_list("pk", flat=True)
        )
    return sorted(programs | staff), groups


def space_for(program: Program, group: Group | None = None) -> Space:
    """The program's space (or the group's), made on first use."""
    space, _created = Space.objects.get_or_create(program=program, group=group)
    return space


def get_space_for(user: User | AnonymousUser, slug: str, group_id: int | None = None) -> Space:
    program = get_object_or_404(Program.objects.select_related("hub"), slug=slug)
    group = None
    if group_id is not None:
        if not settings_of(program).group_spaces:
            raise Http404
        group = get_object_or_404(program.groups, pk=group_id)
    space = Space(program=program, group=group)
    if not may_enter(user, space):
        raise Http404
    found = space_for(program, group)
    found.program, found.group = program, group
    return found


def get_thread_for(user: User | AnonymousUser, pk: int) -> Thread:
    """A thread its space lets this person read; a hidden one for moderators only."""
    thread = get_object_or_404(
        Thread.objects.select_related("space__program__hub", "space__group", "case", "resource"),
        pk=pk,
    )
    if not may_enter(user, thread.space):
        raise Http404
    # Hidden (or held for approval): its author and the moderators still see it.
    if thread.hidden and thread.author_id != user.pk and not moderates(user, thread.space.program):
        raise Http404
    return thread


def get_post_for(user: User | AnonymousUser, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    post.thread = get_thread_for(user, post.thread_id)
    moderator = moderates(user, post.thread.space.program)
    if post.status != Post.Status.VISIBLE and not moderator and post.author_id != user.pk:
        raise Http404
    return post
