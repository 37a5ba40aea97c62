"""The meeting box of a session's staff pages: how its meeting stands, and what to do."""

from typing import Any

from django import template

from echohub.programs.models import Session
from echohub.video.models import Meeting
from echohub.video.platforms.base import PROBLEMS

register = template.Library()


@register.inclusion_tag("video/_meeting_box.html", takes_context=True)
def meeting_box(context: dict[str, Any], session: Session) -> dict[str, Any]:
    meeting = (
        Meeting.objects.select_related("connection", "attendance_import")
        .filter(session=session)
        .first()
    )
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "session": session,
        "meeting": meeting,
        "problem": PROBLEMS.get(meeting.problem, "") if meeting else "",
    }
