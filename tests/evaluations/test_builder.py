"""Hub staff make questionnaires from the starters or empty, build them on the shared builder
(Moore's levels, paired items), and see them as a participant would, in English and French."""

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from echohub.evaluations import services
from echohub.evaluations.models import Item, Questionnaire, QuestionnaireVersion, Response
from echohub.evaluations.starters import STARTER_TITLES, STARTERS
from tests.conftest import Network, client_for
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, open_completion
from tests.programs.test_public_views import text
from tests.test_i18n import english_on


def _list_url(network: Network) -> str:
    return reverse("evaluations:questionnaires", kwargs={"slug": network.hub.slug})


def _page(questionnaire: Questionnaire) -> str:
    return reverse("evaluations:questionnaire", kwargs={"pk": questionnaire.pk})


def _items(questionnaire: Questionnaire) -> list[Item]:
    return list(services.current_version(questionnaire).items.order_by("position"))


@pytest.mark.parametrize("starter", ["session", "pre_post", "follow_up"])
def test_a_questionnaire_made_from_a_starter_has_its_questions_in_both_languages(
    network: Network, starter: str
) -> None:
    response = client_for(network.coordinator).post(
        _list_url(network), {"start": starter, "title_en": "", "title_fr": ""}
    )
    made = Questionnaire.objects.get(hub=network.hub)
    assert response.status_code == 302
    assert response["Location"] == _page(made)
    kind, questions = STARTERS[starter]
    assert (made.kind, made.title_en, made.title_fr) == (kind, *STARTER_TITLES[starter])
    items = _items(made)
    assert [(i.key, i.label_en, i.label_fr) for i in items] == [
        (q.key, q.en, q.fr) for q in questions
    ]
    assert all(i.label_en and i.label_fr for i in items)
    assert [i.moore_level for i in items] == [q.extra.get("moore_level", "") for q in questions]
    assert made.created_by == network.coordinator


def test_an_empty_questionnaire_takes_the_kind_and_title_given(network: Network) -> None:
    client = client_for(network.hub_admin)
    refused = client.post(_list_url(network), {"start": "empty:follow_up"})
    assert refused.status_code == 200
    assert "Give an empty questionnaire its title in English or French." in text(refused)
    assert not Questionnaire.objects.exists()

    client.post(
        _list_url(network),
        {"start": "empty:follow_up", "title_en": "Six months on", "title_fr": "Six mois après"},
    )
    made = Questionnaire.objects.get()
    assert (made.kind, made.title_en, made.title_fr) == (
        "follow_up",
        "Six months on",
        "Six mois après",
    )
    assert made.versions.get().version == 1
    assert _items(made) == []


def test_the_list_groups_by_kind_and_says_version_questions_answers_and_programs(
    evaluated: Evaluated,
) -> None:
    network = evaluated.network
    services.create_questionnaire(
        network.hub, by=network.coordinator, kind="session", title_en="Short check"
    )
    services.create_questionnaire(
        network.other_hub, "session", by=network.other_coordinator, title_en="West evaluation"
    )
    completion = open_completion(network.participant, evaluated)
    services.submit(completion, services.current_version(evaluated.session_q), SESSION_ANSWERS)

    page = client_for(network.coordinator).get(_list_url(network))
    shown = text(page)
    assert "West evaluation" not in shown
    rows = {
        q.title_en: (q.current_number, q.question_count, q.answered, programs)
        for _label, found in page.context["groups"]
        for q, programs in found
    }
    assert rows == {
        "Palliative care session evaluation": (1, 8, True, [network.program]),
        "Short check": (1, 0, False, []),
        "Palliative care self-efficacy (before and after)": (1, 7, False, [network.program]),
        "Practice change, three months on": (1, 5, False, [network.program]),
    }
    assert [label for label, _found in page.context["groups"]] == [
        "Session evaluation",
        "Before and after a series",
        "Follow-up",
    ]
    assert "Palliative care session evaluation Preview 1 8 Answered PSW Series" in shown
    assert "Short check Preview 1 0 None yet —" in shown


