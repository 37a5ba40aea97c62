"""A hub admin's webhook pages: the list and a new one, one webhook and its deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.formerrors import refusal_onto
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for
from echohub.programs.models import Program
from echohub.webhooks import services
from echohub.webhooks.forms import StoreForm, SubscriptionForm
from echohub.webhooks.models import Delivery, Subscription

SHOWN_DELIVERIES = 50


def _admin(request: HttpRequest, slug: str) -> tuple[User, Hub]:
    user = signed_in_user(request)
    return user, get_hub_for(user, slug, "network.manage_staff")


def _subscription(hub: Hub, pk: int) -> Subscription:
    return get_object_or_404(Subscription, hub=hub, pk=pk)


@login_required
def hooks(request: HttpRequest, slug: str) -> HttpResponse:
    user, hub = _admin(request, slug)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscribe(hub, **form.cleaned_data, by=user)
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            # The secret, shown in this answer only (the webhook's page never shows it).
            return render(
                request, "webhooks/created.html", {"hub": hub, "subscription": subscription}
            )
    subscriptions = Subscription.objects.filter(hub=hub)
    return render(
        request, "webhooks/list.html", {"hub": hub, "subscriptions": subscriptions, "form": form}
    )


@login_required
def hook(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _user, hub = _admin(request, slug)
    subscription = _subscription(hub, pk)
    deliveries = subscription.deliveries.all()[:SHOWN_DELIVERIES]
    return render(
        request,
        "webhooks/detail.html",
        {"hub": hub, "subscription": subscription, "deliveries": deliveries},
    )


@login_required
@require_POST
def resend(request: HttpRequest, slug: str, pk: int, delivery: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    subscription = _subscription(hub, pk)
    found = get_object_or_404(Delivery, pk=delivery, subscription=subscription)
    services.resend(found, by=user)
    messages.success(request, _("The delivery will be sent again in a moment."))
    return redirect("webhooks:hook", slug=hub.slug, pk=subscription.pk)


@login_required
@require_POST
def toggle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    subscription = _subscription(hub, pk)
    services.set_active(subscription, not subscription.active, by=user)
    if subscription.active:
        messages.success(request, _("The webhook is on again: what waited is sent now."))
        services.send_due(subscription.pk)
    else:
        messages.success(request, _("The webhook is paused: events wait until it is on again."))
    return redirect("webhooks:hook", slug=hub.slug, pk=subscription.pk)


@login_required
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, hub = _admin(request, slug)
    subscription = _subscription(hub, pk)
    if request.method == "POST":
        services.delete(subscription, by=user)
        messages.success(request, _("The webhook was deleted, with its deliveries."))
        return redirect("webhooks:hooks", slug=hub.slug)
    return render(request, "webhooks/delete.html", {"hub": hub, "subscription": subscription})


@login_required
def store(request: HttpRequest, slug: str) -> HttpResponse:
    """A program's learning record store (a hub admin's: it holds the store's secret)."""
    user = signed_in_user(request)
    program = Program.objects.select_related("hub").filter(slug=slug).first()
    if program is None or not user.has_perm("network.manage_staff", program.hub):
        raise Http404
    current = Subscription.objects.filter(kind=Subscription.Kind.XAPI, program=program).first()
    initial = (
        {"url": current.url, "key": current.lrs_key, "events": current.events} if current else {}
    )
    form = StoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            current = services.save_store(program, **form.cleaned_data, by=user)
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            messages.success(request, _("Saved: statements go to the store from now on."))
            return redirect("webhooks:store", slug=program.slug)
    return render(
        request, "webhooks/store.html", {"program": program, "store": current, "form": form}
    )
