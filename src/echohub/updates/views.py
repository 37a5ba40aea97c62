"""Pages of updates and subscriptions: thin, over the permission helpers and the services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from echohub.accounts.auth import signed_in_user
from echohub.accounts.security import client_ip
from echohub.network.models import Hub
from echohub.programs.models import Program
from echohub.timezones import reader_zone
from echohub.updates import permissions, services
from echohub.updates.forms import (
    ImportForm,
    MyPreferencesForm,
    PreferencesForm,
    SubscribeForm,
    UpdateForm,
)
from echohub.updates.markdown import render as render_markdown
from echohub.updates.models import Subscriber, Update

YEAR = 365 * 24 * 3600


def _lang() -> str:
    return (get_language() or "en")[:2]


# --- Reading -------------------------------------------------------------------


def update_list(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=slug) if slug else None
    page = Paginator(permissions.published_for_hub(hub), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "updates/list.html",
        {"hub": hub, "page": page, "updates": page.object_list},
    )


def update_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    update = permissions.visible_update(request.user, pk)
    if slug != update.slug and update.status == "published":
        return redirect(update, permanent=True)
    return render(
        request,
        "updates/detail.html",
        {
            "update": update,
            "body": render_markdown(update.body),
            "programs": update.programs.filter(status=Program.Status.PUBLISHED),
            "sessions": update.sessions.select_related("program").order_by("starts_at"),
            "resources": update.resources.filter(visibility="public"),
            "can_edit": request.user.is_authenticated
            and request.user.has_perm("updates.write", update.hub),
        },
    )


@require_GET
def update_image(request: HttpRequest, pk: int, name: str) -> FileResponse:
    update = permissions.visible_update(request.user, pk)
    if not update.image or update.image.name.rsplit("/", 1)[-1] != name:
        raise Http404
    try:
        stored = update.image.open("rb")
    except OSError:  # lost from storage: as if there were none
        raise Http404 from None
    response = FileResponse(
        stored, content_type="image/png" if name.endswith(".png") else "image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The address names the file, and a new image is a new name.
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


# --- Subscribing -----------------------------------------------------------------


def _asking_hub(request: HttpRequest) -> Hub | None:
    slug = request.POST.get("asked_by") or request.GET.get("hub") or ""
    return Hub.objects.filter(slug=slug).first() if slug else None


def _came_from(request: HttpRequest) -> str:
    page = request.POST.get("page") or request.path
    if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
        return request.path
    return page


# No CSRF token: the short "Stay informed" form sits on public pages the page cache
# keeps, which must hold no token. A forged post can do nothing a visitor could not
# do by filling the form in: nothing is tied to a session or an account, and the
# address receives a confirmation link, without which nothing else is ever sent.
@csrf_exempt
def subscribe(request: HttpRequest) -> HttpResponse:
    """The full "Stay informed" page; the short forms on other pages post here too."""
    hub = _asking_hub(request)
    wording = services.consent_wording(hub, _lang())
    if request.method == "POST":
        form = SubscribeForm(request.POST, wording=wording)
        if form.is_valid():
            zone, _known = reader_zone(request)
            services.request_subscription(
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                shown_in=_lang(),
                zone=zone,
                choices=form.choices(),
                hub=hub,
                page=_came_from(request),
                ip_address=client_ip(request),
            )
            return redirect("updates:sent")
    else:
        initial: dict[str, Any] = {"language": _lang()}
        if hub is not None:
            initial["hubs"] = [hub]
        program = Program.objects.filter(slug=request.GET.get("program") or "").first()
        if program is not None:
            initial["programs"] = [program]
        form = SubscribeForm(initial=initial, wording=wording)
    came_from = request.POST.get("page") or request.GET.get("page") or request.path
    return render(
        request,
        "updates/subscribe.html",
        {"form": form, "asking_hub": hub, "came_from": came_from},
    )


def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "updates/sent.html")


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A page with one button (mail filters open links to scan them; a GET confirms nothing)."""
    try:
        consent = services.consent_for_token(token)
    except services.LinkExpired:
        return render(request, "updates/confirm_expired.html", status=410)
    except services.LinkInvalid:
        return render(request, "updates/confirm_invalid.html", status=400)
    if request.method == "POST":
        subscriber = services.confirm_subscription(consent)
        return render(request, "updates/confirmed.html", {"subscriber": subscriber})
    return render(request, "updates/confirm.html", {"consent": consent})


def _preferences_page(
    request: HttpRequest, subscriber: Subscriber | None, form: Any, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "updates/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "active": services.is_active(subscriber),
            **extra,
        },
    )


def _initial(subscriber: Subscriber | None) -> dict[str, Any]:
    if subscriber is None:
        return {}
    choices = services.Choices.of(subscriber)
    return {
        "frequency": choices.frequency,
        "language": subscriber.language,
        "professions": subscriber.professions.all(),
        "provinces": subscriber.provinces.all(),
        "hubs": subscriber.hubs.all(),
        "programs": subscriber.programs.all(),
        "topics": subscriber.topics.all(),
    }