def test_the_list_takes_as_many_queries_for_six_questionnaires_as_for_three(
    network: Network,
) -> None:
    client = client_for(network.coordinator)
    for starter in STARTERS:
        services.create_questionnaire(network.hub, starter, by=network.coordinator)
    with CaptureQueriesContext(connection) as three:
        client.get(_list_url(network))
    for starter in STARTERS:
        services.create_questionnaire(network.hub, starter, by=network.coordinator)
    with CaptureQueriesContext(connection) as six:
        page = client.get(_list_url(network))
    assert sum(len(found) for _label, found in page.context["groups"]) == 6
    assert len(six) == len(three)


def test_changing_an_answered_version_makes_a_new_one_and_answers_keep_theirs(
    evaluated: Evaluated,
) -> None:
    network, questionnaire = evaluated.network, evaluated.session_q
    first = services.current_version(questionnaire)
    completion = open_completion(network.participant, evaluated)
    answered = services.submit(completion, first, SESSION_ANSWERS)
    client = client_for(network.coordinator)
    assert "People have answered this version" in text(client.get(_page(questionnaire)))

    response = client.post(
        reverse("evaluations:question_edit", kwargs={"pk": questionnaire.pk, "key": "relevance"}),
        {
            "type": "likert",
            "label_en": "The session met my needs.",
            "label_fr": "La séance répondait à mes besoins.",
            "required": "on",
            "low_en": "Not at all",
            "low_fr": "Pas du tout",
            "high_en": "Completely",
            "high_fr": "Entièrement",
            "moore_level": "2",
        },
    )
    assert response.status_code == 302
    second = services.current_version(questionnaire)
    assert second.version == 2
    changed = second.items.get(key="relevance")
    assert (changed.label_fr, changed.low_en, changed.high_fr) == (
        "La séance répondait à mes besoins.",
        "Not at all",
        "Entièrement",
    )
    assert second.items.count() == first.items.count() == 8
    # The answered version and its answer are as they were.
    assert first.items.get(key="relevance").label_en == "The session was relevant to my practice."
    answered.refresh_from_db()
    assert answered.version_id == first.pk
    assert answered.answers == SESSION_ANSWERS
    # A second change lands on version 2, which nobody has answered yet.
    client.post(_page(questionnaire), {"action": "remove", "key": "improve"})
    assert QuestionnaireVersion.objects.filter(questionnaire=questionnaire).count() == 2
    assert not services.current_version(questionnaire).items.filter(key="improve").exists()
    assert Response.objects.get().version_id == first.pk


def test_the_builder_shows_moore_levels_and_paired_items(evaluated: Evaluated) -> None:
    page = client_for(evaluated.network.coordinator).get(_page(evaluated.pre_post_q))
    shown = text(page)
    assert "Moore’s level Paired" in shown
    assert (
        "How confident are you in assessing pain and other symptoms? "
        "À quel point vous sentez-vous confiant·e pour évaluer la douleur et les autres "
        "symptômes ? Scale of 1 to 5 yes 4 · Competence (confidence, self-efficacy) yes"
    ) in shown
    # Starting again is offered from the starter of the same kind only.
    assert [key for key, _label in page.context["starter_form"].fields["starter"].choices] == [
        "pre_post"
    ]


def _add(questionnaire: Questionnaire, person: object, **fields: str) -> str:
    response = client_for(person).post(  # type: ignore[arg-type]
        _page(questionnaire), {"action": "add", "label_en": "Confidence", **fields}
    )
    return text(response) if response.status_code == 200 else ""


def test_paired_is_refused_outside_a_before_and_after_scale(evaluated: Evaluated) -> None:
    coordinator = evaluated.network.coordinator
    on_session = _add(evaluated.session_q, coordinator, type="likert", paired="on")
    assert (
        "“Paired before and after” is only for a questionnaire asked before and after a series."
        in on_session
    )
    on_choice = _add(
        evaluated.pre_post_q, coordinator, type="choice", paired="on", choices_text="A\nB"
    )
    assert "“Paired before and after” is only for a question on a scale of 1 to 5." in on_choice
    assert not Item.objects.filter(label_en="Confidence").exists()

    assert _add(evaluated.pre_post_q, coordinator, type="likert", paired="on") == ""
    added = services.current_version(evaluated.pre_post_q).items.get(label_en="Confidence")
    assert (added.paired, added.moore_level) == (True, "")


def test_a_scale_s_end_words_are_kept_only_on_a_scale(evaluated: Evaluated) -> None:
    _add(evaluated.follow_up_q, evaluated.network.coordinator, type="number", low_en="Never")
    added = services.current_version(evaluated.follow_up_q).items.get(label_en="Confidence")
    assert (added.type, added.low_en) == ("number", "")


