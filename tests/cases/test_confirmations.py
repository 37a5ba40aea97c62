"""Certain and possible findings: the presenter may confirm that a possible name or number
is not an identifier; that is recorded (kind and place, never the text) and shown to the hub.

A certain finding (a health card, a phone, a full date…) blocks whatever is posted.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from echohub.cases import services
from echohub.cases.models import AuditRecord, Case
from echohub.deidentify.gate import Confirmation, IdentifiersFound, ensure_deidentified
from tests.cases.conftest import CLEAN_ANSWERS, HEALTH_CARD, everything_stored
from tests.conftest import client_for

LOT = "48213977"  # a pump's lot number: a long number with no cue, so only possibly an identifier
SYMPTOMS = f"Pump lot {LOT} replaced. Pain 7/10, PPS 40%."
LOT_AT = SYMPTOMS.index(LOT)
LOT_TOKEN = f"q_symptoms|identifier|{LOT_AT}|{LOT_AT + len(LOT)}"


def _data(symptoms: str, *, confirm: list[str] | None = None, **extra: str) -> dict:
    return {
        "title": "Pain crisis at home",
        **{f"q_{key}": value for key, value in CLEAN_ANSWERS.items()},
        "q_symptoms": symptoms,
        "attest": "on",
        "submit": "1",
        "confirm": confirm or [],
        **extra,
    }


def _new(network, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("cases:new", kwargs={"slug": network.program.slug})


def test_a_possible_finding_offers_a_not_an_identifier_box_and_saves_nothing(
    network, nurse
) -> None:
    response = client_for(nurse).post(_new(network), _data(SYMPTOMS))

    assert response.status_code == 422
    page = response.content.decode()
    assert f'name="confirm" value="{LOT_TOKEN}"' in page
    assert "not an identifier" in page
    assert not Case.objects.exists()
    assert LOT not in everything_stored()


def test_confirming_saves_the_case_and_records_kind_and_place_never_the_text(
    network, nurse
) -> None:
    response = client_for(nurse).post(
        _new(network), _data(SYMPTOMS, confirm=[LOT_TOKEN]), REMOTE_ADDR="203.0.113.9"
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.answers["symptoms"] == SYMPTOMS
    assert case.confirmed == [["answers.symptoms", "identifier", LOT_AT, LOT_AT + len(LOT)]]
    record = AuditRecord.objects.get(action=AuditRecord.Action.CONFIRM)
    assert (record.actor_id, record.case_id, record.ip) == (nurse.pk, case.pk, "203.0.113.9")
    assert record.detail == f"identifier in answers.symptoms at {LOT_AT}-{LOT_AT + len(LOT)}"
    assert LOT not in record.detail


def test_a_certain_finding_cannot_be_confirmed_away(network, nurse) -> None:
    symptoms = f"Phone (604) 555-0199, HCN {HEALTH_CARD}. Pump lot {LOT}."
    phone_at = symptoms.index("(604)")
    card_at = symptoms.index(HEALTH_CARD)
    lot_at = symptoms.index(LOT)
    forged = [
        f"q_symptoms|phone|{phone_at}|{phone_at + 14}",
        f"q_symptoms|health_card|{card_at}|{card_at + len(HEALTH_CARD)}",
        f"q_symptoms|identifier|{lot_at}|{lot_at + len(LOT)}",
    ]
    response = client_for(nurse).post(_new(network), _data(symptoms, confirm=forged))

    assert response.status_code == 422
    page = response.content.decode()
    # The phone and the health card still block, with no box to tick; the lot is confirmed.
    assert page.count('name="confirm"') == 1
    assert f'value="{forged[2]}" aria-label=' in page
    assert "checked" in page
    assert not Case.objects.exists()
    assert HEALTH_CARD not in everything_stored()


@pytest.mark.parametrize(
    "token",
    [
        f"q_symptoms|identifier|{LOT_AT + 1}|{LOT_AT + len(LOT)}",  # not where the finding is
        f"q_symptoms|name|{LOT_AT}|{LOT_AT + len(LOT)}",  # not its kind
        f"q_diagnosis|identifier|{LOT_AT}|{LOT_AT + len(LOT)}",  # not its field
        f"comment|identifier|{LOT_AT}|{LOT_AT + len(LOT)}",  # not the presenter's text
        "q_symptoms|identifier|x|y",
        "q_symptoms|identifier|9",
    ],
)
def test_a_confirmation_of_anything_else_confirms_nothing(network, nurse, token) -> None:
    response = client_for(nurse).post(_new(network), _data(SYMPTOMS, confirm=[token]))

    assert response.status_code == 422
    assert not Case.objects.exists()


def test_the_model_stores_only_what_is_confirmed_and_drops_confirmations_an_edit_moved(
    network, nurse
) -> None:
    where = Confirmation("answers.symptoms", "identifier", LOT_AT, LOT_AT + len(LOT))
    with pytest.raises(IdentifiersFound):
        services.save_case(
            None,
            program=network.program,
            presenter=nurse,
            title="Pain crisis",
            answers={**CLEAN_ANSWERS, "symptoms": SYMPTOMS},
        )
    case = services.save_case(
        None,
        program=network.program,
        presenter=nurse,
        title="Pain crisis",
        answers={**CLEAN_ANSWERS, "symptoms": SYMPTOMS},
        confirmed=[where],
    )
    assert case.confirmations() == [where]

    # An edit before the span moves it: the old confirmation no longer holds.
    case.answers = {**CLEAN_ANSWERS, "symptoms": "Today: " + SYMPTOMS}
    with pytest.raises(IdentifiersFound):
        case.save()
    # A certain kind is never let through, even stored as confirmed by hand.
    text = "Call (604) 555-0199."
    with pytest.raises(IdentifiersFound):
        ensure_deidentified({"t": text}, [Confirmation("t", "phone", 5, 19)])


def test_editing_keeps_confirmations_while_the_text_before_them_is_unchanged(
    network, nurse
) -> None:
    client = client_for(nurse)
    draft = _data(SYMPTOMS, confirm=[LOT_TOKEN], draft="1")
    draft.pop("submit")
    client.post(_new(network), draft)
    case = Case.objects.get()
    edit = reverse("cases:edit", kwargs={"public_id": case.public_id})

    page = client.get(edit).content.decode()
    assert f'<input type="hidden" name="confirm" value="{LOT_TOKEN}">' in page
    assert 'id="kept-confirmations"' in page

    # Saved again as the page posts it (the hidden confirmation along): one audit record only.
    response = client.post(edit, _data(SYMPTOMS + " Calmer.", confirm=[LOT_TOKEN]))
    assert response.status_code == 302
    assert AuditRecord.objects.filter(action="confirm").count() == 1
    assert Case.objects.get().status == Case.Status.SUBMITTED

    # Text written before the number moves it: the presenter is asked again.
    case.refresh_from_db()
    case.status = Case.Status.RETURNED
    case.save()
    response = client.post(edit, _data("Seen today. " + SYMPTOMS, confirm=[LOT_TOKEN]))
    assert response.status_code == 422
    assert Case.objects.get().answers["symptoms"] == SYMPTOMS + " Calmer."


def test_a_confirmed_field_keeps_its_ticked_box_when_something_else_is_wrong(
    network, nurse
) -> None:
    data = _data(SYMPTOMS, confirm=[LOT_TOKEN], q_diagnosis="Pancreatic cancer, DR JONES")
    response = client_for(nurse).post(_new(network), data)

    assert response.status_code == 422
    highlights = response.context["highlights"]
    assert f'value="{LOT_TOKEN}"' in highlights["q_symptoms"]
    assert "checked" in highlights["q_symptoms"]
    assert 'class="finding confirmed"' in highlights["q_symptoms"]
    assert 'data-kind="name"' in highlights["q_diagnosis"]


def test_placeholders_leave_confirmed_parts_as_written_and_still_confirmed(network, nurse) -> None:
    symptoms = f"Phone (604) 555-0199. Pump lot {LOT} replaced."
    lot_at = symptoms.index(LOT)
    token = f"q_symptoms|identifier|{lot_at}|{lot_at + len(LOT)}"
    client = client_for(nurse)
    response = client.post(_new(network), _data(symptoms, confirm=[token], redact="1"))

    assert response.status_code == 200
    form = response.context["form"]
    shown = form.data["q_symptoms"]
    assert shown == f"Phone [phone]. Pump lot {LOT} replaced."
    moved = shown.index(LOT)
    assert form.data.getlist("confirm") == [f"q_symptoms|identifier|{moved}|{moved + len(LOT)}"]
    assert not Case.objects.exists()

    data = _data(shown, confirm=form.data.getlist("confirm"))
    assert client.post(_new(network), data).status_code == 302
    assert Case.objects.get().answers["symptoms"] == shown


def test_the_reviewing_hub_sees_what_was_confirmed_and_the_presenter_does_not_need_to(
    network, nurse
) -> None:
    client_for(nurse).post(_new(network), _data(SYMPTOMS, confirm=[LOT_TOKEN]))
    case = Case.objects.get()

    staff_page = client_for(network.coordinator).get(case.get_absolute_url()).content.decode()
    assert 'id="confirmed-spans"' in staff_page
    assert '<mark class="finding confirmed" data-kind="identifier"' in staff_page
    assert "confirmed not an identifier" in staff_page

    own_page = client_for(nurse).get(case.get_absolute_url()).content.decode()
    assert 'id="confirmed-spans"' not in own_page

    trail = client_for(network.hub_admin).get(
        reverse("cases:audit", kwargs={"slug": network.hub.slug})
    )
    assert "confirmed not an identifier" in trail.content.decode()


def test_the_box_and_the_hubs_view_speak_french(network, nurse) -> None:
    page = client_for(nurse).post(_new(network, "fr"), _data(SYMPTOMS)).content.decode()
    assert "pas un identifiant" in page

    client_for(nurse).post(_new(network, "fr"), _data(SYMPTOMS, confirm=[LOT_TOKEN]))
    case = Case.objects.get()
    with translation.override("fr"):
        url = case.get_absolute_url()
    staff_page = client_for(network.coordinator).get(url).content.decode()
    assert "confirmé comme n’étant pas un identifiant" in staff_page
