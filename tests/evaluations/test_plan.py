"""A program's evaluation plan: its hub's questionnaires of the right kind, and the windows said
in words."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from echohub.evaluations import services
from echohub.evaluations.models import Plan
from tests.conftest import Network, client_for
from tests.evaluations.conftest import Evaluated
from tests.programs.test_public_views import text
from tests.test_i18n import english_on

WINDOWS = {
    "session_opens_hours": "2",
    "session_open_days": "10",
    "pre_days_before": "7",
    "post_open_days": "21",
    "follow_up_after_days": "90",
    "follow_up_open_days": "30",
    "reminder_after_days": "5",
}


def _url(network: Network) -> str:
    return reverse("evaluations:plan", kwargs={"slug": network.program.slug})


def _post(evaluated: Evaluated, **changes: Any) -> Any:
    data = {
        "session_questionnaire": evaluated.session_q.pk,
        "pre_post_questionnaire": evaluated.pre_post_q.pk,
        "follow_up_questionnaire": evaluated.follow_up_q.pk,
        **WINDOWS,
        **changes,
    }
    return client_for(evaluated.network.coordinator).post(_url(evaluated.network), data)


def _saved(plan: Plan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    return (
        plan.session_questionnaire_id,
        plan.pre_post_questionnaire_id,
        plan.follow_up_questionnaire_id,
        plan.session_opens_hours,
        plan.session_open_days,
        plan.reminder_after_days,
    )


def test_the_plan_saves_the_choices_and_windows_and_says_what_happens(
    evaluated: Evaluated,
) -> None:
    response = _post(evaluated, follow_up_questionnaire="")
    assert response.status_code == 302
    assert _saved(evaluated.plan) == (
        evaluated.session_q.pk,
        evaluated.pre_post_q.pk,
        None,
        2,
        10,
        5,
    )
    shown = text(client_for(evaluated.network.coordinator).get(_url(evaluated.network)))
    assert (
        "The session evaluation opens 2 hours after the session ends and closes 10 days later."
        in shown
    )
    assert "sent 7 days before the first session" in shown
    assert "One reminder goes 5 days after each evaluation opens" in shown


def test_a_new_plan_says_the_defaults_in_words(network: Network) -> None:
    page = client_for(network.hub_admin).get(_url(network))
    shown = text(page)
    assert "The session evaluation opens when the session ends and closes 14 days later." in shown
    assert "The follow-up is sent 90 days after the last session." in shown
    assert Plan.objects.get(program=network.program).session_questionnaire is None
    # The choices offer "none" and nothing yet, since the hub has no questionnaire.
    assert list(page.context["form"].fields["session_questionnaire"].choices) == [
        ("", "None: not asked")
    ]
    assert reverse("evaluations:questionnaires", kwargs={"slug": network.hub.slug}) in (
        page.content.decode()
    )


def test_another_hub_s_questionnaire_is_refused_and_nothing_is_saved(
    evaluated: Evaluated,
) -> None:
    network = evaluated.network
    theirs = services.create_questionnaire(
        network.other_hub, "session", by=network.other_admin, title_en="West evaluation"
    )
    before = _saved(evaluated.plan)
    response = _post(evaluated, session_questionnaire=theirs.pk)
    assert response.status_code == 200
    assert response.context["form"].errors["session_questionnaire"] == [
        "Choose one of this hub’s questionnaires of this kind."
    ]
    assert theirs.title_en not in [
        label for _value, label in response.context["form"].fields["session_questionnaire"].choices
    ]
    assert _saved(evaluated.plan) == before


def test_a_questionnaire_of_the_wrong_kind_is_refused_and_nothing_is_saved(
    evaluated: Evaluated,
) -> None:
    before = _saved(evaluated.plan)
    response = _post(evaluated, follow_up_questionnaire=evaluated.pre_post_q.pk)
    assert response.status_code == 200
    assert "Choose one of this hub’s questionnaires of this kind." in text(response)
    assert list(response.context["form"].errors) == ["follow_up_questionnaire"]
    assert _saved(evaluated.plan) == before


def test_a_window_out_of_range_is_refused_by_name(evaluated: Evaluated) -> None:
    before = _saved(evaluated.plan)
    response = _post(evaluated, session_open_days="0")
    assert list(response.context["form"].errors) == ["session_open_days"]
    assert _saved(evaluated.plan) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_hub_gets_404_and_a_participant_403(evaluated: Evaluated, method: str) -> None:
    network = evaluated.network
    before = _saved(evaluated.plan)
    data = {**WINDOWS, "session_questionnaire": ""}
    other = getattr(client_for(network.other_coordinator), method)(_url(network), data)
    participant = getattr(client_for(network.participant), method)(_url(network), data)
    assert (other.status_code, participant.status_code) == (404, 403)
    assert _saved(evaluated.plan) == before


def test_the_program_s_manage_page_links_to_the_plan(network: Network) -> None:
    page = client_for(network.coordinator).get(
        reverse("programs:manage_program", kwargs={"slug": network.program.slug})
    )
    assert f'href="{_url(network)}">Evaluation</a>' in page.content.decode()


def test_the_plan_in_french(evaluated: Evaluated) -> None:
    with translation.override("fr"):
        url = reverse("evaluations:plan", kwargs={"slug": evaluated.network.program.slug})
    shown = text(client_for(evaluated.network.coordinator).get(url))
    assert "Évaluation de séance en soins palliatifs" in shown
    assert english_on(shown) == []
