"""What the gate reports: one `Finding` per identifier, and how overlapping ones are settled."""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Lazy, so that scanning never needs Django's settings: a label is only
# translated when a page or a message shows it.
KIND_LABELS: dict[str, "StrOrPromise"] = {
    "health_card": _("health card number"),
    "sin": _("social insurance number"),
    "mrn": _("medical record number"),
    "identifier": _("identifier-like number"),
    "phone": _("phone or fax number"),
    "email": _("email address"),
    "url": _("web address"),
    "ip": _("IP address"),
    "postal_code": _("postal code"),
    "address": _("street address"),
    "date": _("full date"),
    "birth_date": _("date of birth"),
    "age": _("age over 89"),
    "name": _("person's name"),
}

# When two findings overlap, the more specific kind wins. Email and web
# addresses come first because they contain whatever else looks like a number
# or a name; the bare "identifier" is the catch-all that anything else beats.
PRIORITY: dict[str, int] = {
    "email": 140,
    "url": 130,
    "health_card": 120,
    "sin": 110,
    "mrn": 100,
    "ip": 95,
    "birth_date": 90,
    "phone": 80,
    "postal_code": 70,
    "address": 60,
    "date": 50,
    "age": 40,
    "name": 30,
    "identifier": 10,
}


# What the gate may be wrong about: a word read as a name, a long number with no
# cue saying what it is. The writer may confirm such a finding is not an
# identifier. Every other kind (health card, SIN, phone, email, postal code,
# full date…) has a shape that leaves no doubt and always blocks.
POSSIBLE_KINDS = frozenset({"name", "identifier"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected identifier: `text == case_text[start:end]`."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> "StrOrPromise":
        return KIND_LABELS[self.kind]

    @property
    def certain(self) -> bool:
        """Whether the finding blocks whatever the writer says (see `POSSIBLE_KINDS`)."""
        return self.kind not in POSSIBLE_KINDS


def finding(text: str, kind: str, start: int, end: int) -> Finding:
    return Finding(kind, start, end, text[start:end])


def resolve(candidates: Iterable[Finding]) -> list[Finding]:
    """Keep non-overlapping findings: the more specific kind first, then the longer span."""
    ranked = sorted(set(candidates), key=lambda f: (-PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for candidate in ranked:
        at = bisect_right(starts, candidate.start)
        if at > 0 and kept[at - 1].end > candidate.start:
            continue
        if at < len(kept) and kept[at].start < candidate.end:
            continue
        kept.insert(at, candidate)
        starts.insert(at, candidate.start)
    return kept
