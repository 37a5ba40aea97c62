"""Rejected text never reaches the database, the logs, error reports or email.

Each test seeds identifiers into a case, lets the gate refuse it, then
searches everywhere that text could have gone.
"""

import logging

import pytest
from django.core import mail
from django.urls import reverse
from django.views.debug import ExceptionReporter

from echohub.cases import services
from echohub.cases.models import Case, Recommendations
from echohub.deidentify.gate import IdentifiersFound
from tests.cases.conftest import CLEAN_ANSWERS, HEALTH_CARD, everything_stored, submitted_case
from tests.conftest import client_for

SEEDED = {
    "health card": HEALTH_CARD,
    "phone": "(604) 555-0199",
    "email": "jdoe@example.com",
    "postal code": "V5K 0A1",
}


def _post_case(client, network, symptoms: str, *, submit: bool = True):
    data = {
        "title": "Pain crisis at home",
        **{f"q_{key}": value for key, value in CLEAN_ANSWERS.items()},
        "q_symptoms": symptoms,
        "attest": "on",
        ("submit" if submit else "draft"): "1",
    }
    return client.post(reverse("cases:new", kwargs={"slug": network.program.slug}), data)


def _nowhere(value: str, *places: str) -> None:
    squeezed = value.replace(" ", "")
    for place in places:
        assert value not in place
        assert squeezed not in place.replace(" ", "")


@pytest.mark.parametrize("submit", [True, False], ids=["submit", "draft"])
def test_a_case_with_identifiers_is_refused_and_stored_nowhere(
    network, nurse, caplog, submit
) -> None:
    caplog.set_level(logging.DEBUG)
    symptoms = (
        f"Seen at home. HCN {SEEDED['health card']}, daughter's phone {SEEDED['phone']}, "
        f"email {SEEDED['email']}, lives at {SEEDED['postal code']}. PPS 40%."
    )
    response = _post_case(client_for(nurse), network, symptoms, submit=submit)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert page.count('class="finding"') == 4
    for kind in ("health card number", "phone or fax number", "email address", "postal code"):
        assert f"[{kind}]" in page
    assert Case.objects.count() == 0
    stored = everything_stored()
    emails = "\n".join(m.body + str(m.message()) for m in mail.outbox)
    for value in SEEDED.values():
        _nowhere(value, stored, caplog.text, emails)


def test_an_error_report_of_a_case_request_hides_what_was_typed(network, nurse) -> None:
    response = _post_case(client_for(nurse), network, f"HCN {HEALTH_CARD}")
    request = response.wsgi_request
    report = ExceptionReporter(request, ValueError, ValueError("boom"), None)

    text, html = report.get_traceback_text(), report.get_traceback_html()
    _nowhere(HEALTH_CARD, text, html)
    assert "q_symptoms" in text  # the field is named, its value starred out


def test_the_model_refuses_identifiers_whatever_path_saves_it(network, nurse) -> None:
    case = submitted_case(network, nurse)
    case.answers["medications"] = "Ontario card 1234-567-897 AB, MRN 4839201"

    with pytest.raises(IdentifiersFound) as refused:
        case.save()

    assert sorted(refused.value.findings) == ["answers.medications"]
    assert HEALTH_CARD not in repr(refused.value)
    assert "1234" not in str(refused.value) + repr(refused.value)
    case.refresh_from_db()
    assert "medications" not in case.answers


def test_recommendations_and_review_comments_pass_the_gate_too(network, nurse) -> None:
    case = submitted_case(network, nurse)
    with pytest.raises(IdentifiersFound):
        services.review(
            case, "returned", comment=f"Remove the card {HEALTH_CARD}", by=network.coordinator
        )
    case.refresh_from_db()
    assert (case.status, case.review_comment) == ("submitted", "")
    with pytest.raises(IdentifiersFound):
        Recommendations.objects.create(case=case, text="Call Mrs. Tremblay at 613-555-0142")
    assert not Recommendations.objects.exists()
    _nowhere("613-555-0142", everything_stored())


def test_after_fixing_the_text_the_case_is_saved(network, nurse) -> None:
    client = client_for(nurse)
    assert _post_case(client, network, f"HCN {HEALTH_CARD}").status_code == 422

    response = _post_case(client, network, "Pain 7/10, PPS 40%, day 3 of admission.")

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert (case.status, case.answers["symptoms"]) == (
        "submitted",
        "Pain 7/10, PPS 40%, day 3 of admission.",
    )


@pytest.mark.parametrize(
    ("lang", "placeholders"),
    [
        ("en", ["[health card]", "[phone]", "[name]", "[date]"]),
        ("fr", ["[carte santé]", "[téléphone]", "[nom]", "[date]"]),
    ],
)
def test_remove_them_for_me_shows_placeholders_in_the_pages_language_and_saves_nothing(
    network, nurse, lang, placeholders
) -> None:
    from django.utils import translation

    symptoms = (
        f"HCN {HEALTH_CARD}. Daughter's phone {SEEDED['phone']}. Seen by DR JONES on 12/3. PPS 40%."
    )
    with translation.override(lang):
        url = reverse("cases:new", kwargs={"slug": network.program.slug})
    data = {
        "title": "Pain crisis at home",
        **{f"q_{key}": value for key, value in CLEAN_ANSWERS.items()},
        "q_symptoms": symptoms,
        "attest": "on",
        "submit": "1",
        "redact": "1",
    }
    client = client_for(nurse)
    response = client.post(url, data)

    assert response.status_code == 200  # nothing left to mark
    form = response.context["form"]
    shown = form.data["q_symptoms"]
    for placeholder in placeholders:
        assert placeholder in shown
    assert shown.endswith("PPS 40%.")
    assert HEALTH_CARD not in shown
    assert "JONES" not in shown
    assert not Case.objects.exists()
    _nowhere(HEALTH_CARD, everything_stored())
    # Saving what was shown back stores the placeholders, and nothing else.
    data.pop("redact")
    data["q_symptoms"] = shown
    assert client.post(url, data).status_code == 302
    assert Case.objects.get().answers["symptoms"] == shown
