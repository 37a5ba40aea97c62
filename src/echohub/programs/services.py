"""Every change to programs and sessions goes through these functions.

Each runs in one transaction, validates the whole object before saving, and
logs who did it (by id: logs never hold names or emails).
"""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.network.models import PANEL_ROLES, Hub, StaffRole
from echohub.programs.models import Group, Program, ProgramMember, ProgramStaff, Session
from echohub.programs.series import SeriesRule, WallClock, wall_clock
from echohub.reference.models import PracticeSetting, Profession, Province
from echohub.slugs import unique_slug

log = logging.getLogger(__name__)

# Sent with `program` and `sessions` when sessions are added to a program, so
# that apps above this one (registration) can act without programs knowing them.
sessions_added = Signal()
# Sent with `session` (and `previous_start`) when a session moves or its length changes,
# and with `session` when it is cancelled: registrants are told, calendars follow.
session_moved = Signal()
session_cancelled = Signal()
# Sent with `session` when it moves to another group (or to everyone, or from everyone).
session_regrouped = Signal()
# A program was published: its sessions are public now (`program`).
program_published = Signal()
# Sent with `program` when an existing program becomes by invitation, so that apps
# above this one (registration) let in everyone already registered or enrolled.
became_by_invitation = Signal()


@transaction.atomic
def save_program(
    program: Program,
    *,
    by: User,
    professions: Iterable[Profession] = (),
    settings: Iterable[PracticeSetting] = (),
    provinces: Iterable[Province] = (),
) -> Program:
    """Create or update a program with its audience and scope."""
    creating = program.pk is None
    was = None if creating else Program.objects.filter(pk=program.pk).values("access").first()
    if not program.slug:
        program.slug = unique_slug(
            Program.objects.all(),
            program.title_en or program.title_fr,
            fallback="program",
            max_length=80,
        )
    program.full_clean()
    program.save()
    program.audience_professions.set(professions)
    program.audience_settings.set(settings)
    program.provinces.set(provinces if program.scope == Program.Scope.PROVINCIAL else [])
    log.info("program %s %s by %s", program.pk, "created" if creating else "updated", by.pk)
    if was and was["access"] != Program.Access.INVITATION and program.by_invitation:
        became_by_invitation.send(Program, program=program)
    return program


def add_member(
    program: Program, person: User, *, source: str, by: User | None = None
) -> ProgramMember:
    """Let `person` into a program by invitation (a no-op if they are in already)."""
    member, created = ProgramMember.objects.get_or_create(
        program=program, person=person, defaults={"source": source}
    )
    if created:
        log.info(
            "person %s let into program %s (%s) by %s",
            person.pk,
            program.pk,
            source,
            by.pk if by else "themselves",
        )
    return member


@transaction.atomic
def publish_program(program: Program, *, by: User) -> None:
    if program.status == Program.Status.PUBLISHED:
        return
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status", "published_at", "updated_at"])
    program_published.send(sender=Program, program=program)
    log.info("program %s published by %s", program.pk, by.pk)


@transaction.atomic
def cancel_program(program: Program, *, by: User) -> int:
    """Cancel the program and every session of it still to come; returns how many sessions."""
    program.status = Program.Status.CANCELLED
    program.save(update_fields=["status", "updated_at"])
    upcoming = list(
        program.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gte=timezone.now())
    )
    count = Session.objects.filter(pk__in=[s.pk for s in upcoming]).update(
        status=Session.Status.CANCELLED, updated_at=timezone.now()
    )
    for session in upcoming:
        session_cancelled.send(sender=Program, session=session)
    log.info("program %s cancelled with %s sessions by %s", program.pk, count, by.pk)
    return count


@transaction.atomic
def save_session(session: Session, *, by: User) -> Session:
    creating = session.pk is None
    before = None if creating else Session.objects.filter(pk=session.pk).first()
    session.full_clean()
    session.save()
    if creating:
        sessions_added.send(sender=Program, program=session.program, sessions=[session])
    elif before is not None and (
        before.starts_at != session.starts_at or before.duration_minutes != session.duration_minutes
    ):
        session_moved.send(sender=Program, session=session, previous_start=before.starts_at)
    if before is not None and before.group_id != session.group_id:
        session_regrouped.send(sender=Program, session=session)
    log.info("session %s %s by %s", session.pk, "created" if creating else "updated", by.pk)
    return session


