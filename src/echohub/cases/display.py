"""A case's answers as pages show them: its own form version, in the reader's language."""

from echohub.cases.models import Case
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