@login_required
def my_preferences(request: HttpRequest) -> HttpResponse:
    """A signed-in person's subscription: the same choices, on their own page."""
    person = signed_in_user(request)
    # Theirs by account, or by address (an imported list or the public form).
    subscriber = (
        Subscriber.objects.select_related("address")
        .filter(Q(person=person) | Q(address__email=person.email.lower()))
        .first()
    )
    wording = services.consent_wording(None, _lang())
    if request.method == "POST" and request.POST.get("action") == "stop":
        if subscriber is not None:
            services.stop(subscriber, source="preferences page (signed in)")
            messages.success(request, _("You are unsubscribed: nothing more is sent, from now."))
        return redirect("updates:preferences")
    if request.method == "POST":
        form = MyPreferencesForm(request.POST, wording=wording)
        if form.is_valid():
            services.save_my_preferences(
                person,
                choices=form.choices(),
                wording=wording,
                page=request.path,
                ip_address=client_ip(request),
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("updates:preferences")
    else:
        form = MyPreferencesForm(initial=_initial(subscriber), wording=wording)
    return _preferences_page(request, subscriber, form, signed_in=True)


@never_cache
def key_preferences(request: HttpRequest, key: str) -> HttpResponse:
    """From an email's "Choose what you receive" link: no sign-in needed."""
    subscriber = Subscriber.objects.select_related("address").filter(key=key).first()
    if subscriber is None:
        return render(request, "outreach/unsubscribe_invalid.html", status=400)
    if request.method == "POST" and request.POST.get("action") == "stop":
        services.stop(subscriber, source="preferences page")
        return render(request, "outreach/unsubscribed.html", {"address": subscriber.address})
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid() and services.is_active(subscriber):
            services.change_preferences(
                subscriber, choices=form.choices(), language=form.cleaned_data["language"]
            )
            messages.success(request, _("Your choices are saved."))
            return redirect("updates:preferences_key", key=key)
    else:
        form = PreferencesForm(initial=_initial(subscriber))
    return _preferences_page(request, subscriber, form, signed_in=False)


# --- Writing ---------------------------------------------------------------------


def _writer(request: HttpRequest) -> Any:
    person = signed_in_user(request)
    hubs = permissions.hubs_written_for(person)
    if not person.is_national_admin and not hubs.exists():
        raise PermissionDenied
    return person, hubs


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    person, _hubs = _writer(request)
    updates = permissions.writable_updates(person).select_related("hub")
    page = Paginator(updates, 30).get_page(request.GET.get("page"))
    return render(request, "updates/manage.html", {"page": page, "updates": page.object_list})


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person, hubs = _writer(request)
    update = permissions.get_update_for(person, pk) if pk else Update()
    if request.method == "POST":
        form = UpdateForm(request.POST, request.FILES, instance=update, person=person, hubs=hubs)
        if form.is_valid():
            update = form.save(commit=False)
            update.hub = form.cleaned_data["hub_choice"]
            try:
                services.save_update(
                    update,
                    by=person,
                    links=form.links(),
                    publish=form.cleaned_data["publish"],
                    publish_at=form.cleaned_data.get("publish_at_local"),
                    image=form.cleaned_data.get("image_upload"),
                    remove_image=form.cleaned_data.get("remove_image", False),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _status_message(update))
                return redirect("updates:edit", pk=update.pk)
    else:
        form = UpdateForm(instance=update, person=person, hubs=hubs)
    return render(request, "updates/edit.html", {"form": form, "update": update})


def _status_message(update: Update) -> str:
    if update.status == "draft":
        return _("Saved as a draft. Only your hub's staff can see it, with “Preview”.")
    if update.status == "scheduled":
        return _("Scheduled: it appears, and is emailed, at the time you set.")
    if update.send_email and update.emailed_at is None:
        return _("Published. Its email is on its way to the subscribers it matches.")
    return _("Published.")


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    person = signed_in_user(request)
    hubs = permissions.hubs_imported_for(person)
    if not hubs.exists():
        raise PermissionDenied
    result = None
    refused: list[Any] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, hubs=hubs)
        if form.is_valid():
            rows, refused_rows = form.cleaned_data["file"]
            result = services.import_subscribers(
                form.cleaned_data["hub"],
                rows,
                by=person,
                file_name=getattr(request.FILES.get("file"), "name", "") or "",
            )
            refused = sorted([(r.line, r.email, r.reason) for r in refused_rows] + result.refused)
    else:
        form = ImportForm(hubs=hubs)
    return render(
        request,
        "updates/import.html",
        {"form": form, "result": result, "refused": refused, "now": timezone.now()},
    )
