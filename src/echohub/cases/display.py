"""A case's answers as pages show them: its own form version, in the reader's language."""

from dataclasses import dataclass
from typing import Any

from echohub.bilingual import active_lang, pick
from echohub.cases.forms import YES_NO
from echohub.cases.models import AGE_BANDS, Case, CaseField, FieldType


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    long: bool


def _choice_label(field: CaseField, value: Any) -> str:
    lang = active_lang()
    for choice in field.choices:
        if choice.get("value") == value:
            return str(pick({"en": choice.get("en", ""), "fr": choice.get("fr", "")}, lang))
    return str(value)


def _shown(field: CaseField, value: Any) -> str:
    if field.type == FieldType.CHOICE:
        return _choice_label(field, value)
    if field.type == FieldType.MULTI_CHOICE:
        return ", ".join(_choice_label(field, v) for v in value or [])
    if field.type == FieldType.AGE_BAND:
        return str(dict(AGE_BANDS).get(value, value))
    if field.type == FieldType.YES_NO:
        return str(dict(YES_NO).get(value, value))
    return str(value)


def answers(case: Case) -> list[Answer]:
    """Every answered question, in the order of the form version the case was written on."""
    given = case.answers or {}
    return [
        Answer(str(field.label), _shown(field, given[field.key]), field.is_free_text)
        for field in case.form.fields.all()
        if given.get(field.key) not in (None, "", [])
    ]


def as_text(case: Case) -> str:
    """The case as a plain text file, for export."""
    lines = [f"{case.label}: {case.title}", f"{case.program.title}", ""]
    for answer in answers(case):
        lines += [answer.label, answer.value, ""]
    recommendations = getattr(case, "recommendations", None)
    if recommendations is not None and recommendations.text:
        lines += ["—", recommendations.text, ""]
    return "\n".join(lines)
