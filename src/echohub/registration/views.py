"""A participant registers, enrols, cancels (also from a signed link in any email)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.programs.permissions import public_programs, public_sessions
from echohub.registration import feeds, services
from echohub.registration.links import registration_from_token
from echohub.registration.models import Enrolment, Registration

DONE = {
    Registration.Status.CONFIRMED: gettext_lazy("You are registered."),
    Registration.Status.WAITLISTED: gettext_lazy(
        "The session is full: you are on the waiting list."
    ),
    Registration.Status.PENDING: gettext_lazy("Your registration awaits the hub's approval."),
}


# A visitor who pressed "Register" before logging in: the session they chose, kept in
# their (login-surviving) session so that they land back registered, not asked again.
INTENT_KEY = "echohub.register_after_login"


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """POST registers; a visitor's POST is remembered while they log in or sign up.

    Back from logging in (a GET) the remembered registration is made at once; a GET
    without one (a link followed later) asks to confirm with one click, since a GET
    alone never registers anyone.
    """
    session = get_object_or_404(public_sessions().select_related("program"), pk=pk)
    if not request.user.is_authenticated:
        if request.method == "POST":
            request.session[INTENT_KEY] = session.pk
        account_page = "account_signup" if request.POST.get("then") == "signup" else "account_login"
        return redirect_to_login(request.get_full_path(), reverse(account_page))
    person = signed_in_user(request)
    intended = request.session.pop(INTENT_KEY, None) == session.pk
    if request.method != "POST" and not intended:
        return render(request, "registration/confirm_register.html", {"session": session})
    try:
        registration = services.register(person, session)
    except services.RegistrationRefused as refused:
        return render(
            request,
            "registration/refused.html",
            {"session": session, "reason": " ".join(refused.messages)},
            status=409,
        )
    messages.success(request, str(DONE[Registration.Status(registration.status)]))
    return redirect(session)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person = signed_in_user(request)
    registration = get_object_or_404(
        Registration.objects.select_related("session"), session_id=pk, person=person
    )
    services.cancel(registration, by=person)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(registration.session)


@login_required
@require_POST
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    person = signed_in_user(request)
    program = get_object_or_404(public_programs(), slug=slug)
    try:
        enrolment = services.enrol(person, program)
    except services.RegistrationRefused as refused:
        return render(
            request,
            "registration/refused.html",
            {"program": program, "reason": " ".join(refused.messages)},
            status=409,
        )
    if enrolment.status == Enrolment.Status.ACTIVE:
        messages.success(request, _("You are enrolled: you are registered for every session."))
    else:
        messages.success(request, _("Your enrolment awaits the hub's approval."))
    return redirect(program)


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    person = signed_in_user(request)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("program"), program__slug=slug, person=person
    )
    services.leave(enrolment, by=person)
    messages.success(request, _("You have left the program; your registrations are cancelled."))
    return redirect(enrolment.program)


def cancel_link(request: HttpRequest, token: str) -> HttpResponse:
    """The cancel link of an email: no login; GET asks, POST cancels."""
    registration = registration_from_token(token)
    if registration is None:
        return render(request, "registration/bad_link.html", status=400)
    session = registration.session
    if session.starts_at <= timezone.now():
        return render(request, "registration/bad_link.html", {"started": True}, status=410)
    if request.method == "POST":
        if registration.is_active:
            services.cancel(registration)
        return render(
            request,
            "registration/cancelled.html",
            {"session": session, "registration": registration},
        )
    return render(
        request,
        "registration/confirm_cancel.html",
        {"session": session, "registration": registration},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A person's sessions to come, their enrolments, and their private calendar feed."""
    person = signed_in_user(request)
    registrations = (
        Registration.objects.filter(
            person=person,
            status__in=Registration.ACTIVE,
            session__starts_at__gte=timezone.now(),
        )
        .select_related("session__program__hub")
        .order_by("session__starts_at")
    )
    return render(
        request,
        "registration/mine.html",
        {
            "registrations": registrations,
            "enrolments": person.enrolments.exclude(
                status=Enrolment.Status.CANCELLED
            ).select_related("program"),
            "feed_url": feeds.personal_feed_url(person),
        },
    )


@login_required
@require_POST
def reset_feed(request: HttpRequest) -> HttpResponse:
    feeds.reset_feed_token(signed_in_user(request))
    messages.success(
        request, _("Your calendar address is new: the old one no longer works anywhere.")
    )
    return redirect("registration:mine")