@transaction.atomic
def cancel_session(session: Session, *, by: User) -> None:
    if session.status == Session.Status.CANCELLED:
        return
    session.status = Session.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    session_cancelled.send(sender=Program, session=session)
    log.info("session %s cancelled by %s", session.pk, by.pk)


@transaction.atomic
def generate_series(
    program: Program,
    rule: SeriesRule,
    *,
    by: User,
    title_en: str,
    title_fr: str,
    capacity: int | None = None,
    join_url: str = "",
    group: Group | None = None,
) -> list[Session]:
    """Create one session per date of the rule; `{n}` in a title becomes its number."""
    starts = rule.starts()
    if not starts:
        raise ValidationError(_("This rule gives no dates: check the first date and the end."))
    if any(wall_clock(m, rule.zone) is WallClock.SKIPPED for m in rule.wall_clock_starts()):
        raise ValidationError(_("A date of this series falls on a time the clocks skip."))
    if starts[0] < timezone.now():
        raise ValidationError(_("The first session would start in the past."))
    offset = program.sessions.count()
    sessions = []
    for n, start in enumerate(starts, start=offset + 1):
        session = Session(
            program=program,
            title_en=title_en.replace("{n}", str(n)),
            title_fr=title_fr.replace("{n}", str(n)),
            starts_at=start,
            duration_minutes=rule.duration_minutes,
            capacity=capacity,
            join_url=join_url,
            group=group,
        )
        session.full_clean()
        sessions.append(session)
    Session.objects.bulk_create(sessions)
    sessions_added.send(sender=Program, program=program, sessions=sessions)
    log.info("series of %s sessions added to program %s by %s", len(sessions), program.pk, by.pk)
    return sessions


@transaction.atomic
def add_to_panel(program: Program, person: User, role: str, *, by: User) -> ProgramStaff:
    """Put a facilitator or expert of the program's own hub on its panel."""
    if not StaffRole.objects.filter(hub=program.hub, person=person, role=role).exists():
        raise ValidationError(
            {
                "person": _("Only a %(role)s of this program's hub can be given this role.")
                % {"role": StaffRole.Role(role).label}
            }
        )
    member, created = ProgramStaff.objects.get_or_create(program=program, person=person, role=role)
    if not created:
        raise ValidationError({"person": _("This person is already on the panel in this role.")})
    log.info(
        "person %s added to panel of program %s as %s by %s", person.pk, program.pk, role, by.pk
    )
    return member


@transaction.atomic
def remove_from_panel(member: ProgramStaff, *, by: User) -> None:
    log.info("panel member %s removed from program %s by %s", member.pk, member.program_id, by.pk)
    member.delete()


@transaction.atomic
def save_group(group: Group, *, by: User) -> Group:
    """Create or rename a group of a cohort program, or give it a facilitator from the
    program's hub (its facilitators and experts)."""
    program = group.program
    if program.enrolment != Program.Enrolment.COHORT:
        raise ValidationError(
            _("Groups are for cohort programs: make the program a cohort (enrol once) first.")
        )
    if group.facilitator_id and group.facilitator_id not in set(
        panel_candidates(program.hub).values_list("pk", flat=True)
    ):
        raise ValidationError(
            {"facilitator": _("Choose a facilitator or expert of the program's hub.")}
        )
    creating = group.pk is None
    if creating:
        group.position = program.groups.count()
    group.full_clean()
    group.save()
    log.info("group %s %s by %s", group.pk, "created" if creating else "updated", by.pk)
    return group


@transaction.atomic
def delete_group(group: Group, *, by: User) -> None:
    """Only a group nobody is in and with no session: its members and sessions would
    otherwise silently become everyone's."""
    try:
        group.delete()
    except ProtectedError as kept:
        raise ValidationError(
            _("This group has sessions or members: move them to another group first.")
        ) from kept
    log.info("group %s of program %s deleted by %s", group.pk, group.program_id, by.pk)


def panel_candidates(hub: Hub) -> QuerySet[User]:
    """The hub's facilitators and experts: who may sit on its programs' panels."""
    return User.objects.filter(
        pk__in=StaffRole.objects.filter(hub=hub, role__in=PANEL_ROLES).values("person")
    )
