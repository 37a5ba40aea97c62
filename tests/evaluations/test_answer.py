"""Answering by one's own link: no sign-in, once, while open, free text through the gate."""

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase, Response
from tests.conftest import client_for
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, open_completion
from tests.factories import SessionFactory, UserFactory


def url(completion: Completion, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("evaluations:answer", kwargs={"token": services.link_token(completion)})


def posted(answers: dict[str, Any]) -> dict[str, Any]:
    return {f"q_{key}": value for key, value in answers.items()}


@pytest.fixture
def completion(evaluated: Evaluated) -> Completion:
    return open_completion(evaluated.network.participant, evaluated)


def test_the_open_form_needs_no_sign_in_and_shows_the_session(
    evaluated: Evaluated, completion: Completion
) -> None:
    response = Client().get(url(completion))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="evaluation-form"' in page
    assert evaluated.session.title_en in page
    assert evaluated.network.program.title_en in page
    assert "About two minutes." in page
    assert "The session was relevant to my practice." in page
    # A 1–5 scale: a fieldset of five radio buttons with its two ends labelled.
    assert page.count('name="q_relevance"') == 5
    assert '<div id="id_q_relevance" class="likert">' in page
    assert "1 – Strongly disagree" in page
    assert "5 – Strongly agree" in page
    # The token is in the path: no cache keeps it, no Referer carries it away.
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"]
    # Nobody's name, even the link's person's.
    assert evaluated.network.participant.name not in page


def test_a_successful_answer_saves_one_response_and_then_thanks(
    evaluated: Evaluated, completion: Completion
) -> None:
    client = Client()
    response = client.post(url(completion), posted(SESSION_ANSWERS))
    assert response.status_code == 302
    assert response["Location"] == url(completion)
    assert response["Referrer-Policy"] == "same-origin"
    completion.refresh_from_db()
    assert completion.status == Completion.Status.SUBMITTED
    saved = Response.objects.get()
    assert saved.answers["relevance"] == 5
    assert saved.answers["will_do"] == SESSION_ANSWERS["will_do"]
    assert saved.session_id == evaluated.session.pk
    thanks = client.get(url(completion)).content.decode()
    assert "You have already answered this evaluation. Thank you!" in thanks
    assert 'id="evaluation-form"' not in thanks
    assert reverse("certificates:transcript") in thanks
    # A second POST on the same link saves nothing more.
    again = client.post(url(completion), posted(SESSION_ANSWERS))
    assert again.status_code == 200
    assert Response.objects.count() == 1


def test_a_waived_evaluation_has_nothing_to_answer(
    evaluated: Evaluated, completion: Completion
) -> None:
    services.waive(completion, reason="Filled in on paper", by=evaluated.network.coordinator)
    page = Client().get(url(completion)).content.decode()
    assert "already counted as done" in page
    assert 'id="evaluation-form"' not in page
    assert "Filled in on paper" not in page


@pytest.mark.parametrize("token", ["made-up", "tampered"])
def test_a_tampered_or_made_up_link_gets_400_and_saves_nothing(
    completion: Completion, token: str
) -> None:
    real = services.link_token(completion)
    bad = real[:-2] + ("AA" if not real.endswith("AA") else "BB") if token == "tampered" else token
    path = reverse("evaluations:answer", kwargs={"token": bad})
    client = Client()
    assert client.get(path).status_code == 400
    response = client.post(path, posted(SESSION_ANSWERS))
    assert response.status_code == 400
    assert "This evaluation link does not work" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert not Response.objects.exists()
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING


def test_a_closed_link_says_when_it_closed_and_a_post_saves_nothing(
    evaluated: Evaluated, completion: Completion
) -> None:
    closed_at = timezone.now() - dt.timedelta(days=1)
    Completion.objects.filter(pk=completion.pk).update(closes_at=closed_at)
    client = Client()
    page = client.get(url(completion))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This evaluation is closed" in text
    assert "It closed on" in text
    assert closed_at.isoformat()[:16] in text.replace("+00:00", "")  # the <time datetime="…">
    assert 'id="evaluation-form"' not in text
    response = client.post(url(completion), posted(SESSION_ANSWERS))
    assert response.status_code == 200
    assert "This evaluation is closed" in response.content.decode()
    assert Response.objects.count() == 0
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING


def test_a_link_not_open_yet_says_when_it_opens(completion: Completion) -> None:
    Completion.objects.filter(pk=completion.pk).update(
        opens_at=timezone.now() + dt.timedelta(days=2)
    )
    response = Client().post(url(completion), posted(SESSION_ANSWERS))
    assert "This evaluation is not open yet" in response.content.decode()
    assert not Response.objects.exists()


def test_a_missing_required_answer_is_marked_in_place_and_nothing_saved(
    completion: Completion,
) -> None:
    answers = {k: v for k, v in SESSION_ANSWERS.items() if k != "relevance"}
    response = Client().post(url(completion), posted(answers))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This question needs an answer before you submit." in page
    assert 'id="id_q_relevance_errors"' in page
    assert "Nothing was saved. Answer the marked questions" in page
    # What was given stays ticked and written.
    assert re.search(r'<input type="radio" name="q_teaching" value="4"[^>]* checked>', page)
    assert SESSION_ANSWERS["will_do"] in page
    assert not Response.objects.exists()
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING


def test_free_text_with_an_identifier_is_highlighted_in_place_and_nothing_saved(
    completion: Completion,
) -> None:
    answers = {**SESSION_ANSWERS, "will_do": "Call Mrs. Tremblay at 613-555-0199"}
    response = Client().post(url(completion), posted(answers))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="findings-summary"' in page
    assert 'data-field="q_will_do"' in page
    assert '<mark class="finding" data-kind="phone"' in page
    assert ">613-555-0199</mark>" in page
    assert "Nothing was saved." in page
    assert not Response.objects.exists()
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING


@pytest.mark.parametrize(
    ("lang", "placeholders"), [("en", ["[name]", "[phone]"]), ("fr", ["[nom]", "[téléphone]"])]
)
def test_replacing_the_marked_parts_gives_placeholders_in_the_pages_language(
    completion: Completion, lang: str, placeholders: list[str]
) -> None:
    answers = {**SESSION_ANSWERS, "will_do": "Call Mrs. Tremblay at 613-555-0199 weekly."}
    client = Client()
    response = client.post(url(completion, lang), {**posted(answers), "redact": "1"})

    assert response.status_code == 200
    shown = response.context["form"].data["q_will_do"]
    assert shown == f"Call Mrs. {placeholders[0]} at {placeholders[1]} weekly."
    assert 'id="redacted-summary"' in response.content.decode()
    assert not Response.objects.exists()
    # Sent as shown, the answers are saved with the placeholders and nothing else.
    response = client.post(url(completion, lang), posted({**answers, "will_do": shown}))
    assert response.status_code == 302
    assert Response.objects.get().answers["will_do"] == shown


def test_the_french_page_is_in_french_with_the_questions_french_labels(
    evaluated: Evaluated, completion: Completion
) -> None:
    path = url(completion, "fr")
    assert path.startswith("/fr/")
    response = Client().get(path)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in page
    assert "La séance était pertinente pour ma pratique." in page
    assert "1 – Tout à fait en désaccord" in page
    assert "Environ deux minutes." in page
    assert "Envoyer mes réponses" in page
    assert evaluated.session.title_fr in page
    done = Client()
    done.post(path, posted(SESSION_ANSWERS))
    assert "Vous avez déjà répondu à cette évaluation. Merci" in done.get(path).content.decode()


def test_someone_else_signed_in_answers_for_the_links_person_and_sees_no_name(
    evaluated: Evaluated, completion: Completion
) -> None:
    other = UserFactory(name="Oscar Otherperson")
    client = client_for(other)
    page = client.get(url(completion)).content.decode()
    assert evaluated.network.participant.name not in page
    assert evaluated.network.participant.email not in page
    client.post(url(completion), posted(SESSION_ANSWERS))
    completion.refresh_from_db()
    assert completion.status == Completion.Status.SUBMITTED
    assert not Completion.objects.filter(person=other).exists()


def test_the_answer_post_costs_a_constant_number_of_queries(
    evaluated: Evaluated, completion: Completion, django_assert_max_num_queries: Any
) -> None:
    """Seven questions, eleven queries: none per question or per answer."""
    client = Client()
    with django_assert_max_num_queries(11):
        response = client.post(url(completion), posted(SESSION_ANSWERS))
    assert response.status_code == 302
    assert Response.objects.count() == 1


def test_each_phase_asks_its_own_questionnaire(evaluated: Evaluated) -> None:
    pre = open_completion(evaluated.network.participant, evaluated, Phase.PRE)
    page = Client().get(url(pre)).content.decode()
    version = services.current_version(evaluated.pre_post_q)
    first = version.items.order_by("position").first()
    assert first is not None
    assert first.label_en in page
    assert "The session was relevant" not in page


# --- "My sessions" ----------------------------------------------------------------------------


def test_my_sessions_lists_open_evaluations_and_the_answered_ones(
    evaluated: Evaluated, completion: Completion
) -> None:
    nadia = evaluated.network.participant
    client = client_for(nadia)
    page = client.get(reverse("registration:mine")).content.decode()
    assert 'id="my-evaluations"' in page
    assert url(completion) in page
    assert "Open until:" in page
    services.submit(completion, services.current_version(evaluated.session_q), SESSION_ANSWERS)
    page = client.get(reverse("registration:mine")).content.decode()
    assert url(completion) not in page
    assert "Answered recently:" in page
    assert "No evaluation is waiting for your answers." in page


def test_my_sessions_shows_no_box_to_someone_never_asked(evaluated: Evaluated) -> None:
    page = client_for(UserFactory()).get(reverse("registration:mine")).content.decode()
    assert 'id="my-evaluations"' not in page


def test_my_sessions_costs_the_same_for_one_or_four_evaluations(evaluated: Evaluated) -> None:
    nadia = evaluated.network.participant
    client = client_for(nadia)
    open_completion(nadia, evaluated)
    client.get(reverse("registration:mine"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("registration:mine"))
    for _ in range(3):
        open_completion(nadia, evaluated, session=SessionFactory(program=evaluated.network.program))
    with CaptureQueriesContext(connection) as four:
        page = client.get(reverse("registration:mine")).content.decode()
    assert page.count("Answer the evaluation") == 4
    assert len(one) == len(four)
