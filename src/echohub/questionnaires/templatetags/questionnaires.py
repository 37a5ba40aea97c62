"""`{% answer_fields form highlights %}`: an answer form's questions, each with what the
de-identification gate marked in it (case forms, evaluations and their preview alike)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from echohub.questionnaires.forms import AnswersForm

register = template.Library()


@register.inclusion_tag("questionnaires/_answers.html")
def answer_fields(
    form: AnswersForm, highlights: dict[str, SafeString] | None = None
) -> dict[str, Any]:
    marked = highlights or {}
    return {
        "rows": [
            (form[name], marked.get(name), question.required)
            for question in form.questions
            for name in [f"q_{question.key}"]
        ]
    }
