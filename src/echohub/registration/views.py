"""A participant registers, enrols, cancels (also from a signed link in any email)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.programs.models import Group, Invitation, Program
from echohub.programs.permissions import public_session, reachable_programs
from echohub.registration import feeds, invitations, services
from echohub.registration.links import registration_from_token
from echohub.registration.models import Enrolment, Registration

DONE = {
    Registration.Status.CONFIRMED: gettext_lazy("You are registered."),
    Registration.Status.WAITLISTED: gettext_lazy(
        "The session is full: you are on the waiting list."
    ),
    Registration.Status.PENDING: gettext_lazy("Your registration awaits the hub's approval."),
}


# A visitor who pressed "Register" (or "Enrol") before logging in: the session (or
# program) they chose, kept in their (login-surviving) session so that they land
# back registered (or enrolled), not asked again. Email confirmation after sign-up
# happens in the same browser session, so the intent survives it too.
INTENT_KEY = "echohub.register_after_login"
ENROL_INTENT_KEY = "echohub.enrol_after_login"
INVITATION_INTENT_KEY = "echohub.accept_after_login"


def _chosen(request: HttpRequest) -> bool:
    """A signed-out visitor pressed "Log in to register" (or "… to enrol"), or its sign-up
    twin. The button is a GET form with no token, so that the page it is on can be kept
    for every signed-out reader (echohub.pagecache); what it stores is only an intent,
    acted on once they are signed in, when it is theirs. An older page's POST counts too."""
    return request.method == "POST" or request.GET.get("then") in ("login", "signup")


def _to_account(request: HttpRequest, back: str) -> HttpResponse:
    """To the log-in page, or the sign-up page for "Create an account and …"."""
    then = request.POST.get("then") or request.GET.get("then")
    account_page = "account_signup" if then == "signup" else "account_login"
    return redirect_to_login(back, reverse(account_page))


def _safe_next(request: HttpRequest) -> str:
    """The page to come back to (a path on this site), from the form or the address."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return ""


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """POST registers; a visitor's POST is remembered while they log in or sign up.

    Back from logging in (a GET) the remembered registration is made at once; a GET
    without one (a link followed later) asks to confirm with one click, since a GET
    alone never registers anyone. A cohort's sessions are reached by enrolling in
    the program: this sends the way there (one click), never to a dead end.
    """
    session = public_session(pk, request.user)
    if session.program.enrolment == Program.Enrolment.COHORT:
        enrol_url = reverse("registration:enrol", kwargs={"slug": session.program.slug})
        return redirect(f"{enrol_url}?{urlencode({'next': session.get_absolute_url()})}")
    if not request.user.is_authenticated:
        if _chosen(request):
            request.session[INTENT_KEY] = session.pk
        return _to_account(request, request.path)
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


def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (no JavaScript needed), POST cancels; then back where they were."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    person = signed_in_user(request)
    registration = get_object_or_404(
        Registration.objects.select_related("session__program"), session_id=pk, person=person
    )
    session = registration.session
    back = _safe_next(request) or session.get_absolute_url()
    if session.starts_at <= timezone.now():
        return render(request, "registration/bad_link.html", {"started": True}, status=410)
    if request.method == "POST":
        services.cancel(registration, by=person)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(back)
    return render(
        request,
        "registration/confirm_cancel.html",
        {"session": session, "registration": registration, "next": back},
    )


def _chosen_group(request: HttpRequest, program: Program) -> Group | None:
    """The group picked on the enrolment form, if it is one of the program's."""
    value = request.POST.get("group") or request.GET.get("group") or ""
    if not value.isdecimal():
        return None
    return program.groups.filter(pk=int(value)).first()


