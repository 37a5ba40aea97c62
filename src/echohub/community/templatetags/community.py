"""The discussion link of a program page: programs shows it without importing this app."""

from typing import Any

from django import template

from echohub.community import permissions
from echohub.community.models import Space
from echohub.programs.models import Program

register = template.Library()


@register.inclusion_tag("community/_link.html", takes_context=True)
def discussion_link(context: dict[str, Any], program: Program) -> dict[str, Any]:
    user = context["request"].user
    shown = user.is_authenticated and permissions.may_enter(user, Space(program=program))
    return {"program": program, "shown": shown}
