"""Clinical notation that has the shape of an identifier, which the scanners leave alone.

Nurses and doctors write "RR 18" (a respiratory rate, not rural route 18),
"0700-1930" (a shift, not an eight-digit id), "vent 10/5/40%" (ventilator
settings, not a date). Each scanner asks here whether a candidate sits in such
notation: among vital signs and scales (`among_vitals`), as a shift or a time
range (`is_time_range`), or as settings and levels (`is_setting`). The lexicon
is matched in any case, since notes are often typed in capitals.
"""

import re

# Vital signs, scales, labs and units that surround numbers in clinical notes,
# English and French.
_VITALS = r"""
    HR|BP|RR|SpO2|SaO2|SpO₂|O2|Sats?|T|Temp|pulse|FC|FR|TA|VS|SV|vitals|signes\s+vitaux
  | GCS|Na|K|Cl|Cr|Hb|BG|glyc[ée]mie|PPS|ESAS|pain|douleur|nausea|naus[ée]es?|wt|weight|poids
  | I/O|RASS|CAM|Braden|BMI|IMC|MAP|PAM|CVP|EtCO2|FiO2|PEEP|TV|Vt|ABG|GDS|gaz|resp
  | breaths?|bpm|rpm|kg|mmHg|L/min|NP|urine|diur[èe]se
"""
_VITAL = re.compile(rf"(?i:(?<![\w/])(?:{_VITALS})(?![\w/]))", re.VERBOSE)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+|\n")
# "vent 10/5/40%", "BiPAP 12/6": ventilation and pump settings.
_SETTINGS_BEFORE = re.compile(
    r"(?i:\b(?:vent|ventilat\w*|bipap|cpap|vni|avnc|hfnc|settings|r[ée]glages|mode|ac|simv|prvc"
    r"|ps|peep|pump|pompe|ABG|gaz(?:\s+art[ée]riels?)?)\b)[\s:@=]*$"
)
_TIME = r"(?:[01]\d|2[0-3])(?:[0-5]\d|h(?:[0-5]\d)?)"
_TIME_RANGE = re.compile(rf"{_TIME}\s?[-–]\s?{_TIME}")


def among_vitals(text: str, start: int, end: int, reach: int = 40) -> bool:
    """Whether the same sentence has a vital sign or scale within `reach` characters."""
    before = _SENTENCE_BREAK.split(text[max(0, start - reach) : start])[-1]
    after = _SENTENCE_BREAK.split(text[end : end + reach])[0]
    return bool(_VITAL.search(before) or _VITAL.search(after))


def is_time_range(candidate: str) -> bool:
    """ "0700-1930", "2300 - 0700", "07h-19h30": a shift, not a number."""
    return bool(_TIME_RANGE.fullmatch(candidate.strip()))


def is_setting(text: str, start: int, end: int) -> bool:
    """ "10/5/40%", "vent 14/8/50": settings, not a date."""
    return text[end : end + 1] == "%" or bool(
        _SETTINGS_BEFORE.search(text, max(0, start - 30), start)
    )
