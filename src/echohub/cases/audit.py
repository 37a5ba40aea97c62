"""The case audit trail: a record for every access to a case by anyone but its presenter."""

from django.db.models import QuerySet

from echohub.accounts.models import User
from echohub.cases.models import AuditRecord, Case
from echohub.network.models import Hub


def record(
    case: Case,
    actor: User | None,
    action: str,
    *,
    ip: str | None = None,
    detail: str = "",
) -> AuditRecord:
    return AuditRecord.objects.create(
        hub_id=case.program.hub_id,
        program_id=case.program_id,
        case_id=case.pk,
        # In no one language: the trail is read in English and in French.
        case_label=f"{case.program.slug} #{case.number}"[:100],
        actor_id=actor.pk if actor else None,
        actor_name=(actor.name or actor.email) if actor else "EchoHub",
        action=action,
        detail=detail[:200],
        ip=ip,
    )


def trail(hub: Hub) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(hub=hub)
