"""Reach dashboards (network, hub, program), their tables as CSV and XLSX, the quarterly
funder report as a PDF, and a hub's own records.

Thin: fetch through a permission helper, read the filter, ask `figures`, render.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from echohub import spreadsheets
from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.evaluations.charts import bars
from echohub.evaluations.moore import moore_summary
from echohub.evaluations.results import Point as ChartPoint
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for
from echohub.programs.models import Program
from echohub.programs.permissions import get_program_for
from echohub.reports import exports, figures, maps, pdf, periods
from echohub.reports.figures import Breakdown, Scope
from echohub.reports.forms import FilterForm
from echohub.reports.permissions import national_admin, reads_records, sees_small_cells

CHARTED = ("professions", "settings", "rurality")
NATIONAL = ("provinces", "professions", "settings", "rurality", "languages", "hubs")
HUB = ("provinces", "professions", "settings", "rurality", "languages", "programs", "spokes")
PROGRAM = ("provinces", "professions", "settings", "rurality", "languages", "spokes")


def _program_names(program: Program) -> tuple[str, ...]:
    """A program's breakdowns, with one by group when it has groups."""
    return (*PROGRAM, "groups") if program.groups.exists() else PROGRAM


def _scope(
    request: HttpRequest,
    *,
    hubs: Any = None,
    programs: Any = None,
    hub: Hub | None = None,
    program: Program | None = None,
) -> tuple[FilterForm, Scope]:
    form = FilterForm(request.GET or None, hubs=hubs, programs=programs)
    data: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
    elif not form.is_bound:
        form = FilterForm({"period": "all"}, hubs=hubs, programs=programs)
        form.is_valid()
        data = form.cleaned_data
    scope = Scope(
        period=data.get("period") or figures.ALL_TIME,
        hub=hub or data.get("hub"),
        program=program or data.get("program"),
        profession=data.get("profession"),
        province=data.get("province"),
    )
    return form, scope


def _chart(breakdown: Breakdown, caption_id: str) -> Any:
    total = sum(c.counts.participations for c in breakdown.shown) or 1
    return bars(
        [
            ChartPoint(c.label, c.counts.participations, c.counts.participations / total, c.hidden)
            for c in breakdown.shown
        ],
        caption_id,
    )


def _context(user: User, scope: Scope, names: tuple[str, ...], level: str) -> dict[str, Any]:
    suppress = not sees_small_cells(
        user, scope.hub or (scope.program.hub if scope.program else None)
    )
    reach = figures.reach(scope)
    breakdowns = {name: figures.breakdown(scope, name, suppress=suppress) for name in names}
    series = figures.series(scope, suppress=suppress)
    provinces = breakdowns["provinces"]
    map_values = {c.key: (None if c.hidden else c.counts.people) for c in provinces.cells if c.key}
    over_time = Breakdown(
        "over-time",
        _("Participations over time"),
        [figures.Cell(p.key, p.label, p.counts) for p in series],
    )
    charted = [
        (breakdowns[name], _chart(breakdowns[name], f"chart-{name}-cap")) for name in CHARTED
    ]
    names_of = {c.key: c.label for c in provinces.cells if c.key}
    return {
        "scope": scope,
        "level": level,
        "reach": reach,
        "moore": moore_summary(scope.programs(), scope.period.start, scope.period.last_day),
        "breakdowns": breakdowns,
        "series": series,
        "over_time": over_time,
        "over_time_chart": _chart(over_time, "chart-over-time-cap"),
        "charted": charted,
        "tabled": [b for name, b in breakdowns.items() if name not in (*CHARTED, "provinces")],
        "map": maps.canada_map(
            map_values,
            names=names_of,
            title=_("Participants by province and territory"),
            summary_id="provinces-tcap",
        ),
        "map_legend": maps.map_legend(map_values),
        "suppress": suppress,
        "records": level == "hub" and scope.hub is not None and reads_records(user, scope.hub),
        "rural_share": _rural_share(breakdowns["rurality"]),
        "query": scope.query(),
        "last_quarter": periods.last_whole_quarter(timezone.localdate()),
    }


