"""Evaluation results as CSV and XLSX: the aggregated figures only, suppressed as on the page.

No free text and no person: one row per question of a group (a session, a
phase of a program), one per paired question's change, and one per group for
its responses and response rate. A group or an answer under `MIN_CELL` reads
"fewer than 5" and carries no figure.
"""

from collections.abc import Iterable, Sequence

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from echohub.evaluations.models import Phase
from echohub.evaluations.results import (
    Change,
    Group,
    ItemResult,
    ProgramResults,
    SessionResults,
)
from echohub.programs.models import Session
from echohub.questionnaires.models import QuestionType
from echohub.spreadsheets import Cell


def header() -> list[str]:
    return [
        _("Evaluation"),
        _("Group"),
        _("Question"),
        _("Moore’s level"),
        _("Answers"),
        _("Response rate (%)"),
        "1",
        "2",
        "3",
        "4",
        "5",
        _("Mean"),
        _("Median"),
        _("Answers per choice"),
        _("Pairs"),
        _("Mean before"),
        _("Mean after"),
        _("Mean change"),
        _("Improved (%)"),
    ]


WIDTH = 19


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def _row(evaluation: str, group: str, question: str = "", level: str = "") -> list[Cell]:
    return [evaluation, group, question, level] + [None] * (WIDTH - 4)


def _fewer() -> str:
    return _("fewer than 5")


def _item_row(evaluation: str, group: str, item: ItemResult) -> list[Cell]:
    row = _row(evaluation, group, str(item.spec.label), item.spec.level_label)
    if item.hidden:
        row[4] = _fewer()
        return row
    row[4] = item.n
    if item.spec.type == QuestionType.LIKERT:
        row[6:11] = [point.count for point in item.points]
    elif item.points:
        row[13] = "; ".join(f"{p.label}: {_fewer() if p.hidden else p.count}" for p in item.points)
    row[11] = _round(item.mean)
    row[12] = _round(item.median)
    return row


def group_rows(evaluation: str, name: str, group: Group) -> list[list[Cell]]:
    first = _row(evaluation, name, _("All questions"))
    if group.hidden:
        first[4] = _fewer()
        return [first]
    first[4] = group.responses
    first[5] = None if group.rate is None else round(group.rate * 100, 1)
    return [first] + [
        _item_row(evaluation, name, item) for item in group.items if not item.spec.is_free_text
    ]


def change_rows(name: str, changes: Iterable[Change]) -> list[list[Cell]]:
    evaluation = _("Change from before to after the series")
    rows = []
    for change in changes:
        row = _row(evaluation, name, str(change.spec.label), change.spec.level_label)
        if change.hidden:
            row[14] = _fewer()
        else:
            row[14:19] = [
                change.pairs,
                _round(change.before),
                _round(change.after),
                _round(change.change),
                None if change.improved is None else round(change.improved * 100, 1),
            ]
        rows.append(row)
    return rows


def session_name(session: Session) -> str:
    return f"{date_format(localtime(session.starts_at), 'Y-m-d')} · {session.title}"


def session_rows(results: SessionResults) -> list[list[Cell]]:
    return group_rows(str(Phase.SESSION.label), session_name(results.session), results.group)


def program_rows(
    results: ProgramResults, sessions: Sequence[SessionResults] = ()
) -> list[list[Cell]]:
    """A program's phases (and, when given, each session's own figures) and its changes."""
    name = str(results.program.title)
    rows: list[list[Cell]] = []
    for phase in results.phases:
        rows += group_rows(phase.label, name, phase.group)
    for session in sessions:
        rows += session_rows(session)
    return rows + change_rows(name, results.changes)
