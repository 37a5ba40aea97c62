"""Changing a questionnaire without ever changing a version that has answers.

A questionnaire is a line of versions (`Versions` says where its versions and
questions live and whether a version is in use). Every change goes through
`editable`: when the current version already has answers, it is copied to a
new version first and the change lands there; the answers keep pointing at
the version they were given on.
"""

from abc import ABC, abstractmethod
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify

from echohub.accounts.models import User
from echohub.questionnaires.models import AbstractQuestion, AbstractVersion
from echohub.questionnaires.starters import Question


class Versions(ABC):
    """The versions of one questionnaire, and the tables they are kept in."""

    question_model: type[AbstractQuestion]

    @abstractmethod
    def all(self) -> QuerySet[Any]:
        """Every version of this questionnaire."""

    @abstractmethod
    def create(self, number: int, by: User | None) -> AbstractVersion:
        """A new, empty version with this number."""

    @abstractmethod
    def in_use(self, version: AbstractVersion) -> bool:
        """Whether anything was written on this version (then it never changes again)."""

    def starter(self) -> list[Question]:
        """The questions of the first version, made on first use."""
        return []

    def questions(self, version: AbstractVersion) -> QuerySet[Any]:
        field = self.question_model.version_field
        return self.question_model._default_manager.filter(**{field: version}).order_by(
            "position", "pk"
        )


def current(versions: Versions) -> AbstractVersion:
    """The version answers are given on now; a questionnaire with none starts from its starter."""
    found = versions.all().order_by("-version").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            found = new_version(versions, None)
            fill(versions, found, versions.starter())
    except IntegrityError:
        # Two first visits at once: the other one made version 1.
        return versions.all().get(version=1)
    return found


def new_version(versions: Versions, by: User | None) -> AbstractVersion:
    latest = versions.all().aggregate(latest=Max("version"))["latest"] or 0
    return versions.create(latest + 1, by)


def fill(versions: Versions, version: AbstractVersion, questions: list[Question]) -> None:
    model = versions.question_model
    model._default_manager.bulk_create(
        model(
            **{model.version_field: version},
            key=q.key,
            position=index,
            type=q.type,
            label_en=q.en,
            label_fr=q.fr,
            help_en=q.help_en,
            help_fr=q.help_fr,
            required=q.required,
            choices=q.choices,
            low_en=q.low_en,
            low_fr=q.low_fr,
            high_en=q.high_en,
            high_fr=q.high_fr,
            **q.extra,
        )
        for index, q in enumerate(questions)
    )


def editable(versions: Versions, by: User) -> AbstractVersion:
    """The current version if nothing was written on it yet, else a copy of it to change."""
    version = current(versions)
    if not versions.in_use(version):
        return version
    copy = new_version(versions, by)
    questions = list(versions.questions(version))
    for question in questions:
        question.pk = None
        setattr(question, versions.question_model.version_field, copy)
    versions.question_model._default_manager.bulk_create(questions)
    return copy


@transaction.atomic
def start_from(versions: Versions, questions: list[Question], *, by: User) -> AbstractVersion:
    version = new_version(versions, by)
    fill(versions, version, questions)
    return version


def _unique_key(versions: Versions, version: AbstractVersion, label: str) -> str:
    base = slugify(label)[:30].replace("-", "_") or "question"
    taken = set(versions.questions(version).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def add_question(versions: Versions, question: AbstractQuestion, *, by: User) -> AbstractQuestion:
    version = editable(versions, by)
    setattr(question, versions.question_model.version_field, version)
    question.key = _unique_key(versions, version, question.label_en or question.label_fr)
    last = versions.questions(version).aggregate(last=Max("position"))["last"]
    question.position = 0 if last is None else last + 1
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def update_question(
    versions: Versions, key: str, changes: dict[str, object], *, by: User
) -> AbstractQuestion:
    question = versions.questions(editable(versions, by)).get(key=key)
    for name, value in changes.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def remove_question(versions: Versions, key: str, *, by: User) -> None:
    versions.questions(editable(versions, by)).filter(key=key).delete()


@transaction.atomic
def move_question(versions: Versions, key: str, step: int, *, by: User) -> None:
    questions = list(versions.questions(editable(versions, by)))
    keys = [q.key for q in questions]
    if key not in keys:
        return
    at = keys.index(key)
    to = min(max(at + step, 0), len(questions) - 1)
    questions.insert(to, questions.pop(at))
    for position, question in enumerate(questions):
        question.position = position
    versions.question_model._default_manager.bulk_update(questions, ["position"])