def test_age_bands_are_not_offered(evaluated: Evaluated) -> None:
    page = client_for(evaluated.network.coordinator).get(_page(evaluated.session_q))
    offered = [value for value, _label in page.context["field_form"].fields["type"].choices]
    assert "age_band" not in offered
    assert "likert" in offered


def test_renaming_keeps_the_questions(evaluated: Evaluated) -> None:
    questionnaire = evaluated.session_q
    client = client_for(evaluated.network.hub_admin)
    refused = client.post(
        _page(questionnaire), {"action": "rename", "title_en": "", "title_fr": ""}
    )
    assert refused.status_code == 200
    assert "Palliative care session evaluation" in text(refused)
    questionnaire.refresh_from_db()
    assert questionnaire.title_en == "Palliative care session evaluation"

    client.post(
        _page(questionnaire),
        {"action": "rename", "title_en": "After each session", "title_fr": "Après chaque séance"},
    )
    questionnaire.refresh_from_db()
    assert (questionnaire.title_en, questionnaire.title_fr) == (
        "After each session",
        "Après chaque séance",
    )
    assert services.current_version(questionnaire).version == 1


def test_the_preview_shows_the_participant_s_form_in_the_page_s_language(
    evaluated: Evaluated,
) -> None:
    client = client_for(evaluated.network.coordinator)
    with translation.override("fr"):
        url = reverse("evaluations:preview", kwargs={"pk": evaluated.session_q.pk})
    assert url.startswith("/fr/")
    page = client.get(url)
    html = page.content.decode()
    shown = text(page)
    assert "Évaluation de séance en soins palliatifs" in shown
    assert "La séance était pertinente pour ma pratique." in shown
    assert "1 – Tout à fait en désaccord" in shown
    assert "La séance était-elle exempte de biais commercial ?" in shown
    assert "The session was relevant" not in shown
    assert '<button type="submit" disabled>' in html
    # The form posts nowhere: a preview sends nothing.
    assert re.search(r'<form class="narrow" id="preview-form" novalidate>', html)
    assert english_on(shown) == []


def test_french_builder_pages_have_no_english(evaluated: Evaluated) -> None:
    client = client_for(evaluated.network.coordinator)
    with translation.override("fr"):
        urls = [
            reverse("evaluations:questionnaires", kwargs={"slug": evaluated.network.hub.slug}),
            reverse("evaluations:questionnaire", kwargs={"pk": evaluated.pre_post_q.pk}),
            reverse(
                "evaluations:question_edit",
                kwargs={"pk": evaluated.pre_post_q.pk, "key": "dyspnea"},
            ),
        ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200
        # The builder lists each question in both languages on purpose: the interface is checked.
        interface = re.sub(
            r'<table id="questions">.*?</table>', "", page.content.decode(), flags=re.S
        )
        assert english_on(text(HttpResponse(interface))) == [], url
    assert "Niveau de Moore" in text(client.get(urls[1]))


@pytest.mark.parametrize("name", ["questionnaire", "preview", "question_edit"])
def test_another_hub_s_questionnaire_is_404_and_a_participant_gets_403(
    evaluated: Evaluated, name: str
) -> None:
    network = evaluated.network
    kwargs: dict[str, object] = {"pk": evaluated.session_q.pk}
    if name == "question_edit":
        kwargs["key"] = "relevance"
    url = reverse(f"evaluations:{name}", kwargs=kwargs)
    assert client_for(network.other_coordinator).get(url).status_code == 404
    assert client_for(network.other_admin).post(url, {"action": "remove", "key": "relevance"})
    assert client_for(network.participant).get(url).status_code == 403
    assert client_for(network.national_admin).get(url).status_code == 200
    assert services.current_version(evaluated.session_q).items.filter(key="relevance").exists()


def test_another_hub_s_list_is_404_and_nothing_is_made_there(network: Network) -> None:
    url = reverse("evaluations:questionnaires", kwargs={"slug": network.hub.slug})
    assert client_for(network.other_coordinator).post(url, {"start": "session"}).status_code == 404
    assert client_for(network.participant).post(url, {"start": "session"}).status_code == 403
    assert not Questionnaire.objects.exists()
