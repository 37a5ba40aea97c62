"""The email that tells a person their certificate is ready (a link, not an attachment)."""

from echohub.certificates.models import Certificate
from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import queue_email, site_link


def issued(certificate_id: int) -> OutboxMessage | None:
    certificate = (
        Certificate.objects.select_related("person", "program__hub")
        .filter(pk=certificate_id, revoked_at__isnull=True)
        .first()
    )
    if certificate is None:
        return None
    return queue_email(
        person=certificate.person,
        kind="certificate.issued",
        reason_key=f"certificate:{certificate.pk}:issued",
        context={
            "certificate": certificate,
            "program": certificate.program,
            "download_url": site_link("certificates:pdf", code=certificate.code),
            "verify_url": site_link("certificates:verify", code=certificate.code),
            "transcript_url": site_link("certificates:transcript"),
        },
        hub=certificate.program.hub,
    )
