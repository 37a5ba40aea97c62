"""A dict entry by key for templates, and the box of a session's cases (`{% case_box %}`)."""

from typing import Any

from django import template

from echohub.cases import permissions
from echohub.cases.models import Case
from echohub.programs.models import Session
from echohub.programs.permissions import holds_a_role

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
    # The panel sees the box even before any case is scheduled; anyone else only
    # once one is, and only a role can put a person on the panel.
    has_role = context.get("has_role")
    if has_role is None:
        has_role = holds_a_role(user)
    on_panel = has_role and permissions.panel_programs(user).filter(pk=session.program_id).exists()
    scheduled = Case.objects.filter(session=session, status=Case.Status.ACCEPTED)
    if not on_panel and not scheduled.exists():
        return {"show": False}
    cases = permissions.visible_cases(user).filter(session=session, status=Case.Status.ACCEPTED)
    return {
        "show": on_panel or cases.exists(),
        "session": session,
        "cases": cases.order_by("slot"),
    }
