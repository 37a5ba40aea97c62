"""A dict entry by key for templates, and the box of a session's cases (`{% case_box %}`)."""

from typing import Any

from django import template

from echohub.cases import permissions
from echohub.cases.models import Case
from echohub.programs.models import Session

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.inclusion_tag("cases/_session_box.html", takes_context=True)
def case_box(context: template.Context, session: Session) -> dict[str, Any]:
    """On a session's page: its cases, for its panel and registrants; nothing for anyone else."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    on_panel = permissions.panel_programs(user).filter(pk=session.program_id).exists()
    cases = permissions.visible_cases(user).filter(session=session, status=Case.Status.ACCEPTED)
    return {
        "show": on_panel or cases.exists(),
        "session": session,
        "cases": cases.order_by("slot"),
    }
