"""Canadian postal codes: how they are written, which are refused, rurality and province."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from echohub.reference.postal import is_rural, normalise_postal_code, province_of_fsa

FORM = (
    "Enter a Canadian postal code in the form A1A 1A1 "
    "(letter, digit, letter, digit, letter, digit)."
)
UNUSED = (
    "Enter a Canadian postal code in the form A1A 1A1: "
    "the letters D, F, I, O, Q and U are never used."
)


def refusal(text: str) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        normalise_postal_code(text)
    error = caught.value
    return error.code or "", error.messages[0]


@pytest.mark.parametrize(
    "text",
    ["K1A 0B1", "k1a0b1", " K1A-0B1 ", "k1A 0b1", "K1A  0B1", "\tk1a\n0b1 ", "K 1 A 0 B 1"],
)
def test_any_case_and_spacing_is_written_as_canada_post_writes_it(text: str) -> None:
    assert normalise_postal_code(text) == "K1A 0B1"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "K1A", "K1A 0B", "K1A 0B12", "1KA 0B1", "KKA 0B1", "K1A 0BB", "K1A_0B1", "K1A.0B1"],
)
def test_anything_not_shaped_like_a_postal_code_is_refused_naming_the_form(text: str) -> None:
    assert refusal(text) == ("invalid", FORM)


@pytest.mark.parametrize("letter", "DFIOQU")
@pytest.mark.parametrize("where", [0, 2, 4])
def test_the_letters_canada_post_never_uses_are_refused_anywhere(letter: str, where: int) -> None:
    code = list("K1A0B1")
    code[where] = letter
    assert refusal("".join(code)) == ("unused_letter", UNUSED)


@pytest.mark.parametrize("letter", "WZ")
def test_w_and_z_are_refused_as_the_first_letter(letter: str) -> None:
    assert refusal(f"{letter}1A 0B1") == (
        "first_letter",
        f"Enter a Canadian postal code in the form A1A 1A1: none begins with {letter}.",
    )


def test_w_and_z_are_accepted_after_the_first_letter() -> None:
    assert normalise_postal_code("t2w 1z4") == "T2W 1Z4"


@pytest.mark.parametrize("letter", "ABCEGHJKLMNPRSTVXY")
def test_every_valid_first_letter_is_accepted(letter: str) -> None:
    assert normalise_postal_code(f"{letter}0A1B2") == f"{letter}0A 1B2"


def test_the_message_is_translated_into_french() -> None:
    with translation.override("fr"):
        assert refusal("W1A 0B1")[1] == (
            "Saisissez un code postal canadien de la forme A1A 1A1\u00a0: aucun ne commence par W."
        )


@pytest.mark.parametrize(
    ("code", "rural"),
    [
        ("K0M 1S0", True),
        ("k0m1s0", True),
        ("K0M", True),
        (" a0p ", True),
        ("X0A 0H0", True),
        ("K1A 0B1", False),
        ("K1A", False),
        ("m5g", False),
        ("H3T-1E2", False),
    ],
)
def test_is_rural_reads_the_digit_of_the_fsa(code: str, rural: bool) -> None:
    assert is_rural(code) is rural


@pytest.mark.parametrize(
    "code", ["", "  ", "K0", "K0M 1S", "D0M", "W0M", "Z1A 0B1", "K0O", "KOM", "K1A 0B1 9"]
)
def test_is_rural_is_none_when_blank_or_invalid(code: str) -> None:
    assert is_rural(code) is None


@pytest.mark.parametrize(
    ("code", "province"),
    [
        ("A0P 1L0", "NL"),
        ("B3H", "NS"),
        ("C1A 4P3", "PE"),
        ("E2L", "NB"),
        ("G9A", "QC"),
        ("H2X 1Y4", "QC"),
        ("J8Y", "QC"),
        ("K1A 0B1", "ON"),
        ("L8N", "ON"),
        ("M5G", "ON"),
        ("N6A", "ON"),
        ("P0V", "ON"),
        ("R3E", "MB"),
        ("S0N", "SK"),
        ("T0H 1Z0", "AB"),
        ("V8G", "BC"),
        ("Y1A", "YT"),
    ],
)
def test_province_of_fsa_names_the_province_of_the_first_letter(code: str, province: str) -> None:
    assert province_of_fsa(code) == province


@pytest.mark.parametrize("code", ["X0A 0H0", "X1A", "x0e"])
def test_x_is_shared_by_the_northwest_territories_and_nunavut_so_names_neither(code: str) -> None:
    assert province_of_fsa(code) is None


@pytest.mark.parametrize("code", ["", "W1A", "D1A 0B1", "K1", "hello"])
def test_province_of_fsa_is_none_when_blank_or_invalid(code: str) -> None:
    assert province_of_fsa(code) is None
