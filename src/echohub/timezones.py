"""The reader's time zone: every time is stored in UTC and shown in the reader's zone.

The zone comes, in order, from the signed-in person's profile, from the
zone they chose on a page (or that their browser reported, see
static/echohub/timezone.js), and last from settings.TIME_ZONE.
"""

import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TZ_COOKIE = "echohub_tz"

# Canada's zones, east to west, with the names people use for them.
CANADIAN_ZONES: list[tuple[str, "StrOrPromise"]] = [
    ("America/St_Johns", _("Newfoundland (St. John's)")),
    ("America/Halifax", _("Atlantic (Halifax)")),
    ("America/Moncton", _("Atlantic (Moncton)")),
    ("America/Toronto", _("Eastern (Toronto, Ottawa, Montréal)")),
    ("America/Winnipeg", _("Central (Winnipeg)")),
    ("America/Regina", _("Saskatchewan (Regina)")),
    ("America/Edmonton", _("Mountain (Edmonton, Calgary, Yellowknife)")),
    ("America/Vancouver", _("Pacific (Vancouver)")),
    ("America/Whitehorse", _("Yukon (Whitehorse)")),
    ("America/Iqaluit", _("Nunavut, Eastern (Iqaluit)")),
    ("America/Atikokan", _("Eastern Standard, no daylight time (Atikokan)")),
    ("America/Cambridge_Bay", _("Nunavut, Mountain (Cambridge Bay)")),
    ("America/Rankin_Inlet", _("Nunavut, Central (Rankin Inlet)")),
    ("UTC", _("Coordinated Universal Time (UTC)")),
]


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_zone(name: str | None) -> bool:
    return bool(name) and name in known_zones()


def validate_zone(name: str) -> None:
    if not is_valid_zone(name):
        raise ValidationError(_("%(zone)s is not a known time zone."), params={"zone": name})


def zone_label(name: str) -> str:
    """A zone as people call it ("Eastern (Toronto, Ottawa, Montréal)"), else its code."""
    return str(dict(CANADIAN_ZONES).get(name, name))


# Other names of UTC that browsers and systems report ("Etc/UTC" on many servers):
# the list already holds UTC, and must not offer it twice.
UTC_ALIASES = frozenset(
    {"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "Etc/UCT", "UCT"}
)


def zone_choices(current: str | None = None) -> list[tuple[str, "StrOrPromise"]]:
    """Canada's zones, plus the reader's own when it lies elsewhere (a visitor abroad)."""
    choices = list(CANADIAN_ZONES)
    if current in UTC_ALIASES:
        return choices
    if current and is_valid_zone(current) and current not in dict(choices):
        choices.append((current, current))
    return choices


def reader_zone(request: HttpRequest) -> tuple[str, bool]:
    """The zone to show times in, and whether the reader's own zone is known at all."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and is_valid_zone(user.timezone):
        return _one_utc(str(user.timezone)), True
    cookie = request.COOKIES.get(TZ_COOKIE)
    if is_valid_zone(cookie):
        return _one_utc(str(cookie)), True
    return _one_utc(str(settings.TIME_ZONE)), False


def _one_utc(zone: str) -> str:
    """UTC by whatever name, as the list names it (so the list shows it chosen)."""
    return "UTC" if zone in UTC_ALIASES else zone


class ReaderTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone, known = reader_zone(request)
        # Attributes of our own on Django's request, which its type cannot declare.
        request.reader_zone = zone  # type: ignore[attr-defined]  # our attribute
        request.reader_zone_known = known  # type: ignore[attr-defined]  # our attribute
        timezone.activate(zoneinfo.ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
