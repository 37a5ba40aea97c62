"""The library as readers see it: search, a resource with its player and history, files, follows."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.cases.permissions import member_programs
from echohub.library import services
from echohub.library.forms import SearchForm
from echohub.library.models import Follow, ProtocolVersion, Resource
from echohub.library.permissions import get_resource_for, manages_library
from echohub.library.search.query import Filters, search
from echohub.library.video import player_for
from echohub.pagecache.cache import public_page
from echohub.pagecache.kept import kept_rows
from echohub.programs.permissions import reachable_programs
from echohub.reference.models import Topic

PAGE = 20
MAX_PAGE = 500


def _number(value: str | None, *, default: int, most: int) -> int:
    """A whole number from the address, within bounds; anything else is the default."""
    if not value or not value.isascii() or not value.isdecimal():
        return default
    return max(0, min(int(value), most))


@public_page
def index(request: HttpRequest) -> HttpResponse:
    """One search box over the library (and, for members, the case library), with filters."""
    programs = reachable_programs(request.user) | member_programs(request.user)
    form = SearchForm(request.GET or None, programs=programs.distinct())
    without_program = request.GET.copy()
    for key in ("program", "page"):
        without_program.pop(key, None)
    page = _number(request.GET.get("page"), default=1, most=MAX_PAGE)
    results = None
    if form.is_valid():
        data = form.cleaned_data
        filters = Filters(
            kind=data["kind"] or None,
            topic=data["topic"].code if data["topic"] else None,
            profession=data["profession"].code if data["profession"] else None,
            setting=data["setting"].code if data["setting"] else None,
            program=data["program"].slug if data["program"] else None,
            language=data["language"] or None,
            since=data["since"],
            until=data["until"],
        )
        results = search(request.user, data["q"], filters, limit=PAGE, offset=(page - 1) * PAGE)
    else:
        results = search(request.user, "", Filters(), limit=PAGE)
    return render(
        request,
        "library/index.html",
        {
            "form": form,
            "results": results,
            "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
            "page": page,
            "has_next": results.total > page * PAGE and page < MAX_PAGE,
            "filtered": form.is_valid()
            and any(v for k, v in form.cleaned_data.items() if k != "q"),
            "topics": kept_rows(Topic),
            "chosen_program": form.cleaned_data.get("program") if form.is_valid() else None,
            "without_program": without_program.urlencode(),
        },
    )


def resource(request: HttpRequest, key: str) -> HttpResponse:
    found = get_resource_for(request.user, key)
    start = _number(request.GET.get("t"), default=0, most=100 * 3600)
    player = player_for(found.url) if found.url else None
    versions = list(found.versions.all()) if found.kind == Resource.Kind.PROTOCOL else []
    if services.counts_as_a_view(request):
        services.count_view(found)
    return render(
        request,
        "library/resource.html",
        {
            "resource": found,
            "player": player,
            "player_url": player.at(start) if player else "",
            "start": start,
            "segments": found.segments.all()[:2000],
            "versions": versions,
            "may_manage": manages_library(request.user, found.hub),
            "is_video_file": found.file_type.startswith(("video/", "audio/")),
        },
    )


def download(request: HttpRequest, key: str) -> FileResponse:
    """A file of a resource (or of one protocol version), to whoever may see the resource.

    Served as an attachment with its checked type and `nosniff`, under a CSP
    that forbids everything, so a browser never runs what was uploaded; a
    recording or an image is shown inline so that <video> can play it.
    """
    found = get_resource_for(request.user, key)
    name, file_type, stored = found.file_name, found.file_type, found.file
    number = _number(request.GET.get("version"), default=0, most=1_000_000)
    if number:
        version = get_object_or_404(ProtocolVersion, resource=found, number=number)
        name, file_type, stored = version.file_name, version.file_type, version.file
    if not stored:
        raise Http404
    if services.counts_as_a_view(request, download=True):
        services.count_view(found)
    inline = file_type.startswith(("video/", "audio/", "image/")) or file_type == "application/pdf"
    response = FileResponse(
        stored.open("rb"), as_attachment=not inline, filename=name, content_type=file_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def diff(request: HttpRequest, key: str, number: int) -> HttpResponse:
    """What changed in a written protocol between a version and the one before it."""
    found = get_resource_for(request.user, key)
    version = get_object_or_404(ProtocolVersion, resource=found, number=number)
    before = found.versions.filter(number__lt=number).order_by("-number").first()
    lines = list(
        difflib.ndiff((before.text if before else "").splitlines(), version.text.splitlines())
    )
    rows = [(line[0], line[2:]) for line in lines if line[:1] in ("+", "-", " ")]
    return render(
        request,
        "library/diff.html",
        {"resource": found, "version": version, "before": before, "rows": rows},
    )


def _target(request: HttpRequest) -> dict[str, object]:
    what, value = request.POST.get("what", ""), request.POST.get("value", "")
    if what == "resource":
        return {"resource": get_resource_for(request.user, value)}
    if what == "topic":
        return {"topic": get_object_or_404(Topic, code=value)}
    if what == "program":
        return {"program": get_object_or_404(reachable_programs(request.user), slug=value)}
    raise Http404


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    person = signed_in_user(request)
    target = _target(request)
    if request.POST.get("stop"):
        services.unfollow(person, **target)
        messages.success(request, _("You no longer follow it."))
    else:
        services.follow(person, **target)
        messages.success(request, _("Followed: you will get an email when something new appears."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("library:following")


@login_required
def following(request: HttpRequest) -> HttpResponse:
    person = signed_in_user(request)
    follows = Follow.objects.filter(person=person).select_related("resource", "topic", "program")
    return render(
        request,
        "library/following.html",
        {"follows": follows, "topics": Topic.objects.exclude(pk__in=follows.values("topic"))},
    )
