"""Signed links that let a person cancel a registration from an email, without logging in."""

from django.core import signing
from django.urls import reverse

from echohub.registration.models import Registration

SALT = "echohub.registration.cancel"
# Links stop working after this long whatever happens; a session's start ends them sooner.
MAX_AGE_SECONDS = 366 * 24 * 3600


def cancel_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(registration.pk))


def cancel_url(registration: Registration) -> str:
    return reverse("registration:cancel_link", kwargs={"token": cancel_token(registration)})


def registration_from_token(token: str) -> Registration | None:
    """The registration a link names, or None for a tampered, expired or unknown link."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return Registration.objects.select_related("session__program", "person").filter(pk=pk).first()
