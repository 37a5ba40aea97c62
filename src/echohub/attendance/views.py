"""Attendance pages: a session's list and figures, report import with its preview, marking
by hand, the program's figures, and the participant's check-in by code."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
            "upload_form": UploadForm(zone=session.program.timezone),
            "mark_form": _mark_form(session),
            "imports": session.attendance_imports.defer("report", "people").select_related(
                "uploaded_by"
            )[:20],
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
        received = services.receive_report(
            session,
            report.read(),
            filename=report.name,
            by=person,
            report_zone=form.cleaned_data["zone"],
        )
        received.refresh_from_db(fields=["status", "error"])
        if received.status != AttendanceImport.Status.FAILED:
            return redirect("attendance:preview", pk=received.pk)
        # Read at once (a backend that runs tasks in the request) and unreadable: say
        # so here and keep nothing. (Read in the background, the failed row stays, with
        # its reason, on the session's page: the person may have left by then.)
        form.add_error("report", received.error)
        received.delete()
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("attendance:session", pk=session.pk)


# Lines shown (and posted) at once.
LINES_PER_PAGE = 100

# The views of a long report's lines: each line is in "all", one of the decision
# filters (by what is decided for it so far), and "unmatched" if no one was found.
FILTERS = {
    "decide": gettext_lazy("Needs a decision"),
    "matched": gettext_lazy("Matched to a person"),
    "unmatched": gettext_lazy("Not found"),
    "walk_in": gettext_lazy("Walk-ins"),
    "ignore": gettext_lazy("Left out"),
    "all": gettext_lazy("All lines"),
}


def _filters_of(row: dict[str, Any], decision: str | None) -> set[str]:
    if decision is None:
        kinds = {"decide"}
    elif decision in (services.WALK_IN, services.IGNORE):
        kinds = {decision}
    else:
        kinds = {"matched"}
    if row["status"] == "unmatched":
        kinds.add("unmatched")
    return kinds | {"all"}


def _posted_choices(
    request: HttpRequest, upload: AttendanceImport
) -> tuple[dict[int, str], list[str]]:
    """The choices on the lines shown; an email typed links to that person's account
    (only a registrant's, a staff member's, or the line's own email's)."""
    choices: dict[int, str] = {}
    problems: list[str] = []
    for index, row in enumerate(upload.people):
        email = request.POST.get(f"email-{index}", "").strip()
        choice = request.POST.get(f"row-{index}", "")
        if email:
            found = services.person_for_email(upload, index, email)
            if found is None:
                problems.append(
                    _(
                        "No one registered for the session or on the hub's staff has the "
                        "address %(email)s (line of %(name)s)."
                    )
                    % {"email": email, "name": row["name"]}
                )
                continue
            choices[index] = str(found)
        elif choice in (services.IGNORE, services.WALK_IN) or choice.isdigit():
            choices[index] = choice
    return choices, problems


def _act(request: HttpRequest, upload: AttendanceImport, person: User) -> HttpResponse | None:
    """Keep the choices posted, then do what the button says; None: back to the lines."""
    choices, problems = _posted_choices(request, upload)
    try:
        if choices:
            upload = services.choose(upload, choices, by=person)
    except services.AttendanceError as error:
        problems.append(str(error))
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return None
    # A filter or another page of lines keeps the choices and goes there; Enter saves.
    moving = request.POST.get("go") or request.POST.get("page_to")
    action = request.POST.get("action", "" if moving else "apply")
    if action == "accept":
        count = services.accept_suggestions(upload, by=person)
        messages.success(
            request,
            ngettext("%(count)s suggestion accepted.", "%(count)s suggestions accepted.", count)
            % {"count": count},
        )
    elif action in (services.WALK_IN, services.IGNORE):
        count = services.settle_the_rest(upload, action, by=person)
        done = (
            ngettext(
                "%(count)s line recorded as a walk-in.",
                "%(count)s lines recorded as walk-ins.",
                count,
            )
            if action == services.WALK_IN
            else ngettext("%(count)s line left out.", "%(count)s lines left out.", count)
        )
        messages.success(request, done % {"count": count})
    elif action == "apply":
        try:
            changed = services.apply_import(upload, services.decisions_so_far(upload), by=person)
        except services.AttendanceError as error:
            messages.error(request, str(error))
            return None
        messages.success(
            request,
            ngettext(
                "Attendance saved: %(count)s record changed.",
                "Attendance saved: %(count)s records changed.",
                changed,
            )
            % {"count": changed},
        )
        return redirect("attendance:session", pk=upload.session_id)
    elif choices and not moving:
        messages.success(
            request, _("Your choices are kept; nothing is saved until you save the attendance.")
        )
    return None


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    upload = get_object_or_404(AttendanceImport.objects.defer("report"), pk=pk)
    session = get_session_for(person, upload.session_id)
    if upload.status == AttendanceImport.Status.FAILED:
        messages.error(request, upload.error)
        return redirect("attendance:session", pk=session.pk)
    if upload.status == AttendanceImport.Status.READING:
        # Nothing to choose yet: the page shows how far the reading got, and refreshes.
        return render(
            request,
            "attendance/reading.html",
            {"session": session, "program": session.program, "upload": upload},
        )
    if request.method == "POST":
        show = request.POST.get("go") or request.POST.get("show", "")
        if upload.status != AttendanceImport.Status.PREVIEW:
            messages.error(request, _("This report was already applied or discarded."))
        elif request.POST.get("discard"):
            upload.status = AttendanceImport.Status.DISCARDED
            upload.save(update_fields=["status"])
            messages.success(request, _("The report was set aside; nothing changed."))
            return redirect("attendance:session", pk=session.pk)
        else:
            answer = _act(request, upload, person)
            if answer is not None:
                return answer
        where = reverse("attendance:preview", kwargs={"pk": upload.pk})
        query = {"show": show} if show in FILTERS else {}
        if (to := request.POST.get("page_to", "")).isdigit():
            query["page"] = to
        return redirect(f"{where}?{urlencode(query)}" if query else where)
    return render(request, "attendance/preview.html", _preview_context(request, upload, session))


def _preview_context(
    request: HttpRequest, upload: AttendanceImport, session: Session
) -> dict[str, Any]:
    so_far = services.decisions_so_far(upload)
    kinds = [_filters_of(row, so_far.get(index)) for index, row in enumerate(upload.people)]
    counts = {name: sum(1 for k in kinds if name in k) for name in FILTERS}
    show = request.GET.get("show", "")
    if show not in FILTERS:
        show = "decide" if counts["decide"] else "all"
    # A page of lines at a time: a 600-line report on one page posted 1,200 fields,
    # more than Django takes (DATA_UPLOAD_MAX_NUMBER_FIELDS), and weighed megabytes.
    page = Paginator([index for index, k in enumerate(kinds) if show in k], LINES_PER_PAGE)
    lines = page.get_page(request.GET.get("page"))
    shown = list(lines.object_list)
    ids = {pid for index in shown for pid, _score in upload.people[index]["choices"]}
    ids |= {int(so_far[index]) for index in shown if so_far.get(index, "").isdigit()}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = []
    for index in shown:
        row = upload.people[index]
        chosen = so_far.get(index, "")
        options = [(str(pid), names.get(pid) or str(pid), score) for pid, score in row["choices"]]
        if chosen.isdigit() and chosen not in {value for value, _l, _s in options}:
            options.append((chosen, names.get(int(chosen)) or chosen, None))
        rows.append(
            {
                "index": index,
                **row,
                "certain": services.is_certain(row) and chosen == str(row["person"]),
                "chosen": chosen,
                "chosen_name": names.get(int(chosen)) if chosen.isdigit() else "",
                "options": options,
            }
        )
    statuses = {
        status: sum(1 for row in upload.people if row["status"] == status)
        for status in ("matched", "ambiguous", "unmatched")
    }
    return {
        "session": session,
        "program": session.program,
        "upload": upload,
        "rows": rows,
        "counts": statuses,
        "certain": sum(1 for row in upload.people if services.is_certain(row)),
        "filters": [(name, label, counts[name]) for name, label in FILTERS.items()],
        "show": show,
        "lines": lines,
        "undecided": counts["decide"],
        "suggestions": sum(
            1
            for index, row in enumerate(upload.people)
            if index not in so_far and services.best_choice(row) is not None
        ),
        "IGNORE": services.IGNORE,
        "WALK_IN": services.WALK_IN,
    }


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
    # The figures are the reports' own ({% program_figures %}), as every page shows them.
    return render(request, "attendance/program.html", {"program": program})


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
