"""The coordinator's registrant pages: list, filter, export, add, remove, decide, message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echohub import spreadsheets
from echohub.network.permissions import hub_staff_member
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Session
from echohub.programs.permissions import get_program_for, get_session_for
from echohub.registration import exports, services
from echohub.registration.forms import (
    AddRegistrantForm,
    CapacityForm,
    RegistrantFilterForm,
    SessionMessageForm,
)
from echohub.registration.models import Enrolment, Registration, SessionMessage


def _registrants(session: Session, form: RegistrantFilterForm) -> QuerySet[Registration]:
    registrations = session.registrations.select_related(
        "person__profession", "person__practice_setting", "person__province", "person__spoke"
    ).order_by("status", "queued_at", "pk")
    if not form.is_valid():
        return registrations
    data = form.cleaned_data
    filters = {
        "status": data.get("status"),
        "person__profession": data.get("profession"),
        "person__practice_setting": data.get("setting"),
        "person__province": data.get("province"),
        "person__spoke": data.get("spoke"),
    }
    return registrations.filter(**{key: value for key, value in filters.items() if value})


@login_required
def registrants(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = RegistrantFilterForm(request.GET or None)
    rows = _registrants(session, form)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        name = f"registrants-{slugify(str(session.title))[:40] or session.pk}"
        lines = (exports.row(registration) for registration in rows)
        return spreadsheets.download(export, name, _("Registrants"), exports.header(), lines)
    counts = dict.fromkeys(Registration.Status.values, 0)
    for row in session.registrations.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    params = request.GET.copy()
    params.pop("export", None)
    return render(
        request,
        "registration/manage/registrants.html",
        {
            "session": session,
            "program": session.program,
            "form": form,
            "rows": rows,
            "counts": counts,
            "query_string": params.urlencode(),
            "add_form": AddRegistrantForm(),
            "capacity_form": CapacityForm(initial={"capacity": session.capacity}),
        },
    )


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = AddRegistrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the email address of their EchoHub account."))
    else:
        try:
            registration = services.add_by_staff(session, form.cleaned_data["email"], by=person)
        except services.RegistrationRefused as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(
                request,
                _("%(person)s added: %(status)s.")
                % {"person": registration.person, "status": registration.get_status_display()},
            )
    return redirect("registration:registrants", pk=session.pk)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    registration = get_object_or_404(session.registrations, pk=registration_id)
    promoted = services.cancel(registration, by=person)
    messages.success(
        request,
        _("Registration cancelled.")
        + (
            " " + _("Promoted from the waiting list: %(person)s.") % {"person": promoted[0].person}
            if promoted
            else ""
        ),
    )
    return redirect("registration:registrants", pk=session.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    registration = get_object_or_404(session.registrations, pk=registration_id)
    try:
        services.decide(registration, approve=request.POST.get("approve") == "1", by=person)
    except services.RegistrationRefused as refused:
        messages.error(request, " ".join(refused.messages))
    return redirect("registration:registrants", pk=session.pk)


@login_required
@require_POST
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["capacity"]))
    else:
        promoted = services.set_capacity(session, form.cleaned_data["capacity"], by=person)
        messages.success(
            request,
            _("Capacity saved; %(count)s promoted from the waiting list.")
            % {"count": len(promoted)},
        )
    return redirect("registration:registrants", pk=session.pk)


@login_required
@require_POST
def toggle_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    now_open = not session.registration_open
    services.set_registration_open(session, now_open, by=person)
    if now_open:
        messages.success(request, _("Registration is open again."))
    else:
        messages.success(request, _("Registration is closed."))
    return redirect("registration:registrants", pk=session.pk)


def _delivery(message: SessionMessage) -> dict[str, int]:
    """How far a message has got: emails queued, sent and failed so far."""
    counts = dict.fromkeys(OutboxMessage.Status.values, 0)
    rows = OutboxMessage.objects.filter(reason_key__startswith=message.reason_prefix)
    for row in rows.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


@login_required
def message(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to a session's registrants; the page also shows how far earlier messages got."""
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = SessionMessageForm(
        request.POST or None, instance=SessionMessage(session=session, author=person)
    )
    if request.method == "POST" and form.is_valid():
        sent = services.message_registrants(form.instance, by=person)
        messages.success(
            request,
            ngettext(
                "Your message is on its way to %(count)s person.",
                "Your message is on its way to %(count)s people.",
                sent.recipients,
            )
            % {"count": sent.recipients},
        )
        return redirect("registration:message", pk=session.pk)
    counts = dict.fromkeys(Registration.Status.values, 0)
    for row in session.registrations.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    history = [(sent, _delivery(sent)) for sent in session.messages.select_related("author")]
    return render(
        request,
        "registration/manage/message.html",
        {
            "session": session,
            "program": session.program,
            "form": form,
            "counts": counts,
            "history": history,
        },
    )


@login_required
def group_members(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Who follows a group, and moving one of them to another group."""
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    group = get_object_or_404(program.groups, pk=pk)
    if request.method == "POST":
        chosen, target = request.POST.get("enrolment", ""), request.POST.get("to", "")
        if not (chosen.isdecimal() and target.isdecimal()):
            raise Http404
        enrolment = get_object_or_404(
            Enrolment.objects.select_related("person"), program=program, group=group, pk=chosen
        )
        to = get_object_or_404(program.groups, pk=target)
        services.move_to_group(enrolment, to, by=person)
        messages.success(
            request,
            _("%(person)s now follows the group “%(group)s”.")
            % {"person": enrolment.person.name or enrolment.person.email, "group": to.name},
        )
        return redirect("registration:group_members", slug=program.slug, pk=group.pk)
    members = (
        group.enrolments.filter(status=Enrolment.Status.ACTIVE)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    return render(
        request,
        "registration/manage/group_members.html",
        {
            "program": program,
            "group": group,
            "members": members,
            "others": program.groups.exclude(pk=group.pk),
        },
    )
