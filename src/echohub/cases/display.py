"""A case's answers as pages show them: its own form version, in the reader's language."""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from echohub.cases.models import Case
from echohub.deidentify import Finding
from echohub.deidentify.gate import highlighted
from echohub.questionnaires import display
from echohub.questionnaires.display import Answer


def answers(case: Case) -> list[Answer]:
    """Every answered question, in the order of the form version the case was written on."""
    return display.answers(list(case.form.fields.all()), case.answers or {})


def as_text(case: Case) -> str:
    """The case as a plain text file, for export."""
    lines = [f"{case.label}: {case.title}", f"{case.program.title}", ""]
    for answer in answers(case):
        lines += [answer.label, answer.value, ""]
    recommendations = getattr(case, "recommendations", None)
    if recommendations is not None and recommendations.text:
        lines += ["—", recommendations.text, ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Confirmed:
    """A text of the case with the spans its presenter confirmed were not identifiers."""

    label: str
    marked: SafeString


def confirmed(case: Case) -> list[Confirmed]:
    """For the reviewing hub: each text holding confirmed spans, with them marked."""
    texts = case.texts()
    labels = {f"answers.{q.key}": str(q.label) for q in case.form.fields.all()}
    by_place: dict[str, list[Finding]] = {}
    for confirmation in case.confirmations():
        text = texts.get(confirmation.where, "")
        if confirmation.end <= len(text):
            by_place.setdefault(confirmation.where, []).append(
                Finding(
                    confirmation.kind,
                    confirmation.start,
                    confirmation.end,
                    text[confirmation.start : confirmation.end],
                )
            )
    return [
        Confirmed(
            labels.get(where, _("Short title")),
            highlighted(texts[where], [], confirmed=found),
        )
        for where, found in by_place.items()
    ]
