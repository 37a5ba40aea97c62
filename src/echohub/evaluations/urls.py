from django.urls import URLPattern, path  # noqa: F401
from django.utils.translation import gettext_lazy as _  # noqa: F401

from echohub.evaluations.views import answer, manage, results  # noqa: F401

app_name = "evaluations"

urlpatterns: list[URLPattern] = []

# --- Answering: a person's own signed link, and their list on "My sessions" ----------------
urlpatterns += []

# --- Results: hub staff read aggregates, never who answered what ---------------------------
urlpatterns += []

# --- Building questionnaires, a program's plan, waiving -------------------------------------
urlpatterns += []