def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    """POST enrols; a visitor's POST is remembered while they log in or sign up.

    Like `register`: back from logging in (a GET) the remembered enrolment is made
    at once and they land where they pressed the button; a GET without one asks to
    confirm with one click.
    """
    program = get_object_or_404(reachable_programs(request.user), slug=slug)
    back = _safe_next(request) or program.get_absolute_url()
    group = _chosen_group(request, program)
    if not request.user.is_authenticated:
        if _chosen(request):
            request.session[ENROL_INTENT_KEY] = {
                "program": program.pk,
                "next": back,
                "group": group.pk if group else None,
            }
        return _to_account(request, request.path)
    person = signed_in_user(request)
    intent = request.session.pop(ENROL_INTENT_KEY, None) or {}
    intended = intent.get("program") == program.pk
    if intended:
        back = intent.get("next") or back
        group = program.groups.filter(pk=intent.get("group") or 0).first() or group
    if request.method != "POST" and not intended:
        return render(
            request, "registration/confirm_enrol.html", {"program": program, "next": back}
        )
    try:
        enrolment = services.enrol(person, program, group=group)
    except services.RegistrationRefused as refused:
        return render(
            request,
            "registration/refused.html",
            {"program": program, "reason": " ".join(refused.messages)},
            status=409,
        )
    if enrolment.status == Enrolment.Status.ACTIVE and enrolment.group:
        messages.success(
            request,
            _("You are in the group “%(group)s”: you are registered for each of its sessions.")
            % {"group": enrolment.group.name},
        )
    elif enrolment.status == Enrolment.Status.ACTIVE:
        messages.success(request, _("You are enrolled: you are registered for every session."))
    else:
        messages.success(request, _("Your enrolment awaits the hub's approval."))
    return redirect(back)


@never_cache  # the address carries the invitation's token
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: signed out, log in or sign up on the way and come back a
    member (enrolled, in a cohort program); signed in, accept in one click.

    A token never issued (mistyped, tampered with, or replaced by a newer link) is a
    bad request; one used by someone else, withdrawn or expired is gone (410).
    """
    found = invitations.find(token)
    if found is None:
        return render(request, "registration/invitation_gone.html", {"unknown": True}, status=400)
    person = signed_in_user(request) if request.user.is_authenticated else None
    if reason := invitations.unusable(found, person):
        return render(
            request,
            "registration/invitation_gone.html",
            {"reason": reason, "hub": found.program.hub},
            status=410,
        )
    if person is None:
        if request.GET.get("then") in ("login", "signup"):
            request.session[INVITATION_INTENT_KEY] = found.pk
            return _to_account(request, request.path)
        return render(request, "registration/invitation.html", {"invitation": found})
    intended = request.session.pop(INVITATION_INTENT_KEY, None) == found.pk
    if request.method != "POST" and not intended:
        return render(request, "registration/invitation.html", {"invitation": found})
    return _accept(request, found, person)


def _accept(request: HttpRequest, found: Invitation, person: User) -> HttpResponse:
    program = found.program
    try:
        enrolment = invitations.accept(found, person)
    except (invitations.InvitationError, services.RegistrationRefused) as refused:
        return render(
            request,
            "registration/refused.html",
            {"program": program, "reason": " ".join(refused.messages)},
            status=409,
        )
    if enrolment is not None and enrolment.status == Enrolment.Status.ACTIVE:
        messages.success(
            request,
            _("Welcome to the program: you are enrolled and registered for every session."),
        )
    elif program.enrolment == Program.Enrolment.COHORT:
        messages.success(request, _("Welcome to the program: choose your group to enrol."))
    else:
        messages.success(request, _("Welcome to the program: register for the sessions you want."))
    return redirect(program)


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept, from the program's page, the invitation sent to one's own address."""
    person = signed_in_user(request)
    found = get_object_or_404(
        Invitation.objects.select_related("program__hub"),
        program__slug=slug,
        email=Invitation.address(person.email),
        status=Invitation.Status.PENDING,
    )
    return _accept(request, found, person)


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


# Sessions last at most 12 hours: one that started earlier than this has ended.
LONGEST_SESSION = dt.timedelta(hours=12)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A person's sessions to come (join, calendar, cancel), those that took place, their
    enrolments, and their private calendar feed."""
    person = signed_in_user(request)
    now = timezone.now()
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("session__program__hub")
        .order_by("session__starts_at")
    )
    recent = [
        r
        for r in registrations.filter(
            status__in=Registration.ACTIVE, session__starts_at__gte=now - LONGEST_SESSION
        )
        if not r.session.has_ended
    ]
    past = [
        r
        for r in registrations.filter(
            status=Registration.Status.CONFIRMED, session__starts_at__lt=now
        ).reverse()[:100]
        if r.session.has_ended
    ]
    return render(
        request,
        "registration/mine.html",
        {
            "registrations": recent,
            "past": past,
            "now": now,
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
