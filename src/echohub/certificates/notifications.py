"""The email that tells a person their certificate is ready (a link, not an attachment)."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy

from echohub.certificates.models import Certificate
from echohub.outreach.models import OutboxMessage
from echohub.outreach.services import queue_email


def _absolute(name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


# Resolved when the email renders, in the reader's language (/en/ or /fr/ paths).
_lazy_absolute = lazy(_absolute, str)


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
            "download_url": _lazy_absolute("certificates:pdf", code=certificate.code),
            "verify_url": _lazy_absolute("certificates:verify", code=certificate.code),
            "transcript_url": _lazy_absolute("certificates:transcript"),
        },
        hub=certificate.program.hub,
    )
