"""The library's pieces on other apps' pages: a program's recordings, a follow button."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from echohub.library.models import Follow, Resource
from echohub.library.permissions import visible_resources
from echohub.library.services import program_recordings
from echohub.programs.models import Program

register = template.Library()


@register.simple_tag(takes_context=True)
def session_resources(context: template.Context, program: Program) -> dict[int, Any]:
    """{session id: [recordings and slides this reader may see]} for the program's page."""
    return program_recordings(program, visible_resources(context["request"].user))


# How a follow button names what it follows: a resource's key, a topic's code, a program's slug.
FOLLOWED_BY = {"resource": "resource__key", "topic": "topic__code", "program": "program__slug"}


@register.inclusion_tag("library/_follow.html", takes_context=True)
def follow_button(context: template.Context, what: str, value: str) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    following = bool(
        user.is_authenticated
        and Follow.objects.filter(person=user, **{FOLLOWED_BY[what]: value}).exists()
    )
    return {
        "what": what,
        "value": value,
        "following": following,
        "signed_in": user.is_authenticated,
        "next": request.get_full_path(),
    }


@register.filter
def stamp(seconds: int) -> str:
    """1:02:03 or 2:03, as players show a moment."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def ms_stamp(milliseconds: int | None) -> str:
    return "" if milliseconds is None else stamp(milliseconds // 1000)


@register.filter
def kind_label(kind: str) -> str:
    if kind == "case":
        return str(_("Case"))
    if kind == "discussion":
        return str(_("Discussion"))
    return str(dict(Resource.Kind.choices).get(kind, kind))
