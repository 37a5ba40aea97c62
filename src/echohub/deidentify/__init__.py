"""The de-identification gate: every case text passes `scan` before it is stored."""

from . import contacts, dates, names, numbers
from .findings import KIND_LABELS, POSSIBLE_KINDS, Finding, resolve

__all__ = ["KIND_LABELS", "POSSIBLE_KINDS", "Finding", "scan"]


def scan(text: str) -> list[Finding]:
    """Find what could identify a patient in a case text (English or French).

    It looks for health card numbers of all 13 provinces and territories
    (checking BC's MOD 11 and Ontario's Luhn digits, Quebec's RAMQ shape, and
    any number after a health card cue), social insurance numbers, chart
    numbers, other identifier-like numbers of 7 digits or more, phone and fax
    numbers, email and web addresses, IP addresses, postal codes, street
    addresses, full dates (a day and month, or a month and year), dates of
    birth, ages over 89 and people's names.

    The findings are sorted by position and never overlap: when two overlap,
    the more specific kind wins (a health card over an identifier, a date of
    birth over a date), then the longer span.

    This is a safety net, not a guarantee: it is tuned to catch what people
    usually write, and a name it does not know, written without a title or a
    role ("Kristopher Vazquez"), or an identifier spelled out in words, gets
    through. Whoever presents a case remains responsible for removing what
    identifies the patient.
    """
    return resolve(
        [
            *numbers.find(text),
            *contacts.find(text),
            *dates.find(text),
            *names.find(text),
        ]
    )
