"""Pieces of the reach pages: tables, their downloads, chart summaries, and the attendance
figures that the session and program pages of `attendance` show."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.evaluations.charts import percent
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.reports import figures
from echohub.reports.figures import Breakdown

register = template.Library()


@register.simple_tag
def other_views(views: dict[str, int]) -> int:
    return sum(n for kind, n in views.items() if kind != "recording")


def _url(
    level: str, hub: Hub | None, program: Program | None, what: str, fmt: str, query: dict[str, str]
) -> str:
    if what == "pdf":
        name, kwargs = f"reports:{level}_pdf", {}
    else:
        name, kwargs = f"reports:{level}_table", {"table": what, "fmt": fmt}
    if level == "program" and program:
        kwargs["slug"] = program.slug
    elif level == "hub" and hub:
        kwargs["slug"] = hub.slug
    return f"{reverse(name, kwargs=kwargs)}?{urlencode(query)}"


@register.simple_tag
def report_url(
    level: str,
    hub: Hub | None,
    program: Program | None,
    what: str,
    query: dict[str, str],
    **extra: str,
) -> str:
    return _url(level, hub, program, what, "", {**query, **extra})


@register.inclusion_tag("reports/_export_links.html")
def export_links(
    level: str, hub: Hub | None, program: Program | None, table: str, query: dict[str, str]
) -> dict[str, Any]:
    return {
        "csv": _url(level, hub, program, table, "csv", query),
        "xlsx": _url(level, hub, program, table, "xlsx", query),
    }


@register.inclusion_tag("reports/_table.html")
def breakdown_table(breakdown: Breakdown, query: dict[str, str] | None = None) -> dict[str, Any]:
    """A breakdown's table; a hub's or program's line links to its own report, for the same
    period, profession and province (`query`)."""
    whole = sum(c.counts.participations for c in breakdown.cells)
    kept = {k: v for k, v in (query or {}).items() if k in ("period", "profession", "province")}
    return {"b": breakdown, "whole": whole, "query_string": urlencode(kept)}


@register.simple_tag
def share(part: int, whole: int) -> str:
    return percent(part / whole) if whole else "—"


@register.simple_tag
def chart_summary(breakdown: Breakdown, people: bool = False) -> str:
    """One sentence for those who do not see the chart: the largest parts, or that it is empty."""
    cells = [c for c in breakdown.cells if c.counts.participations and not c.hidden]
    if not cells:
        return _("%(title)s: no figures to show.") % {"title": breakdown.title}
    measure = (lambda c: c.counts.people) if people else (lambda c: c.counts.participations)
    whole = sum(measure(c) for c in cells) or 1
    if breakdown.name == "over-time":
        top = max(cells, key=measure)
        return _(
            "%(title)s: %(count)s participations over %(periods)s periods; "
            "the most in %(top)s (%(most)s)."
        ) % {
            "title": breakdown.title,
            "count": sum(c.counts.participations for c in cells),
            "periods": len(breakdown.cells),
            "top": top.label,
            "most": top.counts.participations,
        }
    ranked = sorted(cells, key=measure, reverse=True)[:3]
    parts = ", ".join(f"{c.label} ({percent(measure(c) / whole)})" for c in ranked)
    if people:
        return _("%(title)s, by participants: the most are in %(parts)s.") % {
            "title": breakdown.title,
            "parts": parts,
        }
    return _("%(title)s, by participations: the largest are %(parts)s.") % {
        "title": breakdown.title,
        "parts": parts,
    }


@register.simple_tag
def session_figures(session: Session) -> figures.Counts:
    """A session's attendance figures, as its attendance page shows them."""
    return figures.live(Session.objects.filter(pk=session.pk)).total


@register.simple_tag
def program_figures(program: Program) -> figures.Live:
    """Each held session's figures and the program's total, for its attendance page."""
    held = program.sessions.exclude(status=Session.Status.CANCELLED).filter(
        starts_at__lte=timezone.now()
    )
    return figures.live(held)
