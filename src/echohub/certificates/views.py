"""Certificates: the coordinator's page, the holder's transcript and PDFs, public checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.bilingual import active_lang
from echohub.certificates import documents, roster, services, transcript
from echohub.certificates.forms import AccreditationForm, ReasonForm, VerifyForm
from echohub.certificates.models import Certificate, CertificateBatch, normalise_code
from echohub.network.permissions import hub_staff_member
from echohub.programs.models import Program
from echohub.programs.permissions import get_program_for, get_session_for, manageable_programs


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    form = AccreditationForm(request.POST or None, instance=None)
    if request.method == "POST":
        form.instance.program = program
        if form.is_valid():
            form.save()
            messages.success(request, _("Accreditation saved."))
            return redirect("certificates:manage", slug=program.slug)
    batches = CertificateBatch.objects.filter(program=program)[:10]
    return render(
        request,
        "certificates/manage.html",
        {
            "program": program,
            "form": form,
            "accreditations": program.accreditations.all(),
            "sessions": roster.held_sessions(program).order_by("-starts_at"),
            "batches": batches,
            "running": any(b.status in ("queued", "running") for b in batches),
            "certificates": Certificate.objects.filter(program=program).select_related("session")[
                :200
            ],
            "reason_form": ReasonForm(),
            "is_cycle": program.certificates == Program.Certificates.CYCLE,
        },
    )


@login_required
@require_POST
def issue(request: HttpRequest, slug: str) -> HttpResponse:
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
    try:
        services.start_batch(program, session, by=person)
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Certificates are being issued; this page shows the progress."))
    return redirect("certificates:manage", slug=program.slug)


def _staff_certificate(request: HttpRequest, pk: int) -> Certificate:
    person = hub_staff_member(request)
    return get_object_or_404(
        Certificate.objects.filter(program__in=manageable_programs(person)).select_related(
            "program"
        ),
        pk=pk,
    )


def _back_to_list(certificate: Certificate) -> HttpResponse:
    url = reverse("certificates:manage", kwargs={"slug": certificate.program.slug})
    if certificate.session_id is not None:
        url += "?" + urlencode({"session": certificate.session_id})
    return redirect(url)


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
        return _back_to_list(certificate)
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
    return render(request, "certificates/transcript.html", {"transcript": data})


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
