"""Every change to evaluations: questionnaires, a program's plan, asking, answering, waiving.

Answering writes two rows that nothing links: the person's `Completion` is
marked answered, and a `Response` with the answers and no person is added.
"""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.evaluations.models import (
    Completion,
    Item,
    Phase,
    Plan,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from echohub.evaluations.signals import evaluation_completed
from echohub.evaluations.starters import STARTER_TITLES, STARTERS
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.questionnaires import engine
from echohub.questionnaires.models import AbstractVersion
from echohub.questionnaires.starters import Question

log = logging.getLogger(__name__)

LINK_SALT = "echohub.evaluations.link"


class EvaluationClosed(ValidationError):
    """The evaluation is not open (not yet, no longer, or already answered); nothing was saved."""


class Versions(engine.Versions):
    """The versions of one hub questionnaire, for the shared engine."""

    question_model = Item

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire

    def all(self) -> QuerySet[Any]:
        return QuestionnaireVersion.objects.filter(questionnaire=self.questionnaire)

    def create(self, number: int, by: User | None) -> AbstractVersion:
        return QuestionnaireVersion.objects.create(
            questionnaire=self.questionnaire, version=number, created_by=by
        )

    def in_use(self, version: AbstractVersion) -> bool:
        return Response.objects.filter(version_id=version.pk).exists()


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion:
    found = engine.current(Versions(questionnaire))
    assert isinstance(found, QuestionnaireVersion)  # noqa: S101  # Versions makes only these
    return found


@transaction.atomic
def create_questionnaire(
    hub: Hub,
    starter: str = "",
    *,
    by: User,
    kind: str = "",
    title_en: str = "",
    title_fr: str = "",
) -> Questionnaire:
    """A hub's questionnaire: from one of the starters (its questions, its kind and, unless
    titles are given, its title in both languages), or empty, of the kind and title given."""
    questions: list[Question] = []
    if starter:
        kind, questions = STARTERS[starter]
        if not (title_en or title_fr):
            title_en, title_fr = STARTER_TITLES[starter]
    questionnaire = Questionnaire(
        hub=hub, kind=kind, title_en=title_en, title_fr=title_fr, created_by=by
    )
    questionnaire.full_clean()
    questionnaire.save()
    engine.start_from(Versions(questionnaire), questions, by=by)
    log.info(
        "questionnaire %s made from %s by person %s", questionnaire.pk, starter or "nothing", by.pk
    )
    return questionnaire


@transaction.atomic
def rename_questionnaire(questionnaire: Questionnaire, *, by: User) -> Questionnaire:
    """A questionnaire's new titles (its questions and versions stay as they are)."""
    questionnaire.full_clean()
    questionnaire.save(update_fields=["title_en", "title_fr"])
    log.info("questionnaire %s renamed by person %s", questionnaire.pk, by.pk)
    return questionnaire


def plan_for(program: Program) -> Plan:
    # get_or_create answers two first visits at once itself (it reads the other's row).
    found, _created = Plan.objects.get_or_create(program=program)
    return found


@transaction.atomic
def save_plan(plan: Plan, *, by: User) -> Plan:
    """A program's choice of questionnaires (each of its own hub and of the right kind)."""
    hub_id = plan.program.hub_id
    for name, kind in Plan.CHOOSERS.items():
        chosen = getattr(plan, name)
        if chosen is not None and (chosen.hub_id != hub_id or chosen.kind != kind):
            raise ValidationError(
                {name: _("Choose one of this hub’s questionnaires of this kind.")}
            )
    plan.full_clean()
    plan.save()
    log.info("evaluation plan of program %s saved by person %s", plan.program_id, by.pk)
    return plan


def pair_key(program: Program | int, person: User | int) -> str:
    """The same for one person in one program, and unguessable without `EVALUATION_PAIRING_KEY`.

    A keyed hash (HMAC-SHA256), so staff who read the responses cannot tell
    whose they are by hashing every account's id themselves.
    """
    program_id = program if isinstance(program, int) else program.pk
    person_id = person if isinstance(person, int) else person.pk
    return salted_hmac(
        "echohub.evaluations.pair",
        f"{program_id}:{person_id}",
        secret=settings.EVALUATION_PAIRING_KEY,
        algorithm="sha256",
    ).hexdigest()[:40]


def ask(
    person: User,
    program: Program,
    phase: str,
    *,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    session: Session | None = None,
) -> tuple[Completion, bool]:
    """The person's completion for this evaluation, made if it is not there yet."""
    lookup: dict[str, Any] = {"person": person, "phase": phase}
    if session is not None:
        lookup["session"] = session
    else:
        lookup.update(program=program, session=None)
    # Asked twice at once, get_or_create reads the row the other one made.
    return Completion.objects.get_or_create(
        **lookup,
        defaults={"program": program, "opens_at": opens_at, "closes_at": closes_at},
    )


def questionnaire_of(completion: Completion) -> Questionnaire | None:
    return plan_for(completion.program).questionnaire_for(completion.phase)


def submit(
    completion: Completion, version: QuestionnaireVersion, answers: dict[str, Any]
) -> Response:
    """Answers given once, while the evaluation is open; the person is marked as having answered.

    The response is written without the person: pairing before/after uses `pair_key`.
    """
    with transaction.atomic():
        locked = Completion.objects.select_for_update().get(pk=completion.pk)
        if not locked.is_open():
            raise EvaluationClosed(_("This evaluation is closed; nothing was saved."))
        response = Response(
            program_id=locked.program_id,
            session_id=locked.session_id,
            phase=locked.phase,
            version=version,
            answers=answers,
            pair_key=(
                pair_key(locked.program_id, locked.person_id)
                if locked.phase in (Phase.PRE, Phase.POST)
                else ""
            ),
        )
        response.save()
        locked.status = Completion.Status.SUBMITTED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        transaction.on_commit(
            lambda: evaluation_completed.send(sender=Completion, completion=locked)
        )
    log.info("evaluation completion %s answered", locked.pk)
    return response


@transaction.atomic
def waive(completion: Completion, *, reason: str, by: User) -> Completion:
    """A coordinator counts an evaluation as done without answers (e.g. filled in on paper)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the evaluation is waived.")})
    locked = Completion.objects.select_for_update().get(pk=completion.pk)
    if locked.status == Completion.Status.SUBMITTED:
        raise ValidationError(_("This person has already answered the evaluation."))
    locked.status = Completion.Status.WAIVED
    locked.waived_by = by
    locked.waived_reason = reason.strip()
    locked.completed_at = timezone.now()
    locked.full_clean()
    locked.save()
    transaction.on_commit(lambda: evaluation_completed.send(sender=Completion, completion=locked))
    log.info("evaluation completion %s waived by person %s", locked.pk, by.pk)
    return locked


def link_token(completion: Completion) -> str:
    """The signed token of a person's own link: it opens this one completion, nobody else's."""
    # No timestamp in it: one person's link is the same in every email and on every page.
    return signing.Signer(salt=LINK_SALT).sign_object(completion.pk)


def completion_from_token(token: str) -> Completion | None:
    """The completion a token names, or None when the token was altered or made up."""
    try:
        pk = signing.Signer(salt=LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        Completion.objects.select_related("program__hub", "session", "person").filter(pk=pk).first()
    )
