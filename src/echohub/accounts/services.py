"""Changes a person makes to their own profile, and the consent given when signing up."""

import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from echohub.accounts.models import PrivacyConsent, PrivacyNotice, User

log = logging.getLogger(__name__)

# Sent after commit with `person` when a profile is saved: reports copy it into their figures.
profile_updated = Signal()


@transaction.atomic
def update_profile(person: User) -> User:
    person.full_clean()
    person.save()
    transaction.on_commit(lambda: profile_updated.send(sender=User, person=person))
    log.info("profile of person %s updated", person.pk)
    return person


@transaction.atomic
def record_privacy_consent(
    person: User, *, wording: str, language: str, page: str, notice: PrivacyNotice | None
) -> PrivacyConsent:
    """Keep the consent a person gave, in the words and language they were shown, with
    the version of the notice they were shown."""
    consent = PrivacyConsent.objects.create(
        person=person,
        notice=notice,
        wording=wording,
        language=language,
        page=page[:300],
        given_at=timezone.now(),
    )
    log.info(
        "privacy consent %s recorded for person %s (notice %s)",
        consent.pk,
        person.pk,
        notice.version if notice else "-",
    )
    return consent


@transaction.atomic
def publish_privacy_notice(
    *, title_en: str, title_fr: str, body_en: str, body_fr: str, by: User | None
) -> PrivacyNotice:
    """A new version of the privacy notice, unless its text is the current one's."""
    texts = {"title_en": title_en, "title_fr": title_fr, "body_en": body_en, "body_fr": body_fr}
    current = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    if current is not None and all(getattr(current, k) == v for k, v in texts.items()):
        return current
    notice = PrivacyNotice.objects.create(
        version=(current.version + 1) if current else 1,
        published_at=timezone.now(),
        published_by=by,
        **texts,
    )
    log.info("privacy notice version %s published by %s", notice.version, by.pk if by else "-")
    return notice
