"""The hub's side of cases: the review queue, scheduling, invitations, the form designer,
case settings, export and the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.accounts.security import client_ip
from echohub.cases import audit, design, display, permissions, services
from echohub.cases.forms import CaseSettingsForm, FieldForm, InviteForm, ReviewForm
from echohub.cases.models import AuditRecord, Case
from echohub.cases.starters import STARTER_CHOICES, STARTERS
from echohub.network.permissions import get_hub_for
from echohub.programs.models import Program, Session
from echohub.questionnaires import builder

AUDIT_PAGE = 200


def _program_for(request: HttpRequest, slug: str) -> tuple[User, Program]:
    """The program, if this person reviews its cases; 404 alike for missing and not theirs."""
    person = signed_in_user(request)
    program = permissions.staff_programs(person).select_related("hub").filter(slug=slug).first()
    if program is None:
        raise Http404
    return person, program


def _staff_case(request: HttpRequest, public_id: str) -> tuple[User, Case]:
    person = signed_in_user(request)
    case = get_object_or_404(
        Case.objects.select_related("program__hub", "session")
        .filter(program__in=permissions.staff_programs(person))
        .exclude(status=Case.Status.DRAFT),
        public_id=public_id,
    )
    return person, case


def _upcoming(program: Program) -> list[Session]:
    return list(
        program.sessions.filter(starts_at__gt=timezone.now(), status=Session.Status.SCHEDULED)
    )


@never_cache
@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    _person, program = _program_for(request, slug)
    cases = program.cases.exclude(status=Case.Status.DRAFT).select_related(
        "presenter", "session", "recommendations"
    )
    sessions = _upcoming(program)
    invite_form = InviteForm(sessions=sessions)
    return render(
        request,
        "cases/manage.html",
        {
            "program": program,
            "to_review": cases.filter(status=Case.Status.SUBMITTED),
            "to_schedule": cases.filter(status=Case.Status.ACCEPTED, session__isnull=True),
            "scheduled": cases.filter(status=Case.Status.ACCEPTED, session__isnull=False).order_by(
                "session__starts_at", "slot"
            ),
            "others": cases.filter(
                status__in=(Case.Status.RETURNED, Case.Status.DECLINED, Case.Status.WITHDRAWN)
            ),
            "sessions": sessions,
            "invite_form": invite_form,
            "case_settings": design.settings_for(program),
        },
    )


@never_cache
@sensitive_post_parameters()
@login_required
@require_POST
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    person, case = _staff_case(request, public_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "cases/recommendations_error.html",
            {"case": case, "form": form, "highlights": form.highlights()},
            status=422,
        )
    try:
        services.review(
            case,
            form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            by=person,
            ip=client_ip(request),
        )
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Decision saved; the presenter is told by email."))
    return redirect(case)


@login_required
@require_POST
def schedule(request: HttpRequest, public_id: str) -> HttpResponse:
    person, case = _staff_case(request, public_id)
    ip = client_ip(request)
    chosen = request.POST.get("session", "")
    try:
        if chosen == "":
            services.unschedule(case, by=person, ip=ip)
            messages.success(request, _("Case taken out of its session."))
        else:
            session = case.program.sessions.filter(
                pk=int(chosen) if chosen.isdigit() else 0
            ).first()
            if session is None:
                raise Http404
            services.schedule(case, session, by=person, ip=ip)
            messages.success(request, _("Case scheduled in slot %(slot)s.") % {"slot": case.slot})
    except services.CaseError as error:
        messages.error(request, str(error))
    if request.POST.get("next") == "manage":
        return redirect("cases:manage", slug=case.program.slug)
    return redirect(case)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    person, program = _program_for(request, slug)
    form = InviteForm(request.POST, sessions=_upcoming(program))
    if not form.is_valid():
        messages.error(request, _("Give the email of a participant and, if you like, a session."))
        return redirect("cases:manage", slug=program.slug)
    invitee = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if invitee is None:
        messages.error(request, _("No EchoHub account uses that email: ask them to sign up first."))
        return redirect("cases:manage", slug=program.slug)
    session_id = form.cleaned_data["session"]
    session = program.sessions.filter(pk=session_id).first() if session_id else None
    services.invite(program, invitee, session=session, by=person)
    messages.success(request, _("Invitation sent to %(name)s.") % {"name": invitee})
    return redirect("cases:manage", slug=program.slug)


@never_cache
@login_required
def export(request: HttpRequest, public_id: str) -> HttpResponse:
    person, case = _staff_case(request, public_id)
    audit.record(case, person, AuditRecord.Action.EXPORT, ip=client_ip(request))
    response = HttpResponse(display.as_text(case), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-{case.number}.txt"'
    return response


def _builder(person: User, program: Program) -> builder.Builder:
    return builder.Builder(
        versions=design.CaseFormVersions(program),
        person=person,
        heading=_("Case form"),
        page_url=reverse("cases:form_design", kwargs={"slug": program.slug}),
        question_url=lambda key: reverse(
            "cases:field_edit", kwargs={"slug": program.slug, "key": key}
        ),
        question_form=FieldForm,
        starters=[
            builder.Starter(key, str(label), STARTERS[key]) for key, label in STARTER_CHOICES
        ],
        in_use_text=_(
            "Cases use this version: a change makes a new version, and those cases keep theirs."
        ),
        template="cases/form_design.html",
        context={
            "program": program,
            "settings_form": CaseSettingsForm(instance=design.settings_for(program)),
        },
    )


@login_required
def form_design(request: HttpRequest, slug: str) -> HttpResponse:
    person, program = _program_for(request, slug)
    return builder.design(request, _builder(person, program))


@login_required
def field_edit(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    person, program = _program_for(request, slug)
    return builder.edit(request, _builder(person, program), key)


@login_required
@require_POST
def case_settings(request: HttpRequest, slug: str) -> HttpResponse:
    _person, program = _program_for(request, slug)
    form = CaseSettingsForm(request.POST, instance=design.settings_for(program))
    if form.is_valid():
        form.save()
        messages.success(request, _("Case settings saved."))
    else:
        messages.error(
            request, _("Check the case settings: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("cases:form_design", slug=program.slug)


@never_cache
@login_required
def audit_trail(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub admin reads who opened, exported or changed the hub's cases."""
    person = signed_in_user(request)
    hub = get_hub_for(person, slug, perm="network.manage_staff")
    records = audit.trail(hub)
    action = request.GET.get("action", "")
    if action in AuditRecord.Action.values:
        records = records.filter(action=action)
    return render(
        request,
        "cases/audit.html",
        {
            "hub": hub,
            "records": records[:AUDIT_PAGE],
            "actions": AuditRecord.Action.choices,
            "chosen": action,
        },
    )
