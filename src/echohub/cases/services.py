"""What people do with a case, one transaction each: write, submit, review, schedule,
withdraw, purge.

Every function that stores text relies on `Case.save()`, which runs the
de-identification gate first: a text with an identifier raises
`IdentifiersFound` and the transaction writes nothing.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.cases import audit, notifications
from echohub.cases.design import current_form, settings_for
from echohub.cases.models import AuditRecord, Case, Invitation, Recommendations
from echohub.deidentify.gate import Confirmation
from echohub.programs.models import Program, Session

Action = AuditRecord.Action
EDITABLE = (Case.Status.DRAFT, Case.Status.RETURNED)


class CaseError(Exception):
    """A step that cannot be taken now; the message says why, for the person who tried."""


def _next_number(program: Program) -> int:
    # The program row is locked, so two first saves at once cannot take the same number.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    return (program.cases.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def save_case(
    case: Case | None,
    *,
    program: Program,
    presenter: User,
    title: str,
    answers: dict[str, Any],
    submit: bool = False,
    attested: bool = False,
    invitation: Invitation | None = None,
    confirmed: list[Confirmation] | None = None,
    ip: str | None = None,
) -> Case:
    """Save a draft (new or existing), or submit it for review with the presenter's attestation.

    `confirmed` are the presenter's confirmations that possible findings are not
    identifiers; each new one is written to the audit trail (kind and place only).
    """
    if case is None:
        case = Case(
            program=program,
            presenter=presenter,
            form=current_form(program),
            number=_next_number(program),
        )
    elif case.status not in EDITABLE:
        raise CaseError(_("This case can no longer be changed."))
    before = set(case.confirmations())
    case.title = title
    case.answers = answers
    case.confirmed = [confirmation.stored() for confirmation in confirmed or []]
    if submit:
        if not attested:
            raise CaseError(_("Confirm that the case holds no identifying information."))
        case.status = Case.Status.SUBMITTED
        case.attested_at = case.submitted_at = timezone.now()
    case.save()
    for confirmation in case.confirmations():
        if confirmation not in before:
            audit.record(case, presenter, Action.CONFIRM, ip=ip, detail=confirmation.described)
    if invitation is not None and invitation.case_id is None:
        invitation.case = case
        invitation.save(update_fields=["case"])
    return case


@transaction.atomic
def review(
    case: Case, decision: str, *, comment: str = "", by: User, ip: str | None = None
) -> Case:
    """Accept, return with a comment, or decline a submitted case; the presenter hears by email."""
    allowed = {Case.Status.ACCEPTED, Case.Status.RETURNED, Case.Status.DECLINED}
    if decision not in allowed:
        raise CaseError(_("Choose accept, return or decline."))
    if case.status not in (Case.Status.SUBMITTED, Case.Status.ACCEPTED):
        raise CaseError(_("Only a submitted case can be reviewed."))
    if not still_open(case):
        raise CaseError(_("This case was presented already: its decision stands."))
    if decision == Case.Status.RETURNED and not comment.strip():
        raise CaseError(_("Say what the presenter should change."))
    case.status = decision
    case.review_comment = comment.strip()
    case.reviewed_by = by
    if decision != Case.Status.ACCEPTED:
        case.session, case.slot = None, None
    case.save()
    audit.record(case, by, Action.REVIEW, ip=ip, detail=decision)
    transaction.on_commit(lambda: notifications.decided(case.pk, decision))
    return case


def still_open(case: Case) -> bool:
    """Whether the hub may still decide on or (re)schedule the case: not once it is presented."""
    if case.session is not None and case.session.starts_at <= timezone.now():
        return False
    return not Recommendations.objects.filter(
        case=case, status=Recommendations.Status.SENT
    ).exists()


def free_slots(session: Session) -> list[int]:
    slots = settings_for(session.program).slots_per_session
    taken = set(session.cases.values_list("slot", flat=True))
    return [n for n in range(1, slots + 1) if n not in taken]


@transaction.atomic
def schedule(case: Case, session: Session, *, by: User, ip: str | None = None) -> Case:
    """Put an accepted case in the session's first free case slot."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    if not still_open(case):
        raise CaseError(_("This case was presented already: its decision stands."))
    if case.status != Case.Status.ACCEPTED:
        raise CaseError(_("Accept the case before scheduling it."))
    if session.program_id != case.program_id or session.is_cancelled:
        raise CaseError(_("Choose a session of this program that is still on."))
    if session.starts_at <= timezone.now():
        raise CaseError(_("Choose a session that has not started yet."))
    if case.session_id == session.pk:
        return case
    slots = free_slots(session)
    if not slots:
        raise CaseError(_("Every case slot of that session is taken."))
    case.session, case.slot = session, slots[0]
    case.save()
    audit.record(case, by, Action.SCHEDULE, ip=ip, detail=f"session {session.pk}")
    transaction.on_commit(lambda: notifications.scheduled(case.pk))
    return case


@transaction.atomic
def unschedule(case: Case, *, by: User, ip: str | None = None) -> Case:
    if not still_open(case):
        raise CaseError(_("This case was presented already: its decision stands."))
    case.session, case.slot = None, None
    case.save()
    audit.record(case, by, Action.SCHEDULE, ip=ip, detail="unscheduled")
    return case


@transaction.atomic
def withdraw(case: Case, *, by: User) -> Case:
    """The presenter takes the case back: its text is erased at once, only its number remains."""
    if case.presenter_id != by.pk:
        raise CaseError(_("Only the presenter can withdraw a case."))
    case.status = Case.Status.WITHDRAWN
    case.title = ""
    case.answers = {}
    case.review_comment = ""
    case.session, case.slot = None, None
    case.save()
    Recommendations.objects.filter(case=case).delete()
    audit.record(case, by, Action.WITHDRAW)
    return case


@transaction.atomic
def invite(program: Program, person: User, *, session: Session | None, by: User) -> Invitation:
    invitation = Invitation.objects.create(
        program=program, person=person, session=session, invited_by=by
    )
    transaction.on_commit(lambda: notifications.invited(invitation.pk))
    return invitation


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete cases past their program's retention period (counted from the session where
    they were presented, else from their last change); withdrawn cases go at once."""
    now = now or timezone.now()
    purged = 0
    for program in Program.objects.filter(cases__isnull=False).distinct():
        cutoff = now - dt.timedelta(days=settings_for(program).retention_days)
        expired = program.cases.select_related("program").filter(
            Q(status=Case.Status.WITHDRAWN)
            | Q(session__starts_at__lt=cutoff)
            | Q(session__isnull=True, updated_at__lt=cutoff)
        )
        for case in expired:
            with transaction.atomic():
                audit.record(case, None, Action.PURGE)
                case.delete()
            purged += 1
    return purged
