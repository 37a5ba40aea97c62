"""Hub staff's pages: their hub's programs, sessions, series and panels."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echohub.accounts.models import User
from echohub.network.permissions import hub_staff_member, managed_hubs
from echohub.programs import services
from echohub.programs.forms import (
    GroupForm,
    PanelForm,
    ProgramForm,
    SeriesForm,
    SessionForm,
    SpeakerFormSet,
)
from echohub.programs.models import TITLE_ORDER, Group, Program, Session
from echohub.programs.permissions import get_program_for, get_session_for, manageable_programs


def _error_into(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form it came from."""
    form.add_error(None, error)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = hub_staff_member(request)
    hubs = managed_hubs(user)
    programs = manageable_programs(user).select_related("hub").order_by("hub", TITLE_ORDER)
    return render(request, "programs/manage/dashboard.html", {"hubs": hubs, "programs": programs})


@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    user = hub_staff_member(request)
    form = ProgramForm(request.POST or None, hubs=managed_hubs(user))
    if request.method == "POST" and form.is_valid():
        program = services.save_program(
            form.save(commit=False),
            by=user,
            professions=form.cleaned_data["audience_professions"],
            settings=form.cleaned_data["audience_settings"],
            provinces=form.cleaned_data["provinces"],
        )
        messages.success(
            request, _("Program created as a draft. Add its sessions, then publish it.")
        )
        return redirect("programs:manage_program", slug=program.slug)
    return render(request, "programs/manage/program_form.html", {"form": form})


@login_required
def program_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    form = ProgramForm(request.POST or None, instance=program, hubs=managed_hubs(user))
    if request.method == "POST" and form.is_valid():
        services.save_program(
            form.save(commit=False),
            by=user,
            professions=form.cleaned_data["audience_professions"],
            settings=form.cleaned_data["audience_settings"],
            provinces=form.cleaned_data["provinces"],
        )
        messages.success(request, _("Program saved."))
        return redirect("programs:manage_program", slug=program.slug)
    return render(request, "programs/manage/program_form.html", {"form": form, "program": program})


@login_required
def program_manage(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    sessions = (
        program.sessions.select_related("group").prefetch_related("speakers").order_by("starts_at")
    )
    return render(
        request,
        "programs/manage/program.html",
        {
            "program": program,
            "sessions": sessions,
            "team": program.team.select_related("person"),
            "panel_form": PanelForm(people=services.panel_candidates(program.hub)),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def program_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    if program.status == Program.Status.CANCELLED:
        messages.error(request, _("A cancelled program cannot be published again."))
    else:
        services.publish_program(program, by=user)
        messages.success(request, _("Program published: it is in the public catalogue."))
    return redirect("programs:manage_program", slug=program.slug)


@login_required
@require_POST
def program_cancel(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    count = services.cancel_program(program, by=user)
    messages.success(
        request,
        ngettext(
            "Program cancelled, with %(count)s upcoming session.",
            "Program cancelled, with %(count)s upcoming sessions.",
            count,
        )
        % {"count": count},
    )
    return redirect("programs:manage_program", slug=program.slug)


def _session_form_page(
    request: HttpRequest, user: User, program: Program, session: Session
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, instance=session, program=program)
    speakers = SpeakerFormSet(data, instance=session, prefix="speakers")
    if data is not None and form.is_valid() and speakers.is_valid():
        with transaction.atomic():
            session = services.save_session(form.save(commit=False), by=user)
            speakers.instance = session
            speakers.save()
        messages.success(request, _("Session saved."))
        return redirect("programs:manage_program", slug=program.slug)
    return render(
        request,
        "programs/manage/session_form.html",
        {"form": form, "speakers": speakers, "program": program, "session": session},
    )


@login_required
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    return _session_form_page(request, user, program, Session(program=program))


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = hub_staff_member(request)
    session = get_session_for(user, pk)
    return _session_form_page(request, user, session.program, session)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = hub_staff_member(request)
    session = get_session_for(user, pk)
    services.cancel_session(session, by=user)
    messages.success(request, _("Session cancelled."))
    return redirect("programs:manage_program", slug=session.program.slug)


@login_required
def series_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    form = SeriesForm(request.POST or None, program=program)
    # "Preview" shows the dates the rule gives; "Add sessions" creates them.
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            created = services.generate_series(
                program,
                form.rule(),
                by=user,
                title_en=form.cleaned_data["title_en"],
                title_fr=form.cleaned_data["title_fr"],
                capacity=form.cleaned_data["capacity"],
                join_url=form.cleaned_data["join_url"],
                group=form.cleaned_data.get("group"),
            )
        except ValidationError as error:
            _error_into(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s session added to the program.",
                    "%(count)s sessions added to the program.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("programs:manage_program", slug=program.slug)
    return render(
        request,
        "programs/manage/series_form.html",
        {"form": form, "program": program, "preview": form.starts if form.is_bound else []},
    )


@login_required
@require_POST
def panel_add(request: HttpRequest, slug: str) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    form = PanelForm(request.POST, people=services.panel_candidates(program.hub))
    if form.is_valid():
        try:
            services.add_to_panel(
                program, form.cleaned_data["person"], form.cleaned_data["role"], by=user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Added to the panel."))
    else:
        messages.error(request, _("Choose a person and a role."))
    return redirect("programs:manage_program", slug=program.slug)


@login_required
@require_POST
def panel_remove(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    member = get_object_or_404(program.team, pk=member_id)
    services.remove_from_panel(member, by=user)
    messages.success(request, _("Removed from the panel."))
    return redirect("programs:manage_program", slug=program.slug)


def _group_saved(
    request: HttpRequest, form: GroupForm, user: User, saved: str
) -> HttpResponse | None:
    """Save the posted group through its service: back to the groups, or None with the
    reasons on the form."""
    if not form.is_valid():
        return None
    try:
        group = services.save_group(form.save(commit=False), by=user)
    except ValidationError as error:
        _error_into(form, error)
        return None
    messages.success(request, saved)
    return redirect("programs:groups", slug=group.program.slug)


@login_required
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's groups (members, sessions, facilitator), and a form to add one."""
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    people = services.panel_candidates(program.hub)
    form = GroupForm(request.POST or None, instance=Group(program=program), people=people)
    if request.method == "POST" and (done := _group_saved(request, form, user, _("Group added."))):
        return done
    listed = program.groups.select_related("facilitator").annotate(
        members=Count("enrolments", filter=Q(enrolments__status="active"), distinct=True),
        session_count=Count("sessions", distinct=True),
    )
    return render(
        request,
        "programs/manage/groups.html",
        {"program": program, "groups": listed, "form": form},
    )


@login_required
def group_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = hub_staff_member(request)
    program = get_program_for(user, slug)
    group = get_object_or_404(program.groups, pk=pk)
    people = services.panel_candidates(program.hub)
    form = GroupForm(request.POST or None, instance=group, people=people)
    if request.method == "POST" and "delete" in request.POST:
        try:
            services.delete_group(group, by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("programs:group_edit", slug=program.slug, pk=group.pk)
        messages.success(request, _("Group deleted."))
        return redirect("programs:groups", slug=program.slug)
    if request.method == "POST" and (done := _group_saved(request, form, user, _("Group saved."))):
        return done
    return render(
        request,
        "programs/manage/group_form.html",
        {"program": program, "group": group, "form": form},
    )
