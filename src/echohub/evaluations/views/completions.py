"""Who was asked which evaluation and whether it is done (for credit), and waiving one.

These pages list completions only: they never read a `Response`, so no answer can
appear beside a name here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from echohub.evaluations import services
from echohub.evaluations.forms import WaiveForm
from echohub.evaluations.models import Completion
from echohub.network.permissions import hub_staff_member
from echohub.programs.models import Program
from echohub.programs.permissions import get_program_for, manageable_programs

PAGE_SIZE = 50
CLOSED = "closed"  # a filter: not answered, and no longer open
STATUSES = (
    Completion.Status.PENDING,
    CLOSED,
    Completion.Status.SUBMITTED,
    Completion.Status.WAIVED,
)


def _filtered(program: Program, *, session: str, status: str, person: str) -> QuerySet[Completion]:
    found = Completion.objects.filter(program=program)
    if session.isdigit():
        found = found.filter(session_id=int(session))
    if person.isdigit():
        found = found.filter(person_id=int(person))
    if status == CLOSED:
        found = found.filter(status=Completion.Status.PENDING, closes_at__lte=timezone.now())
    elif status in STATUSES:
        found = found.filter(status=status)
    return found


@login_required
def completions(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone asked an evaluation of the program and where they stand, 50 to a page, with
    a "waive" form for those who have not answered."""
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    session = request.GET.get("session", "")
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    who = request.GET.get("person", "")
    found = (
        _filtered(program, session=session, status=status, person=who)
        .select_related("person", "session", "waived_by")
        .order_by(F("session__starts_at").desc(nulls_last=True), "phase", "person__name", "pk")
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        (
            completion,
            completion.is_done or completion.closes_at > now,
            None if completion.is_done else WaiveForm(completion_id=completion.pk),
        )
        for completion in page
    ]
    kept = {"session": session, "status": status, "person": who}
    return render(
        request,
        "evaluations/completions.html",
        {
            "program": program,
            "page": page,
            "rows": rows,
            "sessions": program.sessions.filter(evaluation_completions__isnull=False)
            .distinct()
            .order_by("-starts_at"),
            "session": session,
            "status": status,
            "person": who,
            "statuses": [
                (Completion.Status.PENDING, pgettext("evaluation", "Not answered yet")),
                (CLOSED, pgettext("evaluation", "Closed without an answer")),
                (Completion.Status.SUBMITTED, pgettext("evaluation", "Answered")),
                (Completion.Status.WAIVED, pgettext("evaluation", "Waived")),
            ],
            "query_string": urlencode({k: v for k, v in kept.items() if v}),
        },
    )


@login_required
@require_POST
def waive(request: HttpRequest, pk: int) -> HttpResponse:
    """Count one person's evaluation as done without answers, with the reason."""
    person = hub_staff_member(request)
    completion = get_object_or_404(
        Completion.objects.filter(program__in=manageable_programs(person)).select_related(
            "program", "person"
        ),
        pk=pk,
    )
    form = WaiveForm(request.POST, completion_id=completion.pk)
    if not form.is_valid():
        messages.error(request, _("Say why the evaluation is waived."))
    else:
        try:
            services.waive(completion, reason=form.cleaned_data["reason"], by=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Evaluation of %(person)s waived.")
                % {"person": completion.person.name or completion.person.email},
            )
    back = reverse("evaluations:completions", kwargs={"slug": completion.program.slug})
    query = request.POST.get("back", "")
    return redirect(back + ("?" + query if _safe_query(query) else ""))


def _safe_query(query: str) -> bool:
    """Only the list's own filters go back into the address."""
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789_=&")
    return bool(query) and len(query) <= 200 and set(query) <= allowed
