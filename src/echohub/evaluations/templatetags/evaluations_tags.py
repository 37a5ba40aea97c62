"""On "My sessions": the person's evaluations open now, and the ones they answered."""

from typing import Any

from django import template
from django.db.models import Q

from echohub.evaluations import services
from echohub.evaluations.delivery import open_for
from echohub.evaluations.models import Completion

register = template.Library()

# How many answered evaluations the box recalls (the most recent).
ANSWERED_SHOWN = 5


@register.inclusion_tag("evaluations/_my_box.html")
def evaluations_box(user: Any) -> dict[str, Any]:
    """Two queries whatever the number of evaluations: the open ones and the latest answered."""
    if not getattr(user, "is_authenticated", False):
        return {"show": False}
    waiting = [(c, services.link_token(c)) for c in open_for(user)]
    answered = list(
        Completion.objects.filter(person=user)
        .filter(Q(status=Completion.Status.SUBMITTED) | Q(status=Completion.Status.WAIVED))
        .select_related("program", "session")
        .order_by("-completed_at", "-pk")[:ANSWERED_SHOWN]
    )
    return {"show": bool(waiting or answered), "waiting": waiting, "answered": answered}
