"""What every page needs: the other language's address, the reader's zone, the site's name,
whether the menu offers "Manage"."""

from functools import partial
from typing import Any

import rules
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from echohub.timezones import zone_choices


def site(request: HttpRequest) -> dict[str, Any]:
    current = (get_language() or "en")[:2]
    other = "fr" if current == "en" else "en"
    path = request.get_full_path()
    zone = getattr(request, "reader_zone", "")
    return {
        "current_lang": current,
        "other_lang": other,
        "other_lang_url": translate_url(path, other),
        "other_lang_name": "Français" if other == "fr" else "English",
        "reader_zone": zone,
        "reader_zone_known": getattr(request, "reader_zone_known", False),
        "zone_choices": zone_choices(zone),
        "site_name": settings.SITE_NAME,
        # The menu's "Manage", asked of the rule alone when the menu shows it (templates
        # call it): `perms.…` would also ask Django's model permissions, two queries a page.
        "shows_manage": partial(rules.has_perm, "network.use_manage_pages", request.user),
    }
