"""Attendance pages: a session's list and figures, report import with its preview, marking
by hand, the program's figures, and the participant's check-in by code."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.attendance import services
from echohub.attendance.forms import CheckInForm, MarkForm, UploadForm
from echohub.attendance.models import Attendance, AttendanceImport, CheckInCode
from echohub.network.permissions import hub_staff_member
from echohub.programs.models import Session
from echohub.programs.permissions import get_program_for, get_session_for

# A check-in code is looked for among sessions that started at most this long ago.
_LONGEST_SESSION = dt.timedelta(hours=8)


def _people(session: Session) -> "list[User]":
    """Whom a coordinator may mark: the registrants, then anyone already on the list."""
    ids = set(session.registrations.values_list("person_id", flat=True))
    ids |= set(session.attendance.exclude(person=None).values_list("person_id", flat=True))
    return list(User.objects.filter(pk__in=ids).order_by("name", "email"))


def _mark_form(session: Session, data: object = None) -> MarkForm:
    ids = [person.pk for person in _people(session)]
    return MarkForm(data, people=User.objects.filter(pk__in=ids).order_by("name", "email"))


@login_required
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    records = session.attendance.select_related("person", "adjusted_by").order_by(
        "-present", "person__name", "walk_in_name"
    )
    return render(
        request,
        "attendance/session.html",
        {
            "session": session,
            "program": session.program,
            "records": records,
            "figures": services.figures(Session.objects.filter(pk=session.pk)),
            "upload_form": UploadForm(zone=session.program.timezone),
            "mark_form": _mark_form(session),
            "imports": session.attendance_imports.select_related("uploaded_by")[:20],
            "check_in": CheckInCode.objects.filter(session=session).first(),
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = UploadForm(request.POST, request.FILES, zone=session.program.timezone)
    if form.is_valid():
        report = form.cleaned_data["report"]
        try:
            preview = services.preview_import(
                session,
                report.read(),
                filename=report.name,
                by=person,
                report_zone=form.cleaned_data["zone"],
            )
        except services.AttendanceError as error:
            form.add_error("report", str(error))
        else:
            return redirect("attendance:preview", pk=preview.pk)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("attendance:session", pk=session.pk)


def _decisions(request: HttpRequest, upload: AttendanceImport) -> tuple[dict[int, str], list[str]]:
    """The coordinator's choice for each line; an email given links to that account."""
    decisions: dict[int, str] = {}
    problems: list[str] = []
    for index, row in enumerate(upload.people):
        email = request.POST.get(f"email-{index}", "").strip()
        choice = request.POST.get(f"row-{index}", "")
        if email:
            account = User.objects.filter(email__iexact=email).first()
            if account is None:
                problems.append(
                    _("No account has the address %(email)s (line of %(name)s).")
                    % {"email": email, "name": row["name"]}
                )
                continue
            decisions[index] = str(account.pk)
        elif choice in (services.IGNORE, services.WALK_IN) or choice.isdigit():
            decisions[index] = choice
    return decisions, problems


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    upload = get_object_or_404(AttendanceImport, pk=pk)
    session = get_session_for(person, upload.session_id)
    if request.method == "POST" and upload.status == AttendanceImport.Status.PREVIEW:
        if request.POST.get("discard"):
            upload.status = AttendanceImport.Status.DISCARDED
            upload.save(update_fields=["status"])
            messages.success(request, _("The report was set aside; nothing changed."))
            return redirect("attendance:session", pk=session.pk)
        decisions, problems = _decisions(request, upload)
        if not problems:
            try:
                changed = services.apply_import(upload, decisions, by=person)
            except services.AttendanceError as error:
                problems.append(str(error))
            else:
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved: %(count)s record changed.",
                        "Attendance saved: %(count)s records changed.",
                        changed,
                    )
                    % {"count": changed},
                )
                return redirect("attendance:session", pk=session.pk)
        for problem in problems:
            messages.error(request, problem)
        chosen = decisions
    else:
        chosen = services.suggested_decisions(upload)
    names = dict(
        User.objects.filter(
            pk__in={pid for row in upload.people for pid, _score in row["choices"]}
        ).values_list("pk", "name")
    )
    rows = [
        {
            "index": index,
            **row,
            "options": [
                (str(pid), names.get(pid) or str(pid), score) for pid, score in row["choices"]
            ],
            "chosen": chosen.get(index, ""),
        }
        for index, row in enumerate(upload.people)
    ]
    counts = {
        status: sum(1 for row in rows if row["status"] == status)
        for status in ("matched", "ambiguous", "unmatched")
    }
    return render(
        request,
        "attendance/preview.html",
        {
            "session": session,
            "program": session.program,
            "upload": upload,
            "rows": rows,
            "counts": counts,
            "IGNORE": services.IGNORE,
            "WALK_IN": services.WALK_IN,
        },
    )


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    form = _mark_form(session, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.mark(
                session,
                data["person"],
                present=data["present"],
                minutes=data["minutes"],
                reason=data["reason"],
                by=person,
            )
        except services.AttendanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Attendance of %(person)s saved.") % {"person": data["person"]}
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("attendance:session", pk=session.pk)


@login_required
@require_POST
def new_check_in_code(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    session = get_session_for(person, pk)
    services.check_in_code(session)
    return redirect("attendance:session", pk=session.pk)


@login_required
def program_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    sessions = services.program_sessions(program).filter(starts_at__lte=timezone.now())
    rows = [
        (session, services.figures(Session.objects.filter(pk=session.pk))) for session in sessions
    ]
    return render(
        request,
        "attendance/program.html",
        {"program": program, "rows": rows, "figures": services.figures(sessions)},
    )


@login_required
def check_in(request: HttpRequest) -> HttpResponse:
    """A participant on the phone enters the session's code: marked present."""
    person = signed_in_user(request)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entered = "".join(form.cleaned_data["code"].split()).upper()
        now = timezone.now()
        candidates = CheckInCode.objects.filter(
            code=entered,
            session__starts_at__lte=now + CheckInCode.OPENS_BEFORE,
            session__starts_at__gte=now - CheckInCode.CLOSES_AFTER - _LONGEST_SESSION,
        ).select_related("session__program")
        done: Attendance | None = None
        for code in candidates:
            try:
                done = services.check_in(code.session, person, entered, now=now)
            except services.AttendanceError:
                continue
            break
        if done is not None:
            messages.success(
                request,
                _("You are checked in for %(session)s.") % {"session": done.session.title},
            )
            return redirect("attendance:check_in")
        form.add_error("code", _("This code opens no session now. Check it and try again."))
    return render(request, "attendance/check_in.html", {"form": form})
