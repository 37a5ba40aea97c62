"""Time zone names and abbreviations as a reader of the page's language writes them."""

import datetime as dt

from django import template
from django.utils import timezone

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
    abbreviation = timezone.localtime(moment).tzname() or ""
    if active_lang() == "fr":
        return FRENCH_ABBREVIATIONS.get(abbreviation, abbreviation)
    return abbreviation
