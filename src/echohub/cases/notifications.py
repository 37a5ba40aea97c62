"""The emails about cases. They carry links and case numbers, never the text of a case."""

from typing import Any

from echohub.accounts.models import User
from echohub.cases.design import settings_for
from echohub.cases.models import Case, Invitation, Recommendations
from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import queue_email, site_link
from echohub.registration.models import Registration


def _case(case_id: int) -> Case | None:
    return (
        Case.objects.select_related("program__hub", "presenter", "session")
        .filter(pk=case_id)
        .first()
    )


def _send(person: User, case: Case, kind: str, key: str, **extra: Any) -> OutboxMessage | None:
    context = {
        "case": case,
        "program": case.program,
        "session": case.session,
        "case_url": site_link("cases:detail", public_id=case.public_id),
        "session_url": (
            site_link("programs:session", pk=case.session_id) if case.session_id else ""
        ),
        **extra,
    }
    return queue_email(
        person=person, kind=kind, reason_key=key, context=context, hub=case.program.hub
    )


def invited(invitation_id: int) -> OutboxMessage | None:
    invitation = (
        Invitation.objects.select_related("program__hub", "person", "session")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    return queue_email(
        person=invitation.person,
        kind="cases.invited",
        reason_key=f"case-invitation:{invitation.pk}",
        context={
            "program": invitation.program,
            "session": invitation.session,
            "session_url": (
                site_link("programs:session", pk=invitation.session_id)
                if invitation.session_id
                else ""
            ),
            "form_url": site_link(
                "cases:new", query=f"invitation={invitation.token}", slug=invitation.program.slug
            ),
        },
        hub=invitation.program.hub,
    )


def decided(case_id: int, decision: str) -> OutboxMessage | None:
    case = _case(case_id)
    if case is None or case.status != decision:
        return None
    return _send(
        case.presenter,
        case,
        "cases.decided",
        f"case:{case.pk}:{decision}:{int(case.updated_at.timestamp())}",
    )


def scheduled(case_id: int) -> OutboxMessage | None:
    case = _case(case_id)
    if case is None or case.session is None:
        return None
    return _send(
        case.presenter, case, "cases.scheduled", f"case:{case.pk}:scheduled:{case.session_id}"
    )


def recommendations_sent(case_id: int) -> int:
    case = _case(case_id)
    if case is None or case.session is None:
        return 0
    recommendations = Recommendations.objects.filter(
        case=case, status=Recommendations.Status.SENT
    ).first()
    if recommendations is None:
        return 0
    sent = 0
    if _send(
        case.presenter,
        case,
        "cases.recommendations",
        f"case:{case.pk}:recommendations",
        recommendations=recommendations,
    ):
        sent += 1
    if settings_for(case.program).share_with_participants:
        registrants = (
            Registration.objects.filter(session=case.session, status=Registration.Status.CONFIRMED)
            .exclude(person=case.presenter)
            .select_related("person")
        )
        for registration in registrants:
            if _send(
                registration.person,
                case,
                "cases.shared",
                f"case:{case.pk}:shared:{registration.person_id}",
                recommendations=recommendations,
            ):
                sent += 1
    return sent
