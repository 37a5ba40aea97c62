"""The coordinator's invitations page: invite by pasting or uploading, follow, resend, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echohub.accounts.models import User
from echohub.network.permissions import hub_staff_member
from echohub.programs.models import Invitation, Program
from echohub.programs.permissions import get_program_for
from echohub.registration import invitations
from echohub.registration.forms import InviteForm
from echohub.registration.models import InvitationBatch

PAGE_SIZE = 50


@login_required
def invitations_page(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    form = InviteForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        initial={"language": program.languages if program.languages != "both" else "en"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = invitations.start_batch(
                program,
                data["parsed"],
                language=data["language"],
                days=data["days"],
                by=person,
                group=data.get("group"),
            )
        except invitations.InvitationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s address is being invited.",
                    "%(count)s addresses are being invited.",
                    batch.total,
                )
                % {"count": batch.total},
            )
            return redirect("registration:invitations", slug=program.slug)
    status = request.GET.get("status", "")
    status = status if status in invitations.SHOWN else ""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(invitations.listed(program, status, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = invitations.counts(program)
    batches = list(InvitationBatch.objects.filter(program=program).defer("addresses")[:5])
    return render(
        request,
        "registration/manage/invitations.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": invitations.rows(page.object_list),
            "filters": [
                (value, label, counts[value]) for value, label in invitations.SHOWN.items()
            ],
            "status": status,
            "page_query": urlencode({k: v for k, v in (("status", status), ("q", query)) if v}),
            "query": query,
            "batches": batches,
            # Refresh while a batch moves; a stalled one says so instead.
            "running": any(b.status in b.WORKING and not b.is_stalled for b in batches),
        },
    )


def _invitation(request: HttpRequest, slug: str, pk: int) -> tuple[User, Program, Invitation]:
    """Who asks, the program they manage, and its invitation (404 alike if not theirs)."""
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    return person, program, get_object_or_404(Invitation, program=program, pk=pk)


@login_required
@require_POST
def resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person, program, invitation = _invitation(request, slug, pk)
    try:
        queued = invitations.resend(invitation, by=person)
    except invitations.InvitationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        if queued:
            messages.success(
                request,
                _("A new invitation is on its way to %(email)s; the old link no longer works.")
                % {"email": invitation.email},
            )
        else:
            messages.error(
                request,
                _(
                    "%(email)s has unsubscribed or bounced, so nothing was sent. Ask them to "
                    "write to the hub, or invite another address."
                )
                % {"email": invitation.email},
            )
    return redirect("registration:invitations", slug=program.slug)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    person, program, invitation = _invitation(request, slug, pk)
    try:
        invitations.withdraw(invitation, by=person)
    except invitations.InvitationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn: its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("registration:invitations", slug=program.slug)
