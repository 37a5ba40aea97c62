"""A hub admin's video platform pages: the hub's connections, a new one, one to change,
test or delete. Every page is the hub admins' (`network.manage_staff`): another
hub's staff get a 404, as for a connection that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for
from echohub.video import platforms, services
from echohub.video.forms import ConnectionForm
from echohub.video.models import Connection, Platform
from echohub.video.platforms.base import PROBLEMS


def _admin(request: HttpRequest, slug: str) -> tuple[User, Hub]:
    user = signed_in_user(request)
    return user, get_hub_for(user, slug, "network.manage_staff")


def _connection(hub: Hub, pk: int) -> Connection:
    return get_object_or_404(Connection, hub=hub, pk=pk)


def _refused(form: ConnectionForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


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
            _refused(form, error)
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
            _refused(form, error)
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
