"""Answers as pages show them: in the order of their own version, in the reader's language."""

from dataclasses import dataclass
from typing import Any

from echohub.bilingual import active_lang, pick
from echohub.questionnaires.forms import YES_NO
from echohub.questionnaires.models import AGE_BANDS, AbstractQuestion, QuestionType


@dataclass(frozen=True)
class Answer:
    label: str
    value: str
    long: bool


def choice_label(question: AbstractQuestion, value: Any) -> str:
    lang = active_lang()
    for choice in question.choices:
        if choice.get("value") == value:
            return str(pick({"en": choice.get("en", ""), "fr": choice.get("fr", "")}, lang))
    return str(value)


def shown(question: AbstractQuestion, value: Any) -> str:
    if question.type == QuestionType.CHOICE:
        return choice_label(question, value)
    if question.type == QuestionType.MULTI_CHOICE:
        return ", ".join(choice_label(question, v) for v in value or [])
    if question.type == QuestionType.AGE_BAND:
        return str(dict(AGE_BANDS).get(value, value))
    if question.type == QuestionType.YES_NO:
        return str(dict(YES_NO).get(value, value))
    return str(value)


def answers(questions: list[AbstractQuestion], given: dict[str, Any]) -> list[Answer]:
    """Every answered question, in its version's order."""
    return [
        Answer(str(q.label), shown(q, given[q.key]), q.is_free_text)
        for q in questions
        if given.get(q.key) not in (None, "", [])
    ]