def _rural_share(rurality: Breakdown) -> float | None:
    known = {c.key: c.counts.people for c in rurality.cells if c.key and not c.hidden}
    if len(known) < len([c for c in rurality.cells if c.key]) or not sum(known.values()):
        return None
    return known.get("rural", 0) / sum(known.values())


@never_cache
@login_required
def national(request: HttpRequest) -> HttpResponse:
    user = national_admin(request)
    form, scope = _scope(request, hubs=Hub.objects.order_by("slug"))
    names = NATIONAL if scope.hub is None else HUB
    context = _context(user, scope, names, "national")
    context.update(form=form, title=_("Reach of the network"))
    return render(request, "reports/dashboard.html", context)


@never_cache
@login_required
def hub(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    found = get_hub_for(user, slug)
    form, scope = _scope(request, programs=found.programs.order_by("title_en"), hub=found)
    context = _context(user, scope, HUB, "hub")
    context.update(form=form, hub=found, title=_("Reach of the hub"))
    return render(request, "reports/dashboard.html", context)


@never_cache
@login_required
def program(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    found = get_program_for(user, slug)
    form, scope = _scope(request, hub=found.hub, program=found)
    context = _context(user, scope, _program_names(found), "program")
    context.update(form=form, hub=found.hub, program=found, title=_("Reach of the program"))
    return render(request, "reports/dashboard.html", context)


def _scope_for_export(
    request: HttpRequest, level: str, slug: str | None
) -> tuple[User, Scope, tuple[str, ...]]:
    """The download's scope, from the same filter as its page; a filter the page would
    refuse is a link nobody was given (404), not a download of something else."""
    if level == "national":
        user = national_admin(request)
        form, scope = _scope(request, hubs=Hub.objects.all())
        names: tuple[str, ...] = NATIONAL if scope.hub is None else HUB
    else:
        user = signed_in_user(request)
        if level == "hub":
            found = get_hub_for(user, slug or "")
            form, scope = _scope(request, programs=found.programs.all(), hub=found)
            names = HUB
        else:
            program_found = get_program_for(user, slug or "")
            form, scope = _scope(request, hub=program_found.hub, program=program_found)
            names = _program_names(program_found)
    if form.errors:
        raise Http404
    return user, scope, names


@never_cache
@login_required
def table(
    request: HttpRequest, level: str, table: str, fmt: str, slug: str | None = None
) -> HttpResponse:
    if fmt not in ("csv", "xlsx") or level not in ("national", "hub", "program"):
        raise Http404
    user, scope, names = _scope_for_export(request, level, slug)
    if table not in (*names, "summary", "over-time"):
        raise Http404
    suppress = not sees_small_cells(user, scope.hub)
    title, header, rows = exports.table(scope, table, suppress=suppress)
    return spreadsheets.download(fmt, exports.filename(scope, table), title, header, rows)


@never_cache
@login_required
def funder_report(request: HttpRequest, level: str, slug: str | None = None) -> HttpResponse:
    if level not in ("national", "hub", "program"):
        raise Http404
    _user, scope, names = _scope_for_export(request, level, slug)
    lang = request.GET.get("lang") if request.GET.get("lang") in ("en", "fr") else None
    body = pdf.funder_report(scope, names, lang=lang)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(scope, "funder-report")}.pdf"'
    )
    return response


@never_cache
@login_required
def records(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's own records, as iECHO exports them: sessions, participants, attendance."""
    user = signed_in_user(request)
    found = get_hub_for(user, slug)
    if not reads_records(user, found):
        raise Http404
    body = exports.hub_records(found)
    response = HttpResponse(body, content_type=spreadsheets.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-records.xlsx"'
    return response
