"""`{% stay_informed %}`: the short "Stay informed" form, for the home, hub and program pages
(which belong to apps below this one and so only load the tag)."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from echohub.updates.markdown import render
from echohub.updates.models import Frequency
from echohub.updates.services import consent_wording

register = template.Library()


@register.inclusion_tag("updates/_stay_informed.html", takes_context=True)
def stay_informed(context: Any, hub: Any = None, program: Any = None) -> dict[str, Any]:
    if program is not None and hub is None:
        hub = program.hub
    language = (get_language() or "en")[:2]
    query = {
        k: v for k, v in (("hub", hub and hub.slug), ("program", program and program.slug)) if v
    }
    return {
        "request": context.get("request"),
        "hub": hub,
        "program": program,
        "language": language,
        "frequencies": Frequency.choices,
        "wording": consent_wording(hub, language),
        "more_url": reverse("updates:subscribe") + (f"?{urlencode(query)}" if query else ""),
    }


@register.filter
def markdown(text: str) -> SafeString:
    """An update's text as its page shows it (for its email)."""
    return render(text)
