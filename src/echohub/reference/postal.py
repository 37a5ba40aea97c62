"""Canadian postal codes: their written form, rurality and province (pure, no database).

A postal code is a forward sortation area (FSA: letter, digit, letter) and a
local delivery unit (digit, letter, digit), written "A1A 1A1". An FSA whose
digit is 0 is rural; its first letter names a province or territory.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Canada Post never uses these letters anywhere: they read like digits or each other.
UNUSED_LETTERS = frozenset("DFIOQU")
# The letters a postal code may start with (W and Z are not assigned).
FIRST_LETTERS = frozenset("ABCEGHJKLMNPRSTVXY")

# X covers both the Northwest Territories and Nunavut, so it names neither.
PROVINCE_OF_FIRST_LETTER: dict[str, str] = {
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

_SHAPE = re.compile(r"[A-Z][0-9][A-Z][0-9][A-Z][0-9]")
_FSA_SHAPE = re.compile(r"[A-Z][0-9][A-Z]")
_SEPARATORS = re.compile(r"[\s-]+")


def _compact(text: str) -> str:
    """The characters of a code without case, spaces or hyphens: " k1a-0b1 " → "K1A0B1"."""
    return _SEPARATORS.sub("", text).upper()


def _refusal(compact: str) -> ValidationError | None:
    """Why `compact` (an FSA or a full code, already compacted) is not a real one, if it isn't."""
    if UNUSED_LETTERS.intersection(compact):
        return ValidationError(
            _(
                "Enter a Canadian postal code in the form A1A 1A1: "
                "the letters D, F, I, O, Q and U are never used."
            ),
            code="unused_letter",
        )
    if compact[0] not in FIRST_LETTERS:
        return ValidationError(
            _("Enter a Canadian postal code in the form A1A 1A1: none begins with %(letter)s."),
            code="first_letter",
            params={"letter": compact[0]},
        )
    return None


def normalise_postal_code(text: str) -> str:
    """The postal code as Canada Post writes it ("K1A 0B1"), whatever its case and spacing.

    Raises ValidationError, naming the expected form, for anything that is not
    a full Canadian postal code.
    """
    compact = _compact(text)
    if not _SHAPE.fullmatch(compact):
        raise ValidationError(
            _(
                "Enter a Canadian postal code in the form A1A 1A1 "
                "(letter, digit, letter, digit, letter, digit)."
            ),
            code="invalid",
        )
    refusal = _refusal(compact)
    if refusal is not None:
        raise refusal
    return f"{compact[:3]} {compact[3:]}"


def validate_postal_code(value: str) -> None:
    """The model field's validator: any writing that normalises is accepted."""
    normalise_postal_code(value)


def forward_sortation_area(code: str) -> str | None:
    """The FSA ("K0M") of a full postal code or of an FSA alone; None when it is not valid."""
    compact = _compact(code)
    if _SHAPE.fullmatch(compact):
        compact = compact[:3]
    if not _FSA_SHAPE.fullmatch(compact) or _refusal(compact) is not None:
        return None
    return compact


def is_rural(code: str) -> bool | None:
    """True for a rural FSA (its digit is 0), False for an urban one, None when blank or invalid."""
    fsa = forward_sortation_area(code)
    if fsa is None:
        return None
    return fsa[1] == "0"


def province_of_fsa(code: str) -> str | None:
    """The province or territory code that a postal code or FSA belongs to.

    None when it is invalid, and for X, which is shared by the Northwest
    Territories and Nunavut.
    """
    fsa = forward_sortation_area(code)
    if fsa is None:
        return None
    return PROVINCE_OF_FIRST_LETTER.get(fsa[0])
