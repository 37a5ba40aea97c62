"""Changes a person makes to their own profile."""

import logging

from django.db import transaction

from echohub.accounts.models import User

log = logging.getLogger(__name__)


@transaction.atomic
def update_profile(person: User) -> User:
    person.full_clean()
    person.save()
    log.info("profile of person %s updated", person.pk)
    return person
