"""Time zone names and abbreviations as a reader of the page's language writes them."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from echohub.bilingual import active_lang
from echohub.timezones import zone_label as label_of

register = template.Library()

# Canadian French writes HNE/HAE where English writes EST/EDT (OQLF usage).
FRENCH_ABBREVIATIONS = {
    "NST": "HNT",
    "NDT": "HAT",
    "AST": "HNA",
    "ADT": "HAA",
    "EST": "HNE",
    "EDT": "HAE",
    "CST": "HNC",
    "CDT": "HAC",
    "MST": "HNR",
    "MDT": "HAR",
    "PST": "HNP",
    "PDT": "HAP",
}


@register.filter
def zone_label(name: str) -> str:
    return label_of(name)


@register.filter
def zone_abbr(moment: dt.datetime) -> str:
    """The abbreviation of the active zone at that moment (EST, or HNE in French)."""
    return _abbreviation(timezone.localtime(moment))


def _abbreviation(local: dt.datetime) -> str:
    abbreviation = local.tzname() or ""
    if active_lang() == "fr":
        return FRENCH_ABBREVIATIONS.get(abbreviation, abbreviation)
    return abbreviation


@register.simple_tag
def when(at: dt.datetime | None) -> SafeString:
    """A moment as every page writes it: date, time and zone in the reader's zone (or the
    zone a `{% timezone %}` block sets), with the instant in UTC for machines.

    It was a template include; twenty of them on a catalogue page were a tenth of the
    page's CPU (docs/benchmarks.md), so it is written here once, in Python.
    """
    if at is None:
        return SafeString("")
    local = timezone.localtime(at)
    # isoformat() is what the "c" date format writes, without DateFormat's set-up; the
    # zone's name comes from `local`, not from a second conversion.
    return format_html(
        '<span class="when"><time datetime="{}">{}, {} {}</time></span>',
        at.astimezone(dt.UTC).isoformat(),
        formats.date_format(local, "DATE_FORMAT"),
        formats.time_format(local, "TIME_FORMAT"),
        _abbreviation(local),
    )
