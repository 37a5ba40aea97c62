"""The case audit trail: a record for every access to a case by anyone but its presenter."""

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from echohub.accounts.models import User
from echohub.cases.models import AuditRecord, Case, audit_digest
from echohub.network.models import Hub

log = logging.getLogger(__name__)


# The lock that keeps records in one chain when several are written at once
# (PostgreSQL; SQLite's write lock already lets one writer in at a time).
_CHAIN_LOCK = 0x61756469  # "audi"


def record(
    case: Case,
    actor: User | None,
    action: str,
    *,
    ip: str | None = None,
    detail: str = "",
) -> AuditRecord:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        previous = AuditRecord.objects.order_by("-pk").values_list("digest", flat=True).first()
        entry = AuditRecord(
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
        entry.digest = audit_digest(entry, previous or "")
        entry.save()
    # The newest digest in the log too: the log, kept elsewhere, shows a trail cut short.
    log.info("audit record %s digest %s", entry.pk, entry.digest)
    return entry


@dataclass(frozen=True)
class Break:
    record_id: int
    reason: str


def verify_chain() -> tuple[int, list[Break]]:
    """Every record's digest recomputed in order: how many were read, and where the chain breaks."""
    previous = ""
    breaks: list[Break] = []
    count = 0
    for entry in AuditRecord.objects.order_by("pk").iterator(chunk_size=2000):
        count += 1
        if audit_digest(entry, previous) != entry.digest:
            breaks.append(Break(entry.pk, "changed, or the record before it was removed"))
        previous = entry.digest
    return count, breaks


def trail(hub: Hub) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(hub=hub)
