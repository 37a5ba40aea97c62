"""Canadian postal codes: read however typed, refused when not Canadian, rural by their FSA."""

import pytest
from django.core.exceptions import ValidationError

from echohub.reference.postal import is_rural, normalise_postal_code, province_of


@pytest.mark.parametrize("typed", ["k1a0b1", " K1A-0B1 ", "K1A 0B1", "k1a 0b1", "K1A\t0B1"])
def test_any_spacing_dash_and_case(typed: str) -> None:
    assert normalise_postal_code(typed) == "K1A 0B1"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "K1A",  # an FSA alone is not a postal code
        "K1A 0B",
        "K1A 0B12",
        "90210",
        "D1A 0B1",  # D, F, I, O, Q and U are never used
        "K1A 0F1",
        "K1I 0B1",
        "K1A 0O1",
        "Q1A 0B1",
        "U1A 0B1",
        "W1A 0B1",  # W and Z never first
        "Z1A 0B1",
        "KKA 0B1",
        "K1A B01",
    ],
)
def test_anything_else_is_refused_with_the_expected_form(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalise_postal_code(typed)
    assert refused.value.messages == ["Enter a Canadian postal code, such as A1A 1A1."]


@pytest.mark.parametrize(
    ("code", "rural"),
    [
        ("P0A 1A0", True),  # Muskoka
        ("X0A 0H0", True),  # Nunavut
        ("K1A 0B1", False),  # Ottawa
        ("H2X 1Y4", False),
        ("p0a", True),  # an FSA alone is enough to tell
        ("K1A", False),
        ("", None),
        ("90210", None),
        ("W0A 1A0", None),
    ],
)
def test_a_forward_sortation_area_with_0_second_is_rural(code: str, rural: bool | None) -> None:
    assert is_rural(code) is rural


def test_the_first_letter_names_the_province_but_x_is_two_territories() -> None:
    assert [province_of(c) for c in ("A1A", "H2X 1Y4", "P0A 1A0", "V6B 1A1", "Y1A 1A1")] == [
        "NL",
        "QC",
        "ON",
        "BC",
        "YT",
    ]
    assert province_of("X0A 0H0") is None
    assert province_of("") is None
