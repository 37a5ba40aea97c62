"""Canadian postal codes: read them however they are typed, and tell a rural one.

A postal code is a forward sortation area (FSA: letter, digit, letter) and a local
delivery unit (digit, letter, digit), "K1A 0B1". Canada Post never uses D, F, I, O,
Q or U, nor W or Z as the first letter; the first letter names the province or
territory. An FSA whose second character is 0 is rural: that is how Canadian
programs, Pallium's among them, count the rural share of those they reach.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_LETTERS = "ABCEGHJKLMNPRSTVXY"
OTHER_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"
_CODE = re.compile(rf"^([{FIRST_LETTERS}])(\d)([{OTHER_LETTERS}])(\d)([{OTHER_LETTERS}])(\d)$")
_FSA = re.compile(rf"^[{FIRST_LETTERS}]\d[{OTHER_LETTERS}]")

# The province or territory of each first letter; X is both the Northwest
# Territories and Nunavut, so it names neither.
PROVINCE_OF_LETTER = {
    "A": "NL",
    "B": "NS",
    "C": "PE",
    "E": "NB",
    "G": "QC",
    "H": "QC",
    "J": "QC",
    "K": "ON",
    "L": "ON",
    "M": "ON",
    "N": "ON",
    "P": "ON",
    "R": "MB",
    "S": "SK",
    "T": "AB",
    "V": "BC",
    "Y": "YT",
}


def _squeezed(text: str) -> str:
    return re.sub(r"[\s\-]", "", text or "").upper()


def normalise_postal_code(text: str) -> str:
    """ "k1a0b1", " K1A-0B1 " or "K1A 0B1" → "K1A 0B1"; anything else is refused."""
    code = _squeezed(text)
    if not _CODE.match(code):
        raise ValidationError(
            _("Enter a Canadian postal code, such as A1A 1A1."), code="invalid_postal_code"
        )
    return f"{code[:3]} {code[3:]}"


def validate_postal_code(value: str) -> None:
    if value:
        normalise_postal_code(value)


def is_rural(code: str) -> bool | None:
    """True for a rural FSA (second character 0), False for another, None when unknown.
    Takes a whole postal code or its first three characters."""
    squeezed = _squeezed(code)
    if not _FSA.match(squeezed):
        return None
    return squeezed[1] == "0"


def province_of(code: str) -> str | None:
    """The province or territory a postal code's first letter names (None for X or unknown)."""
    squeezed = _squeezed(code)
    if not _FSA.match(squeezed):
        return None
    return PROVINCE_OF_LETTER.get(squeezed[0])
