"""The case form: a palliative starter, bilingual questions, and versions that cases keep."""

from django.urls import reverse
from django.utils import translation

from echohub.cases import design
from echohub.cases.display import answers
from echohub.cases.models import CaseField
from tests.cases.conftest import submitted_case
from tests.conftest import client_for


def test_a_program_starts_with_the_palliative_questions(network) -> None:
    form = design.current_form(network.program)
    keys = list(form.fields.values_list("key", flat=True))
    assert keys == [
        "age_band",
        "sex",
        "setting",
        "diagnosis",
        "symptoms",
        "medications",
        "psychosocial",
        "goals_of_care",
        "tried",
        "question",
    ]
    assert form.fields.get(key="goals_of_care").label_fr == "Objectifs de soins"


def test_changing_a_used_form_makes_a_new_version_and_old_cases_keep_theirs(network, nurse) -> None:
    case = submitted_case(network, nurse)
    client = client_for(network.coordinator)
    url = reverse("cases:form_design", kwargs={"slug": network.program.slug})
    response = client.post(
        url,
        {
            "action": "add",
            "type": "choice",
            "label_en": "Advance directive in place",
            "label_fr": "Directives anticipées en place",
            "choices_text": "Yes | Oui\nNo | Non\nUnknown | Inconnu",
        },
    )
    assert response.status_code == 302
    client.post(url, {"action": "remove", "key": "medications"})

    new = design.current_form(network.program)
    assert new.version == 2
    assert "advance_directive_in_place" in new.fields.values_list("key", flat=True)
    assert "medications" not in new.fields.values_list("key", flat=True)
    added = new.fields.get(key="advance_directive_in_place")
    assert added.choices[2] == {"value": "unknown", "en": "Unknown", "fr": "Inconnu"}
    # The case still shows its own version's questions, in the reader's language.
    case.refresh_from_db()
    assert case.form.version == 1
    with translation.override("fr"):
        shown = {a.label: a.value for a in answers(case)}
    assert shown["Milieu de soins"] == "Soins à domicile et communautaires"
    assert shown["Tranche d’âge"] == "80 à 89"
    # A second change to the unused version 2 does not make a version 3.
    client.post(url, {"action": "up", "key": "advance_directive_in_place"})
    assert design.current_form(network.program).version == 2


def test_a_choice_question_needs_two_choices(network) -> None:
    response = client_for(network.coordinator).post(
        reverse("cases:form_design", kwargs={"slug": network.program.slug}),
        {"action": "add", "type": "choice", "label_en": "Setting", "choices_text": "Home"},
    )
    assert response.status_code == 200
    assert "A choice question needs at least two choices." in response.content.decode()
    assert CaseField.objects.filter(label_en="Setting").count() == 0


def test_sbar_starter_and_settings(network) -> None:
    client = client_for(network.coordinator)
    slug = network.program.slug
    client.post(
        reverse("cases:form_design", kwargs={"slug": slug}), {"action": "start", "starter": "sbar"}
    )
    keys = list(design.current_form(network.program).fields.values_list("key", flat=True))
    assert keys == ["age_band", "situation", "background", "assessment", "recommendation"]
    client.post(
        reverse("cases:settings", kwargs={"slug": slug}),
        {"slots_per_session": "3", "retention_days": "365", "share_with_participants": "on"},
    )
    saved = design.settings_for(network.program)
    assert (saved.slots_per_session, saved.retention_days, saved.share_with_participants) == (
        3,
        365,
        True,
    )


def test_edit_a_question(network) -> None:
    design.current_form(network.program)
    response = client_for(network.coordinator).post(
        reverse("cases:field_edit", kwargs={"slug": network.program.slug, "key": "diagnosis"}),
        {
            "type": "short_text",
            "label_en": "Main diagnosis",
            "label_fr": "Diagnostic principal",
            "required": "on",
        },
    )
    assert response.status_code == 302
    assert (
        design.current_form(network.program).fields.get(key="diagnosis").label_en
        == "Main diagnosis"
    )
