"""Hub staff build their hub's evaluation questionnaires and plan a program's evaluations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.evaluations import services
from echohub.evaluations.forms import (
    PlanForm,
    QuestionnaireForm,
    TitleForm,
    item_form_for,
    validation_into,
)
from echohub.evaluations.models import Item, Plan, Questionnaire, QuestionnaireVersion, Response
from echohub.evaluations.permissions import get_questionnaire_for
from echohub.evaluations.starters import STARTER_CHOICES, STARTERS
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for, hub_staff_member
from echohub.programs.models import Program
from echohub.programs.permissions import get_program_for
from echohub.questionnaires import builder
from echohub.questionnaires.forms import AnswersForm


def _listed(hub: Hub) -> list[Questionnaire]:
    """The hub's questionnaires, each with its current version's number and question count and
    whether anyone answered any version, in a fixed number of queries."""
    latest = QuestionnaireVersion.objects.filter(questionnaire=OuterRef("pk")).order_by("-version")
    counted = (
        Item.objects.filter(form=OuterRef("current_pk"))
        .order_by()
        .values("form")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Questionnaire.objects.filter(hub=hub)
        .annotate(
            current_pk=Subquery(latest.values("pk")[:1]),
            current_number=Subquery(latest.values("version")[:1]),
        )
        .annotate(
            question_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
            answered=Exists(Response.objects.filter(version__questionnaire=OuterRef("pk"))),
        )
        .order_by("kind", "title_en", "title_fr", "pk")
    )


@login_required
def questionnaires(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    hub = get_hub_for(person, slug)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_questionnaire(hub, by=person, **form.service_kwargs())
        except ValidationError as error:
            validation_into(form, error)
        else:
            messages.success(request, _("Questionnaire made: check its questions."))
            return redirect("evaluations:questionnaire", pk=made.pk)
    used_by: dict[int, list[Program]] = {}
    for plan in Plan.objects.filter(program__hub=hub).select_related("program"):
        for chosen in {
            plan.session_questionnaire_id,
            plan.pre_post_questionnaire_id,
            plan.follow_up_questionnaire_id,
        }:
            if chosen is not None:
                used_by.setdefault(chosen, []).append(plan.program)
    found = [(q, used_by.get(q.pk, [])) for q in _listed(hub)]
    groups = [
        (label, [row for row in found if row[0].kind == kind])
        for kind, label in Questionnaire.Kind.choices
    ]
    return render(
        request,
        "evaluations/questionnaires.html",
        {"hub": hub, "groups": groups, "form": form},
    )


def _builder(person: User, questionnaire: Questionnaire, title_form: TitleForm) -> builder.Builder:
    pk = questionnaire.pk
    return builder.Builder(
        versions=services.Versions(questionnaire),
        person=person,
        heading=str(questionnaire.title),
        page_url=reverse("evaluations:questionnaire", kwargs={"pk": pk}),
        question_url=lambda key: reverse(
            "evaluations:question_edit", kwargs={"pk": pk, "key": key}
        ),
        question_form=item_form_for(questionnaire),
        starters=[
            builder.Starter(key, str(label), STARTERS[key][1])
            for key, label in STARTER_CHOICES
            if STARTERS[key][0] == questionnaire.kind
        ],
        in_use_text=_(
            "People have answered this version: a change makes a new version, and their answers "
            "keep the version they were given on."
        ),
        template="evaluations/questionnaire.html",
        context={"questionnaire": questionnaire, "title_form": title_form},
    )


@login_required
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    person = hub_staff_member(request)
    found = get_questionnaire_for(person, pk)
    title_form = TitleForm(instance=found)
    if request.method == "POST" and request.POST.get("action") == "rename":
        # A copy of its own, so a refused title never shows as the page's heading.
        title_form = TitleForm(request.POST, instance=get_questionnaire_for(person, pk))
        if title_form.is_valid():
            services.rename_questionnaire(title_form.save(commit=False), by=person)
            messages.success(request, _("Title saved."))
            return redirect("evaluations:questionnaire", pk=pk)
    return builder.design(request, _builder(person, found, title_form))


@login_required
def question_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    person = hub_staff_member(request)
    found = get_questionnaire_for(person, pk)
    return builder.edit(request, _builder(person, found, TitleForm(instance=found)), key)


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version as a participant sees it, in the reader's language; it sends nothing."""
    person = hub_staff_member(request)
    found = get_questionnaire_for(person, pk)
    version = services.current_version(found)
    form = AnswersForm(list(version.items.order_by("position", "pk")))
    return render(
        request,
        "evaluations/preview.html",
        {"questionnaire": found, "version": version, "form": form},
    )


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    program = get_program_for(person, slug)
    form = PlanForm(request.POST or None, instance=services.plan_for(program), hub=program.hub)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(form.save(commit=False), by=person)
        except ValidationError as error:
            validation_into(form, error)
        else:
            messages.success(request, _("Evaluation plan saved."))
            return redirect("evaluations:plan", slug=program.slug)
    return render(request, "evaluations/plan.html", {"program": program, "form": form})
