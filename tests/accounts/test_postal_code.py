"""The practice postal code on the profile and at sign-up: normalised, checked, optional."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from echohub.accounts.models import User
from echohub.accounts.services import update_profile
from tests.accounts.test_accounts import NEW_PASSWORD
from tests.conftest import Network, client_for

FORM = (
    "Enter a Canadian postal code in the form A1A 1A1 "
    "(letter, digit, letter, digit, letter, digit)."
)


def save_profile(person: User, lang: str = "en", **fields: str) -> Any:
    with translation.override(lang):
        url = reverse("accounts:profile")
    return client_for(person).post(
        url, {"name": "Nadia P.", "preferred_language": lang, "province": "ON", **fields}
    )


def stored_code(person: User) -> str:
    return User.objects.get(pk=person.pk).practice_postal_code


def test_a_valid_code_is_saved_as_canada_post_writes_it(network: Network) -> None:
    response = save_profile(network.participant, practice_postal_code=" k0m-1s0 ")
    assert response["Location"] == reverse("accounts:profile")
    assert stored_code(network.participant) == "K0M 1S0"


def test_a_code_that_is_not_canadian_is_refused_naming_the_form(network: Network) -> None:
    response = save_profile(network.participant, practice_postal_code="90210")
    assert response.context["form"].errors == {"practice_postal_code": [FORM]}
    assert FORM in response.content.decode()
    assert stored_code(network.participant) == ""


def test_a_code_with_a_letter_canada_post_never_uses_is_refused(network: Network) -> None:
    response = save_profile(network.participant, practice_postal_code="K1O 0B1")
    assert response.context["form"].errors == {
        "practice_postal_code": [
            "Enter a Canadian postal code in the form A1A 1A1: "
            "the letters D, F, I, O, Q and U are never used."
        ]
    }


def test_a_code_of_another_province_is_refused_naming_both(network: Network) -> None:
    response = save_profile(network.participant, province="QC", practice_postal_code="k1a0b1")
    assert response.context["form"].errors == {
        "practice_postal_code": ["K1A 0B1 is a postal code in Ontario, but you chose Quebec."]
    }
    assert stored_code(network.participant) == ""


def test_the_mismatch_is_said_in_french_with_french_province_names(network: Network) -> None:
    response = save_profile(
        network.participant, lang="fr", province="BC", practice_postal_code="G5L 3A7"
    )
    assert response.context["form"].errors == {
        "practice_postal_code": [
            "Le code postal G5L 3A7 correspond à la province ou au territoire suivant\u00a0: "
            "Québec. Vous avez pourtant choisi\u00a0: Colombie-Britannique."
        ]
    }


@pytest.mark.parametrize("province", ["NT", "NU"])
def test_x_codes_fit_either_territory(network: Network, province: str) -> None:
    save_profile(network.participant, province=province, practice_postal_code="x0e 0r4")
    assert stored_code(network.participant) == "X0E 0R4"


def test_a_code_without_a_province_is_saved(network: Network) -> None:
    save_profile(network.participant, province="", practice_postal_code="T0H 1Z0")
    person = User.objects.get(pk=network.participant.pk)
    assert (person.province_id, person.practice_postal_code) == (None, "T0H 1Z0")


def test_blank_is_allowed_and_clears_a_code(network: Network) -> None:
    network.participant.practice_postal_code = "K9J 2B6"
    network.participant.save()
    response = save_profile(network.participant, practice_postal_code="  ")
    assert response["Location"] == reverse("accounts:profile")
    assert stored_code(network.participant) == ""


def test_the_profile_page_shows_the_field_and_its_help(network: Network) -> None:
    page = client_for(network.participant).get(reverse("accounts:profile")).content.decode()
    assert '<label for="id_practice_postal_code">Practice postal code:</label>' in page
    assert (
        "Optional. The postal code where you practise; it lets your hub report how many "
        "rural and remote providers it reaches."
    ) in page


def test_the_model_normalises_and_refuses_too(network: Network) -> None:
    person = network.participant
    person.practice_postal_code = "b4v2w1"
    update_profile(person)
    assert stored_code(person) == "B4V 2W1"
    person.practice_postal_code = "Z1A 0B1"
    with pytest.raises(ValidationError) as caught:
        update_profile(person)
    assert caught.value.message_dict == {
        "practice_postal_code": [
            "Enter a Canadian postal code in the form A1A 1A1: none begins with Z."
        ]
    }
    assert stored_code(person) == "B4V 2W1"


def sign_up(**extra: str) -> Any:
    return Client().post(
        reverse("account_signup"),
        {
            "email": "nadia@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "Nadia Tremblay",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
            **extra,
        },
    )


def test_sign_up_keeps_the_code_normalised(db: None) -> None:
    sign_up(province="NS", practice_postal_code="b0j 2e0")
    person = User.objects.get(email="nadia@example.org")
    assert (person.province_id, person.practice_postal_code) == ("NS", "B0J 2E0")


def test_sign_up_refuses_a_code_of_another_province(db: None) -> None:
    response = sign_up(province="MB", practice_postal_code="S9H 3X2")
    assert response.context["form"].errors == {
        "practice_postal_code": [
            "S9H 3X2 is a postal code in Saskatchewan, but you chose Manitoba."
        ]
    }
    assert not User.objects.filter(email="nadia@example.org").exists()
