"""Cases as presenters, the panel, registrants and program members see them.

Every view that receives case text is marked `sensitive_post_parameters`, so
an error report never repeats what was typed; every page of a case is
`never_cache`, so no shared cache or back button keeps a copy.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.accounts.security import client_ip
from echohub.cases import audit, display, permissions, recommending, services
from echohub.cases.design import current_form, settings_for
from echohub.cases.forms import (
    CaseAnswersForm,
    LibrarySearchForm,
    PartForm,
    RecommendationsForm,
    ReviewForm,
)
from echohub.cases.models import AuditRecord, Case, Invitation, Recommendations
from echohub.cases.permissions import Access
from echohub.programs.models import Program
from echohub.programs.permissions import get_public_program

LIBRARY_PAGE = 50


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = signed_in_user(request)
    cases = (
        Case.objects.filter(presenter=person)
        .select_related("program", "session", "recommendations")
        .order_by("-updated_at")
    )
    programs = permissions.member_programs(person).filter(
        status=Program.Status.PUBLISHED
    ) | Program.objects.filter(case_invitations__person=person, status=Program.Status.PUBLISHED)
    return render(
        request,
        "cases/mine.html",
        {"cases": cases, "programs": programs.distinct().select_related("hub")},
    )


def _invitation(request: HttpRequest, person: User, program: Program) -> Invitation | None:
    token = request.GET.get("invitation") or request.POST.get("invitation")
    if not token:
        return None
    return Invitation.objects.filter(
        token=token, program=program, person=person, case__isnull=True
    ).first()


def _case_form_page(
    request: HttpRequest, program: Program, case: Case | None, invitation: Invitation | None
) -> HttpResponse:
    person = signed_in_user(request)
    version = case.form if case else current_form(program)
    submitting = "submit" in request.POST
    redacting = False
    if request.method == "POST":
        form = CaseAnswersForm(version, request.POST, submitting=submitting)
        if "redact" in request.POST and not form.is_valid() and form.findings:
            # "Replace them for me": the same page, each finding now a placeholder to
            # read over; nothing is saved until the presenter saves again.
            form = CaseAnswersForm(version, form.redacted_data(), submitting=False)
            form.is_valid()
            redacting = True
        elif form.is_valid():
            try:
                case = services.save_case(
                    case,
                    program=program,
                    presenter=person,
                    title=form.cleaned_data["title"],
                    answers=form.answers(),
                    submit=submitting,
                    attested=form.cleaned_data.get("attest", False),
                    invitation=invitation,
                    confirmed=form.case_confirmations(),
                    ip=client_ip(request),
                )
            except services.CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Case submitted: the hub will review it.")
                    if submitting
                    else _("Draft saved. Come back to it from My cases."),
                )
                return redirect(case)
    else:
        initial = CaseAnswersForm.initial_from(case.title, case.answers) if case else {}
        form = CaseAnswersForm(version, initial=initial)
    return render(
        request,
        "cases/edit.html",
        {
            "form": form,
            "highlights": form.highlights(),
            "redacted": redacting,
            # On a first view of a saved case, its confirmations go along unseen.
            "kept_confirmations": CaseAnswersForm.tokens_for(case)
            if case is not None and not form.is_bound
            else [],
            "program": program,
            "case": case,
            "invitation": invitation,
        },
        status=422 if form.findings else 200,
    )


@never_cache
@sensitive_post_parameters()
@login_required
def new(request: HttpRequest, slug: str) -> HttpResponse:
    person = signed_in_user(request)
    program = get_public_program(person, slug)
    invitation = _invitation(request, person, program)
    if invitation is None and not permissions.may_present(person, program):
        return render(request, "cases/not_member.html", {"program": program}, status=403)
    return _case_form_page(request, program, None, invitation)


@never_cache
@sensitive_post_parameters()
@login_required
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    person = signed_in_user(request)
    case = get_object_or_404(
        Case.objects.select_related("program__hub", "form"), public_id=public_id, presenter=person
    )
    if case.status not in services.EDITABLE:
        messages.info(request, _("This case can no longer be changed."))
        return redirect(case)
    return _case_form_page(request, case.program, case, None)


@never_cache
@login_required
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = signed_in_user(request)
    case, access = permissions.get_case_for(person, public_id)
    if access != Access.PRESENTER:
        audit.record(case, person, AuditRecord.Action.VIEW, ip=client_ip(request))
    recommendations = Recommendations.objects.filter(case=case).first()
    sent = recommendations is not None and recommendations.status == Recommendations.Status.SENT
    panel = permissions.is_staff_access(access)
    writer = panel and permissions.writes_recommendations(person, case.program)
    context = {
        "case": case,
        "access": str(access),
        "answers": display.answers(case),
        # The hub sees what the presenter confirmed was not an identifier.
        "confirmed": display.confirmed(case) if access == Access.STAFF else [],
        "recommendations": recommendations if (sent or panel) else None,
        "parts": recommendations.parts.select_related("author")
        if recommendations and panel
        else [],
        "is_staff": access == Access.STAFF,
        "is_panel": panel,
        "writer": writer,
        "can_edit": access == Access.PRESENTER and case.status in services.EDITABLE,
        "after_session": case.session is not None and case.session.starts_at <= timezone.now(),
        "case_settings": settings_for(case.program),
    }
    if access == Access.STAFF and services.still_open(case):
        context["review_form"] = ReviewForm()
        context["sessions"] = case.program.sessions.filter(
            starts_at__gt=timezone.now(), status="scheduled"
        )
    if panel and not sent:
        context["rec_form"] = RecommendationsForm(
            initial={
                "text": recommendations.text if recommendations else "",
                "follow_up_on": recommendations.follow_up_on if recommendations else None,
            }
        )
        context["part_form"] = PartForm(prefix="part")
    return render(request, "cases/detail.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    person = signed_in_user(request)
    case = get_object_or_404(Case, public_id=public_id, presenter=person)
    services.withdraw(case, by=person)
    messages.success(request, _("Case withdrawn: its text is erased."))
    return redirect("cases:mine")


@never_cache
@sensitive_post_parameters()
@login_required
@require_POST
def write_recommendations(request: HttpRequest, public_id: str) -> HttpResponse:
    """The panel's post: draft a part (experts), write, ask review, approve, or send."""
    person = signed_in_user(request)
    case, access = permissions.get_case_for(person, public_id)
    if not permissions.is_staff_access(access):
        raise Http404
    writer = permissions.writes_recommendations(person, case.program)
    ip = client_ip(request)
    action = request.POST.get("action", "")
    if action != "part" and not writer:
        raise PermissionDenied
    form: PartForm | RecommendationsForm | None = None
    try:
        if action == "part":
            form = PartForm(request.POST, prefix="part")
            if form.is_valid():
                recommending.draft_part(case, form.cleaned_data["text"], by=person, ip=ip)
                messages.success(request, _("Your part is saved for the facilitator."))
        elif action in ("save", "send"):
            form = RecommendationsForm(request.POST)
            if form.is_valid():
                recommending.write(
                    case,
                    form.cleaned_data["text"],
                    follow_up_on=form.cleaned_data["follow_up_on"],
                    ask_review=form.cleaned_data["ask_review"],
                    by=person,
                    ip=ip,
                )
                if action == "send":
                    recommending.send(case, by=person, ip=ip)
                    messages.success(request, _("Recommendations sent to the presenter."))
                else:
                    messages.success(request, _("Recommendations saved."))
        elif action == "approve":
            recommending.approve(case, by=person, ip=ip)
            messages.success(request, _("Recommendations reviewed: they can be sent."))
        else:
            raise Http404
    except services.CaseError as error:
        messages.error(request, str(error))
    if form is not None and not form.is_valid():
        return render(
            request,
            "cases/recommendations_error.html",
            {"case": case, "form": form, "highlights": form.highlights()},
            status=422,
        )
    return redirect(case)


@never_cache
@login_required
def library(request: HttpRequest, slug: str) -> HttpResponse:
    """Past cases of the program with their recommendations, for its members."""
    person = signed_in_user(request)
    program = get_public_program(person, slug)
    if not permissions.member_programs(person).filter(pk=program.pk).exists():
        raise Http404
    form = LibrarySearchForm(request.GET)
    cases = permissions.library_cases(person).filter(program=program)
    query = form.data.get("q", "").strip() if form.is_valid() else ""
    for word in query.split()[:8]:
        cases = cases.filter(
            Q(search_text__icontains=word) | Q(recommendations__text__icontains=word)
        )
    return render(
        request,
        "cases/library.html",
        {
            "program": program,
            "form": form,
            "query": query,
            "cases": cases.select_related("session", "recommendations").order_by("-number")[
                :LIBRARY_PAGE
            ],
        },
    )
