"""Certificates: the coordinator's page, the holder's transcript and PDFs, public checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.bilingual import active_lang
from echohub.certificates import documents, roster, services, transcript
from echohub.certificates.forms import AccreditationForm, ReasonForm, VerifyForm
from echohub.certificates.models import Certificate, CertificateBatch, normalise_code
from echohub.evaluations import credit
from echohub.network.permissions import hub_staff_member
from echohub.programs.models import Program, Session
from echohub.programs.permissions import get_program_for, get_session_for, manageable_programs

PAGE_SIZE = 50  # people per page of the certificate list: a 300-person session is 6 pages


def _listed_session(request: HttpRequest, sessions: list[Session]) -> Session | None:
    """The held session whose people the page lists: the one asked for, else the latest."""
    asked = request.GET.get("session") or request.POST.get("session") or ""
    if not asked:
        return sessions[0] if sessions else None
    found = next((s for s in sessions if str(s.pk) == asked), None)
    if found is None:  # another program's, another hub's, not held yet, or not a number
        raise Http404
    return found


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Accreditations, bulk issuing, and everyone who attended with where they stand:
    filtered by status and name with a plain GET form, 50 to a page."""
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    form = AccreditationForm(request.POST or None, instance=None)
    if request.method == "POST":
        form.instance.program = program
        if form.is_valid():
            form.save()
            messages.success(request, _("Accreditation saved."))
            return redirect("certificates:manage", slug=program.slug)
    is_cycle = program.certificates == Program.Certificates.CYCLE
    sessions = list(roster.held_sessions(program).order_by("-starts_at"))
    session = None if is_cycle else _listed_session(request, sessions)
    accreditations = list(program.accreditations.prefetch_related("professions"))
    if is_cycle:
        standings = roster.for_cycle(program, accreditations)
    else:
        standings = roster.for_session(session, accreditations) if session else []
    roster.with_certificates(standings, program, session)
    standings.sort(key=lambda s: roster.folded(s.person.name or s.person.email))
    status = request.GET.get("status", "")
    status = status if status in roster.STATUSES else ""
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(roster.matching(standings, status=status, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = {"session": session.pk if session else "", "status": status, "q": query}
    batches = CertificateBatch.objects.filter(program=program)[:10]
    tally = roster.counts(standings)
    needs_evaluation = roster.needs_evaluation(accreditations)
    return render(
        request,
        "certificates/manage.html",
        {
            "program": program,
            "form": form,
            "accreditations": accreditations,
            "sessions": sessions,
            "session": session,
            "batches": batches,
            # Refresh while something moves; a stalled batch says so instead.
            "running": any(b.status in ("queued", "running") and not b.is_stalled for b in batches),
            "page": page,
            "status": status,
            "query": query,
            "query_string": urlencode({k: v for k, v in kept.items() if v}),
            "session_string": urlencode({"session": session.pk}) if session else "",
            "filters": [
                ("", pgettext("certificate status", "All"), len(standings)),
                (
                    roster.ELIGIBLE,
                    pgettext("certificate status", "Eligible"),
                    tally[roster.ELIGIBLE],
                ),
                (
                    roster.AWAITING,
                    pgettext("certificate status", "Awaiting the evaluation"),
                    tally[roster.AWAITING],
                ),
                (roster.ISSUED, pgettext("certificate status", "Issued"), tally[roster.ISSUED]),
                (
                    roster.NOT_ELIGIBLE,
                    pgettext("certificate status", "Not eligible"),
                    tally[roster.NOT_ELIGIBLE],
                ),
                (roster.REVOKED, pgettext("certificate status", "Revoked"), tally[roster.REVOKED]),
            ],
            "eligible": tally[roster.ELIGIBLE],
            "awaiting": tally[roster.AWAITING],
            "needs_evaluation": needs_evaluation,
            "evaluation_planned": not needs_evaluation or credit.asks_for_credit(program),
            "is_cycle": is_cycle,
        },
    )


def _back_to(program: Program, session: Session | None) -> HttpResponse:
    url = reverse("certificates:manage", kwargs={"slug": program.slug})
    return redirect(url + ("?" + urlencode({"session": session.pk}) if session else ""))


@login_required
@require_POST
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue to every eligible person (a background batch), or to those ticked (at once)."""
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    session = None
    chosen = request.POST.get("session", "")
    if chosen:
        if not chosen.isdigit():
            raise Http404
        session = get_session_for(person, int(chosen))
        if session.program_id != program.pk:
            raise Http404
    if request.POST.get("issue") == "selected":
        _issue_selected(request, person, program, session)
        return _back_to(program, session)
    try:
        services.start_batch(program, session, by=person)
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificates are being issued; this page shows the progress."))
    return _back_to(program, session)


def _issue_selected(
    request: HttpRequest, person: User, program: Program, session: Session | None
) -> None:
    ticked = {int(pk) for pk in request.POST.getlist("person") if pk.isdigit()}
    if not ticked:
        messages.error(request, _("Tick the people to issue certificates to first."))
        return
    is_cycle = program.certificates == Program.Certificates.CYCLE
    try:
        if is_cycle:
            issued = services.issue_for_cycle(program, by=person, people=ticked)
        elif session is not None:
            issued = services.issue_for_session(session, by=person, people=ticked)
        else:
            messages.error(request, _("Choose the session first."))
            return
    except services.CertificateError as error:
        messages.error(request, str(error))
        return
    skipped = len(ticked) - len(issued)
    awaiting = _awaiting_among(program, session, ticked - {c.person_id for c in issued})
    messages.success(
        request,
        ngettext("%(count)s certificate issued.", "%(count)s certificates issued.", len(issued))
        % {"count": len(issued)},
    )
    if awaiting:
        messages.warning(
            request,
            ngettext(
                "%(count)s person ticked has not completed the evaluation yet: their "
                "certificate is issued when they do, or when you waive it.",
                "%(count)s people ticked have not completed the evaluation yet: their "
                "certificates are issued when they do, or when you waive it.",
                awaiting,
            )
            % {"count": awaiting},
        )
        skipped -= awaiting
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s person ticked already holds a certificate or did not attend enough.",
                "%(count)s people ticked already hold a certificate or did not attend enough.",
                skipped,
            )
            % {"count": skipped},
        )


def _awaiting_among(program: Program, session: Session | None, people: set[int]) -> int:
    """How many of `people` attended enough but still owe the evaluation."""
    if not people:
        return 0
    accreditations = list(program.accreditations.prefetch_related("professions"))
    if session is not None:
        standings = roster.for_session(session, accreditations)
    else:
        standings = roster.for_cycle(program, accreditations)
    return sum(1 for s in standings if s.person.pk in people and s.status == roster.AWAITING)


def _staff_certificate(request: HttpRequest, pk: int) -> Certificate:
    person = hub_staff_member(request)
    return get_object_or_404(
        Certificate.objects.filter(program__in=manageable_programs(person)).select_related(
            "program", "session"
        ),
        pk=pk,
    )


@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke (or revoke and re-issue) after a page that asks, with the reason; a POST
    without `confirm=yes` (a stale one-click form, a double submit) only shows that page."""
    certificate = _staff_certificate(request, pk)
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    if confirmed:
        form = ReasonForm(request.POST)
    else:
        form = ReasonForm(initial={"reason": request.POST.get("reason", "")})
    if confirmed and form.is_valid():
        action = services.reissue if request.POST.get("reissue") else services.revoke
        try:
            action(certificate, reason=form.cleaned_data["reason"], by=signed_in_user(request))
        except services.CertificateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Certificate re-issued.")
                if action is services.reissue
                else _("Certificate revoked."),
            )
        return _back_to(certificate.program, certificate.session)
    return render(
        request,
        "certificates/revoke.html",
        {"certificate": certificate, "form": form, "program": certificate.program},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The transcript: every session attended, credits by year and type; CSV and PDF too."""
    person = signed_in_user(request)
    lang = active_lang()
    data = transcript.build(person, lang)
    wanted = request.GET.get("format")
    if wanted == "csv":
        response = HttpResponse(transcript.as_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="transcript.csv"'
        return response
    if wanted == "pdf":
        response = HttpResponse(
            documents.transcript_pdf(data, lang), content_type="application/pdf"
        )
        response["Content-Disposition"] = 'attachment; filename="transcript.pdf"'
        return response
    return render(
        request,
        "certificates/transcript.html",
        {"transcript": data, "awaiting": transcript.awaiting(person, lang)},
    )


@login_required
def pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The holder downloads their certificate; hub staff may too."""
    person = signed_in_user(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("program__hub"), code=normalise_code(code)
    )
    if (
        certificate.person_id != person.pk
        and not manageable_programs(person).filter(pk=certificate.program_id).exists()
    ):
        raise Http404
    response = HttpResponse(documents.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public: anyone with the code sees what the certificate states, or that it is revoked.

    A code typed with spaces, without dashes or in lower case, in the form or in the
    address, is sent on to its printed form (`normalise_code`)."""
    form = VerifyForm(request.GET or None)
    if not code and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    certificate = None
    if code:
        printed = normalise_code(code)
        if printed and printed != code:
            return redirect("certificates:verify", code=printed)
        certificate = Certificate.objects.select_related("replaced_by").filter(code=printed).first()
    response = render(
        request,
        "certificates/verify.html",
        {"form": form, "code": code, "certificate": certificate, "lang": get_language()},
        status=404 if code and certificate is None else 200,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
