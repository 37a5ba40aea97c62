"""A hub admin's video platform pages: the hub's connections, a new one, one to change,
test or delete. Every page is the hub admins' (`network.manage_staff`): another
hub's staff get a 404, as for a connection that does not exist."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.formerrors import refusal_onto
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for, hub_staff_member
from echohub.programs.models import Session
from echohub.programs.permissions import get_program_for, get_session_for
from echohub.video import meetings, platforms, services, tasks
from echohub.video.forms import ConnectionForm, ProgramVideoForm
from echohub.video.models import Connection, Meeting, Platform, ProgramVideo
from echohub.video.platforms.base import PROBLEMS
from echohub.workers.queue import enqueue_atomically


def _admin(request: HttpRequest, slug: str) -> tuple[User, Hub]:
    user = signed_in_user(request)
    return user, get_hub_for(user, slug, "network.manage_staff")


def _connection(hub: Hub, pk: int) -> Connection:
    return get_object_or_404(Connection, hub=hub, pk=pk)


def _values(form: ConnectionForm) -> dict[str, str]:
    return {k: v for k, v in form.cleaned_data.items() if k != "name"}


@login_required
def connections(request: HttpRequest, slug: str) -> HttpResponse:
    _user, hub = _admin(request, slug)
    return render(
        request,
        "video/list.html",
        {"hub": hub, "connections": Connection.objects.filter(hub=hub), "platforms": Platform},
    )


@login_required
def connect(request: HttpRequest, slug: str, platform: str) -> HttpResponse:
    user, hub = _admin(request, slug)
    if platform not in Platform.values:
        raise Http404
    form = ConnectionForm(platform, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.connect(
                hub, platform, form.cleaned_data["name"], _values(form), by=user
            )
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            messages.success(request, _("Connected: EchoHub is testing the connection."))
            return redirect("video:connection", slug=hub.slug, pk=connection.pk)
    return render(
        request,
        "video/connect.html",
        {
            "hub": hub,
            "form": form,
            "platform": Platform(platform),
            "guide": platforms.described(platform).guide,
        },
    )


@login_required
def connection(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    found = _connection(hub, pk)
    initial = {"name": found.name, **found.options}
    form = ConnectionForm(found.platform, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.change(found, form.cleaned_data["name"], _values(form), by=user)
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            messages.success(request, _("Saved: EchoHub is testing the connection again."))
            return redirect("video:connection", slug=hub.slug, pk=found.pk)
    return render(
        request,
        "video/detail.html",
        {
            "hub": hub,
            "connection": found,
            "form": form,
            "problem": PROBLEMS.get(found.check_problem, ""),
            "guide": platforms.described(found.platform).guide,
            "zoom_endpoint": (
                settings.SITE_URL.rstrip("/") + reverse("video_hooks:zoom", args=[found.hook_key])
                if found.platform == Platform.ZOOM
                else ""
            ),
        },
    )


@login_required
@require_POST
def test(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    services.test(_connection(hub, pk), by=user)
    return redirect("video:connection", slug=hub.slug, pk=pk)


@login_required
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    found = _connection(hub, pk)
    if request.method == "POST":
        services.disconnect(found, by=user)
        messages.success(request, _("The connection was deleted, with its sealed secrets."))
        return redirect("video:connections", slug=hub.slug)
    return render(request, "video/delete.html", {"hub": hub, "connection": found})


# --- A program's meetings, and a session's ------------------------------------------


@login_required
def program(request: HttpRequest, slug: str) -> HttpResponse:
    """Which platform the program's meetings are made on (its coordinators choose)."""
    user = hub_staff_member(request)
    found = get_program_for(user, slug)
    current = ProgramVideo.objects.filter(program=found).select_related("connection").first()
    initial = (
        {
            "connection": current.connection,
            "auto_apply": current.auto_apply,
            "fetch_after_minutes": current.fetch_after_minutes,
            "recording_visibility": current.recording_visibility,
        }
        if current
        else {}
    )
    form = ProgramVideoForm(found.hub, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.use(found, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved: the sessions' meetings follow in a moment.")
                if form.cleaned_data["connection"]
                else _("Saved: EchoHub no longer makes this program's meetings."),
            )
            return redirect("video:program", slug=found.slug)
    sessions = (
        found.sessions.filter(starts_at__gte=timezone.now() - dt.timedelta(days=30))
        .select_related("video_meeting")
        .order_by("starts_at")[:100]
    )
    return render(
        request,
        "video/program.html",
        {"program": found, "form": form, "sessions": sessions},
    )


def _back(request: HttpRequest, session: Session) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("attendance:session", pk=session.pk)


def _meeting(request: HttpRequest, pk: int) -> tuple[User, Meeting]:
    user = hub_staff_member(request)
    session = get_session_for(user, pk)
    return user, get_object_or_404(Meeting.objects.select_related("session"), session=session)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    _user, meeting = _meeting(request, pk)
    meetings.retry(meeting)
    messages.success(
        request, _("EchoHub is trying again: this page shows how it went in a moment.")
    )
    return _back(request, meeting.session)


@login_required
@require_POST
def look_for_recordings(request: HttpRequest, pk: int) -> HttpResponse:
    _user, meeting = _meeting(request, pk)
    meetings.recordings_ready(meeting)
    messages.success(request, _("EchoHub is asking the platform for the session's recordings."))
    return _back(request, meeting.session)


@login_required
@require_POST
def add_recording(request: HttpRequest, pk: int) -> HttpResponse:
    user, meeting = _meeting(request, pk)
    external_id = request.POST.get("recording", "")
    if not any(r["external_id"] == external_id for r in meeting.recordings):
        raise Http404
    enqueue_atomically(tasks.add_recording, meeting.pk, external_id, user.pk)
    messages.success(
        request, _("The recording goes into the library in a moment, with its transcript if any.")
    )
    return _back(request, meeting.session)
