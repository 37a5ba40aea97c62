"""A person's own evaluation link: it needs no sign-in, opens one completion and nothing else.

The token in the path is the only key, so the page never goes to a cache
(`never_cache`) nor to another site in a Referer header (the site's
`same-origin` policy; not `no-referrer`, with which Chromium sends `Origin:
null` on the form's POST and Django's CSRF check refuses it), and
an error report never repeats what was typed (`sensitive_post_parameters`).
Whoever is signed in, the page answers for the link's person and shows no name.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from echohub.evaluations import services
from echohub.questionnaires.forms import AnswersForm
from echohub.questionnaires.models import AbstractQuestion


def _page(
    request: HttpRequest,
    template: str,
    context: dict[str, object],
    *,
    status: int = 200,
) -> HttpResponse:
    return render(request, template, context, status=status)


@never_cache
@sensitive_post_parameters()
def answer(request: HttpRequest, token: str) -> HttpResponse:
    completion = services.completion_from_token(token)
    if completion is None:
        return _page(request, "evaluations/answer_invalid.html", {}, status=400)
    context: dict[str, object] = {
        "completion": completion,
        "program": completion.program,
        "session": completion.session,
        "now": timezone.now(),
    }
    if completion.is_done:
        return _page(request, "evaluations/answer_done.html", context)
    questionnaire = services.questionnaire_of(completion)
    if questionnaire is None or not completion.is_open():
        context["withdrawn"] = questionnaire is None
        return _page(request, "evaluations/answer_closed.html", context)
    version = services.current_version(questionnaire)
    questions: list[AbstractQuestion] = list(version.items.order_by("position", "pk"))
    redacting = False
    if request.method == "POST":
        form = AnswersForm(questions, request.POST, enforce_required=True)
        if "redact" in request.POST and not form.is_valid() and form.findings:
            # "Replace them for me": the answers come back with placeholders to read over.
            form = AnswersForm(questions, form.redacted_data(), enforce_required=True)
            form.is_valid()
            redacting = True
        elif form.is_valid():
            try:
                services.submit(completion, version, form.answers())
            except services.EvaluationClosed:
                completion.refresh_from_db()
                template = (
                    "evaluations/answer_done.html"
                    if completion.is_done
                    else "evaluations/answer_closed.html"
                )
                return _page(request, template, context)
            return redirect(request.path)
    else:
        form = AnswersForm(questions, enforce_required=True)
    context.update(
        form=form, highlights=form.highlights(), questionnaire=questionnaire, redacted=redacting
    )
    return _page(
        request,
        "evaluations/answer.html",
        context,
        status=422 if form.findings else 200,
    )
