"""Evaluation results for hub staff: a session, a program, a hub, every hub; and their exports.

Aggregates only (`evaluations.results`): no page or export lists who answered
what, and a group under five responses shows "fewer than 5".
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from echohub import spreadsheets
from echohub.evaluations import exports, results
from echohub.evaluations.models import Phase
from echohub.network.permissions import get_hub_for, hub_staff_member, managed_hubs
from echohub.programs.permissions import get_program_for, get_session_for
from echohub.spreadsheets import Cell


@never_cache
@login_required
def session_results(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(hub_staff_member(request), pk)
    found = results.for_session(session)
    return render(
        request,
        "evaluations/results_session.html",
        {"session": session, "program": session.program, "results": found, "group": found.group},
    )


@never_cache
@login_required
def program_results(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for(hub_staff_member(request), slug)
    groups = list(program.groups.all())
    chosen = request.GET.get("group", "")
    for_group = next((g for g in groups if str(g.pk) == chosen), None)
    found = results.for_program(program, for_group=for_group)
    return render(
        request,
        "evaluations/results_program.html",
        {
            "program": program,
            "groups": groups,
            "for_group": for_group,
            "results": found,
            "session_phase": found.phase(Phase.SESSION),
            "other_phases": [p for p in found.phases if p.phase != Phase.SESSION],
            "shown_trends": [row for row in found.trends if row.satisfaction is not None],
        },
    )


@never_cache
@login_required
def hub_results(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for(hub_staff_member(request), slug)
    return render(
        request, "evaluations/results_hub.html", {"hub": hub, "rows": results.for_hub(hub)}
    )


@never_cache
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    hubs = managed_hubs(hub_staff_member(request))
    return render(request, "evaluations/results_overview.html", {"rows": results.for_hubs(hubs)})


def _download(rows: list[list[Cell]], fmt: str, name: str) -> HttpResponse:
    return spreadsheets.download(fmt, name, _("Evaluation results"), exports.header(), rows)


def _format(fmt: str) -> str:
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    return fmt


@never_cache
@login_required
def session_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    session = get_session_for(hub_staff_member(request), pk)
    fmt = _format(fmt)
    rows = exports.session_rows(results.for_session(session))
    return _download(rows, fmt, f"evaluation-session-{session.pk}")


@never_cache
@login_required
def program_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    program = get_program_for(hub_staff_member(request), slug)
    fmt = _format(fmt)
    found = results.for_program(program, each_session=True)
    return _download(exports.program_rows(found, found.sessions), fmt, f"evaluation-{program.slug}")


@never_cache
@login_required
def hub_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    hub = get_hub_for(hub_staff_member(request), slug)
    fmt = _format(fmt)
    rows: list[list[Cell]] = []
    for row in results.for_hub(hub):
        rows += exports.program_rows(results.for_program(row.program))
    return _download(rows, fmt, f"evaluation-{hub.slug}")
