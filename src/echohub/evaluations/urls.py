from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from echohub.evaluations.views import answer, completions, manage, results

app_name = "evaluations"

urlpatterns: list[URLPattern] = []

# --- Answering: a person's own signed link, and their list on "My sessions" ----------------
urlpatterns += [
    path(_("evaluation/<str:token>/"), answer.answer, name="answer"),
]

# --- Results: hub staff read aggregates, never who answered what ---------------------------
urlpatterns += [
    path(_("manage/evaluation/"), results.overview, name="overview"),
    path(
        _("manage/sessions/<int:pk>/evaluation/"), results.session_results, name="session_results"
    ),
    path(
        _("manage/sessions/<int:pk>/evaluation/results.<str:fmt>"),
        results.session_export,
        name="session_export",
    ),
    path(
        _("manage/programs/<slug:slug>/evaluation/results/"),
        results.program_results,
        name="program_results",
    ),
    path(
        _("manage/programs/<slug:slug>/evaluation/results.<str:fmt>"),
        results.program_export,
        name="program_export",
    ),
    path(_("manage/hubs/<slug:slug>/evaluation/results/"), results.hub_results, name="hub_results"),
    path(
        _("manage/hubs/<slug:slug>/evaluation/results.<str:fmt>"),
        results.hub_export,
        name="hub_export",
    ),
]

# --- Who has answered (for credit) and waiving ----------------------------------------------
urlpatterns += [
    path(
        _("manage/programs/<slug:slug>/evaluation/answered/"),
        completions.completions,
        name="completions",
    ),
    path(
        _("manage/evaluation/completions/<int:pk>/waive/"),
        completions.waive,
        name="waive",
    ),
]

# --- Building questionnaires, a program's plan ----------------------------------------------
urlpatterns += [
    path(
        _("manage/hubs/<slug:slug>/questionnaires/"),
        manage.questionnaires,
        name="questionnaires",
    ),
    path(_("manage/questionnaires/<int:pk>/"), manage.questionnaire, name="questionnaire"),
    path(
        _("manage/questionnaires/<int:pk>/questions/<slug:key>/"),
        manage.question_edit,
        name="question_edit",
    ),
    path(_("manage/questionnaires/<int:pk>/preview/"), manage.preview, name="preview"),
    path(_("manage/programs/<slug:slug>/evaluation/plan/"), manage.plan, name="plan"),
]
