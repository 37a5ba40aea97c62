"""After the session: experts draft parts, the facilitator writes, a second person may
review, and sending emails the presenter."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.cases import audit, notifications
from echohub.cases.design import settings_for
from echohub.cases.models import AuditRecord, Case, RecommendationPart, Recommendations
from echohub.cases.services import CaseError

Action = AuditRecord.Action
Status = Recommendations.Status


def _recommendations(case: Case) -> Recommendations:
    if case.status != Case.Status.ACCEPTED or case.session is None:
        raise CaseError(_("Recommendations follow a case presented in a session."))
    found, _created = Recommendations.objects.get_or_create(case=case)
    if found.status == Status.SENT:
        raise CaseError(_("These recommendations were sent already."))
    return found


@transaction.atomic
def draft_part(case: Case, text: str, *, by: User, ip: str | None = None) -> RecommendationPart:
    if not text.strip():
        raise CaseError(_("Write the part first."))
    part = RecommendationPart.objects.create(
        recommendations=_recommendations(case), author=by, text=text.strip()
    )
    audit.record(case, by, Action.RECOMMEND, ip=ip, detail="drafted a part")
    return part


@transaction.atomic
def write(
    case: Case,
    text: str,
    *,
    follow_up_on: dt.date | None,
    ask_review: bool = False,
    by: User,
    ip: str | None = None,
) -> Recommendations:
    recommendations = _recommendations(case)
    recommendations.text = text.strip()
    recommendations.follow_up_on = follow_up_on
    recommendations.written_by = by
    recommendations.reviewed_by = None
    recommendations.status = Status.IN_REVIEW if ask_review else Status.DRAFT
    recommendations.save()
    audit.record(case, by, Action.RECOMMEND, ip=ip)
    return recommendations


@transaction.atomic
def approve(case: Case, *, by: User, ip: str | None = None) -> Recommendations:
    recommendations = _recommendations(case)
    if recommendations.status != Status.IN_REVIEW:
        raise CaseError(_("These recommendations are not awaiting review."))
    if recommendations.written_by_id == by.pk:
        raise CaseError(_("A second person reviews recommendations, not their writer."))
    recommendations.status = Status.APPROVED
    recommendations.reviewed_by = by
    recommendations.save()
    audit.record(case, by, Action.REVIEW, ip=ip, detail="recommendations approved")
    return recommendations


@transaction.atomic
def send(case: Case, *, by: User, ip: str | None = None) -> Recommendations:
    """Send the recommendations: the presenter (and, if the program says so, the session's
    participants) get an email with a link, in their own language."""
    recommendations = _recommendations(case)
    if not recommendations.text:
        raise CaseError(_("Write the recommendations before sending them."))
    if settings_for(case.program).second_review and recommendations.status != Status.APPROVED:
        raise CaseError(
            _("In this program, a second person reviews recommendations before they are sent.")
        )
    recommendations.status = Status.SENT
    recommendations.sent_at = timezone.now()
    recommendations.save()
    audit.record(case, by, Action.SEND, ip=ip)
    transaction.on_commit(lambda: notifications.recommendations_sent(case.pk))
    return recommendations
