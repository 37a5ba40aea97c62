"""A program's case form, as a questionnaire of the shared engine (`echohub.questionnaires`).

The engine never changes a version that cases use: the first change after a
case is written copies the form to a new version, and each case keeps its own.
"""

from typing import Any, cast

from django.db.models import QuerySet

from echohub.accounts.models import User
from echohub.cases.models import CaseField, CaseForm, CaseSettings
from echohub.cases.starters import STARTERS
from echohub.programs.models import Program
from echohub.questionnaires import engine
from echohub.questionnaires.models import AbstractVersion
from echohub.questionnaires.starters import Question


class CaseFormVersions(engine.Versions):
    question_model = CaseField

    def __init__(self, program: Program) -> None:
        self.program = program

    def all(self) -> QuerySet[Any]:
        return CaseForm.objects.filter(program=self.program)

    def create(self, number: int, by: User | None) -> AbstractVersion:
        return CaseForm.objects.create(program=self.program, version=number, created_by=by)

    def in_use(self, version: AbstractVersion) -> bool:
        return isinstance(version, CaseForm) and version.cases.exists()

    def starter(self) -> list[Question]:
        return STARTERS["palliative"]


def settings_for(program: Program) -> CaseSettings:
    found, _ = CaseSettings.objects.get_or_create(program=program)
    return found


def current_form(program: Program) -> CaseForm:
    """The version new cases are written on; the palliative starter for a program that has none."""
    return cast(CaseForm, engine.current(CaseFormVersions(program)))
