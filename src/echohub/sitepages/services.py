"""Changing a site page."""

import logging

from django.db import transaction

from echohub.accounts.models import User
from echohub.accounts.services import publish_privacy_notice
from echohub.sitepages.models import SitePage

log = logging.getLogger(__name__)


@transaction.atomic
def save_page(page: SitePage, *, by: User) -> SitePage:
    page.updated_by = by
    page.full_clean()
    page.save()
    if page.key == SitePage.Key.PRIVACY:
        # What people agree to when they create an account: each text kept as a version.
        publish_privacy_notice(
            title_en=page.title_en,
            title_fr=page.title_fr,
            body_en=page.body_en,
            body_fr=page.body_fr,
            by=by,
        )
    log.info("site page %s updated by %s", page.key, by.pk)
    return page
