"""Changes a person makes to their own profile, and the consent given when signing up."""

import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from echohub.accounts.models import PrivacyConsent, User

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
    person: User, *, wording: str, language: str, page: str
) -> PrivacyConsent:
    """Keep the consent a person gave, in the words and language they were shown."""
    consent = PrivacyConsent.objects.create(
        person=person, wording=wording, language=language, page=page[:300], given_at=timezone.now()
    )
    log.info("privacy consent %s recorded for person %s", consent.pk, person.pk)
    return consent
