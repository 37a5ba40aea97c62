"""How many credits minutes of attendance earn: credit follows minutes actually attended.

Pure arithmetic on Decimals, never floats: 45 minutes at 1 credit per hour is
0.75, rounded down by the accreditation's rule (a quarter credit: 0.75; a half:
0.5; a whole: 0). Attendance below the accreditation's minimum share of the
session earns nothing; a session outside the accreditation's validity earns
nothing under it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from echohub.certificates.models import Accreditation

STEPS = {
    Accreditation.Rounding.QUARTER: Decimal("0.25"),
    Accreditation.Rounding.HALF: Decimal("0.5"),
    Accreditation.Rounding.TENTH: Decimal("0.1"),
    Accreditation.Rounding.WHOLE: Decimal("1"),
    Accreditation.Rounding.NONE: Decimal("0.01"),
}


def round_credits(amount: Decimal, rounding: str) -> Decimal:
    """Down to the rule's step: credit is never rounded up past what was attended."""
    step = STEPS[Accreditation.Rounding(rounding)]
    return ((amount / step).to_integral_value(rounding=ROUND_DOWN) * step).quantize(Decimal("0.01"))


def for_minutes(accreditation: Accreditation, minutes: int) -> Decimal:
    raw = Decimal(minutes) / Decimal(60) * accreditation.credits_per_hour
    return round_credits(raw, accreditation.rounding)


def counts(accreditation: Accreditation, *, minutes: int, duration: int, day: dt.date) -> bool:
    """Whether a session attended for `minutes` earns credit under `accreditation`."""
    return (
        accreditation.valid_from <= day <= accreditation.valid_to
        and duration > 0
        and minutes * 100 >= accreditation.minimum_percent * duration
    )


@dataclass(frozen=True)
class Earned:
    accreditation: Accreditation
    amount: Decimal


def counting(
    accreditations: list[Accreditation], *, minutes: int, duration: int, day: dt.date
) -> list[Accreditation]:
    """The accreditations under which one attended session counts, whoever attended it."""
    return [a for a in accreditations if counts(a, minutes=minutes, duration=duration, day=day)]


def for_profession(
    accreditations: list[Accreditation], profession_id: str | None, minutes: dict[int, int]
) -> list[Earned]:
    """What a person of this profession earns from `minutes` counted under each accreditation
    (by its pk): only the credit of accreditations that apply to their profession."""
    earned = []
    for accreditation in accreditations:
        if accreditation.applies_to(profession_id):
            amount = for_minutes(accreditation, minutes.get(accreditation.pk, 0))
            if amount > 0:
                earned.append(Earned(accreditation, amount))
    return earned


def meets_completion(attended: int, held: int, percent: int) -> bool:
    """A cycle's completion rule: at least `percent` of the sessions held were attended."""
    return held > 0 and attended * 100 >= percent * held
