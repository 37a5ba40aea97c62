"""The pages hub staff build a questionnaire on, for any app that asks questions.

An app's view finds the questionnaire through its own permission helper,
describes it in a `Builder`, and hands the request to `design` (the list of
questions, adding, moving, removing, starting again from a starter) or to
`edit` (one question). Every change goes through `engine`, so a version with
answers is never changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.accounts.models import User
from echohub.questionnaires import engine
from echohub.questionnaires.forms import QuestionForm
from echohub.questionnaires.starters import Question


@dataclass
class Starter:
    key: str
    label: str
    questions: list[Question]


@dataclass
class Builder:
    versions: engine.Versions
    person: User
    heading: str
    page_url: str
    question_url: Callable[[str], str]
    question_form: type[QuestionForm]
    starters: list[Starter] = field(default_factory=list)
    in_use_text: str = ""
    template: str = "questionnaires/builder.html"
    context: dict[str, Any] = field(default_factory=dict)


class StarterForm(forms.Form):
    starter = forms.ChoiceField(label=gettext_lazy("Start from"))

    def __init__(self, starters: list[Starter], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["starter"]).choices = [
            (s.key, s.label) for s in starters
        ]


def design(request: HttpRequest, builder: Builder) -> HttpResponse:
    versions = builder.versions
    version = engine.current(versions)
    action = request.POST.get("action") if request.method == "POST" else None
    question_form = builder.question_form(request.POST if action == "add" else None)
    starter_form = StarterForm(builder.starters, request.POST if action == "start" else None)
    if action == "add" and question_form.is_valid():
        question = question_form.save(commit=False)
        question.choices = question_form.cleaned_data["choices"]
        engine.add_question(versions, question, by=builder.person)
        messages.success(request, _("Question added."))
        return redirect(builder.page_url)
    if action == "start" and starter_form.is_valid():
        chosen = {s.key: s for s in builder.starters}[starter_form.cleaned_data["starter"]]
        engine.start_from(versions, chosen.questions, by=builder.person)
        messages.success(request, _("A new version of the form starts from that template."))
        return redirect(builder.page_url)
    if action in ("up", "down", "remove"):
        key = request.POST.get("key", "")
        if action == "remove":
            engine.remove_question(versions, key, by=builder.person)
        else:
            engine.move_question(versions, key, -1 if action == "up" else 1, by=builder.person)
        return redirect(builder.page_url)
    questions = list(versions.questions(version))
    return render(
        request,
        builder.template,
        {
            "builder": builder,
            "heading": builder.heading,
            "form_version": version,
            "questions": [(q, builder.question_url(q.key)) for q in questions],
            "in_use": versions.in_use(version),
            "field_form": question_form,
            "starter_form": starter_form if builder.starters else None,
            **builder.context,
        },
    )


def edit(request: HttpRequest, builder: Builder, key: str) -> HttpResponse:
    versions = builder.versions
    question = versions.questions(engine.current(versions)).filter(key=key).first()
    if question is None:
        raise Http404
    form = builder.question_form(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        engine.update_question(versions, key, form.changes(), by=builder.person)
        messages.success(request, _("Question saved."))
        return redirect(builder.page_url)
    return render(
        request,
        "questionnaires/question_edit.html",
        {
            "builder": builder,
            "heading": builder.heading,
            "question": question,
            "form": form,
            **builder.context,
        },
    )
