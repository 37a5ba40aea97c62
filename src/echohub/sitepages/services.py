"""Changing a site page."""

import logging

from django.db import transaction

from echohub.accounts.models import User
from echohub.sitepages.models import SitePage

log = logging.getLogger(__name__)


@transaction.atomic
def save_page(page: SitePage, *, by: User) -> SitePage:
    page.updated_by = by
    page.full_clean()
    page.save()
    log.info("site page %s updated by %s", page.key, by.pk)
    return page
