"""The core rules: answers kept apart from who answered, once, while open; pairing; waiving."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from echohub.deidentify.gate import IdentifiersFound
from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase, Response
from echohub.evaluations.signals import evaluation_completed
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, open_completion
from tests.factories import UserFactory


def test_submitting_marks_the_person_and_stores_answers_without_them(
    evaluated: Evaluated, committed: object
) -> None:
    nadia = evaluated.network.participant
    completion = open_completion(nadia, evaluated)
    heard = []
    evaluation_completed.connect(lambda **kw: heard.append(kw["completion"].pk), weak=False)
    with committed():  # type: ignore[operator]
        response = services.submit(
            completion, services.current_version(evaluated.session_q), SESSION_ANSWERS
        )
    completion.refresh_from_db()
    assert completion.status == Completion.Status.SUBMITTED
    assert heard == [completion.pk]
    # The response holds no reference to a person, and no time to match one by.
    columns = {f.name for f in Response._meta.get_fields()}
    assert not columns & {"person", "created_at", "submitted_at", "completion", "user"}
    assert response.pair_key == ""
    assert Response.objects.get().answers["will_do"] == SESSION_ANSWERS["will_do"]


def test_a_second_submit_or_a_closed_evaluation_saves_nothing(evaluated: Evaluated) -> None:
    completion = open_completion(evaluated.network.participant, evaluated)
    version = services.current_version(evaluated.session_q)
    services.submit(completion, version, SESSION_ANSWERS)
    with pytest.raises(services.EvaluationClosed):
        services.submit(completion, version, SESSION_ANSWERS)
    late = open_completion(UserFactory(), evaluated)
    Completion.objects.filter(pk=late.pk).update(closes_at=timezone.now() - dt.timedelta(1))
    late.refresh_from_db()
    with pytest.raises(services.EvaluationClosed):
        services.submit(late, version, SESSION_ANSWERS)
    assert Response.objects.count() == 1


def test_free_text_with_an_identifier_is_refused_before_any_write(evaluated: Evaluated) -> None:
    completion = open_completion(evaluated.network.participant, evaluated)
    answers = {**SESSION_ANSWERS, "will_do": "Call Mrs. Tremblay back at 613-555-0199."}
    with pytest.raises(IdentifiersFound):
        services.submit(completion, services.current_version(evaluated.session_q), answers)
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING
    assert not Response.objects.exists()


def test_pre_and_post_answers_of_one_person_share_a_key_nobody_else_has(
    evaluated: Evaluated,
) -> None:
    nadia, other = evaluated.network.participant, UserFactory()
    version = services.current_version(evaluated.pre_post_q)
    answers = {item.key: 2 for item in version.items.all()}
    for person in (nadia, other):
        for phase in (Phase.PRE, Phase.POST):
            services.submit(open_completion(person, evaluated, phase), version, answers)
    keys = list(Response.objects.values_list("pair_key", flat=True))
    assert len(keys) == 4
    assert len(set(keys)) == 2
    assert services.pair_key(evaluated.network.program, nadia) in keys
    # Without the pairing key, hashing the ids is no use.
    program_id = evaluated.network.program.pk
    for guess in (f"{program_id}:{nadia.pk}", f"{nadia.pk}", f"{nadia.email}"):
        assert hashlib.sha256(guess.encode()).hexdigest()[:40] not in keys


def test_waiving_needs_a_reason_and_counts_as_done(evaluated: Evaluated) -> None:
    completion = open_completion(evaluated.network.participant, evaluated)
    with pytest.raises(ValidationError):
        services.waive(completion, reason=" ", by=evaluated.network.coordinator)
    waived = services.waive(
        completion, reason="Completed on paper", by=evaluated.network.coordinator
    )
    assert waived.is_done
    assert waived.waived_reason == "Completed on paper"
    assert not Response.objects.exists()


def test_a_link_opens_its_own_completion_and_a_tampered_one_nothing(
    evaluated: Evaluated,
) -> None:
    completion = open_completion(evaluated.network.participant, evaluated)
    token = services.link_token(completion)
    assert services.completion_from_token(token) == completion
    assert services.completion_from_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert services.completion_from_token("1") is None


def test_a_version_with_answers_is_copied_before_it_changes(evaluated: Evaluated) -> None:
    from echohub.questionnaires import engine

    version = services.current_version(evaluated.session_q)
    services.submit(
        open_completion(evaluated.network.participant, evaluated), version, SESSION_ANSWERS
    )
    engine.remove_question(
        services.Versions(evaluated.session_q), "improve", by=evaluated.network.coordinator
    )
    new = services.current_version(evaluated.session_q)
    assert new.version == version.version + 1
    assert "improve" in set(version.items.values_list("key", flat=True))
    assert "improve" not in set(new.items.values_list("key", flat=True))
    assert Response.objects.get().version == version
