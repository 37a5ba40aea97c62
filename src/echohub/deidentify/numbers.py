"""Numbers that identify someone: health cards, SIN, chart numbers, phones, other long ids.

Most provinces publish no check digit, and their 8 to 12 digit numbers look
like any other, so every long digit string in running text is flagged at least
as an "identifier" unless a unit shows it is a quantity. A number becomes a
"health_card" when it passes a province's published check (BC's MOD 11,
Ontario's Luhn), has Quebec's RAMQ shape, or follows a health card cue; a
"sin" when it follows a SIN cue or is a 9-digit Luhn number written the SIN
way; an "mrn" when a chart-number cue introduces it (then even short or
alphanumeric ones count).
"""

import re
from collections.abc import Iterator

from stdnum import luhn
from stdnum.ca import bc_phn

from . import clinical
from .findings import Finding, finding

# Cues that name the number that follows. Acronyms are matched in capitals only
# ("nam" or "msi" in lower case are ordinary words); phrases in any case.
_HEALTH_CUE = r"""
    \b(?:HCN|PHN|PHIN|NIMP|HSN|OHIP|RAMQ|NAM|MSP|MSI|MCP|AHCIP|ULI|YHCIP|HCIP)\b
  | \bMedicare\b
  | (?i:health[\s-]*(?:care[\s-]*)?card
      |health\s+(?:insurance|services?|care)\s+(?:number|no\b\.?|\#)
      |(?:personal\s+)?health\s+(?:number|no\b\.?|\#)|carte[\s-]+soleil
      |carte\s+(?:de\s+)?sant[ée]|carte\s+d['’]assurance[\s-]+maladie
      |assurance[\s-]+maladie|(?:alberta|manitoba|saskatchewan|sask|yukon|nunavut)\s+health
      |care\s*card|(?:insurance|care)\s+plan)
"""
_SIN_CUE = r"""
    \b(?:SIN|NAS)\b
  | (?i:social\s+insurance|assurance\s+sociale)
"""
_MRN_CUE = r"""
    \b(?:MRN|MR\s?\#|ID|IPN|EMPI|URN)\b
  | (?i:medical\s+record|health\s+record|record\s+(?:number|no\b\.?|\#)|chart\b
      |hospital\s+(?:number|no\b\.?|\#|id)
      |patient\s+(?:id|number|no\b\.?|\#)|client\s+(?:id|number|no\b\.?|\#)|unit\s+(?:number|no\b\.?)
      |file\s+(?:number|no\b\.?|\#)|dossier|id\s+(?:du\s+)?patient|(?:num[ée]ro|no|n[°º])\s+d['’]usager
      |matricule)
"""
_PHONE_CUE = r"""
    (?i:\bt[ée]l[ée]c(?:opieur)?\b\.?|\bt[ée]l(?:[ée]phone)?\b\.?|\bfax\b|\bphone\b|\bcell(?:ulaire)?\b
      |\bmobile\b|\bpager\b|\bt[ée]l[ée]avertisseur\b|\bph\b\.?|\bcall(?:ed)?\s+(?:at|on)\b)
"""
# What may stand between a cue and its number: "number", "no.", "n°", "#", ":",
# "is", "(ON)", a dash.
_CONNECTORS = r"""
    (?:\s|[:#=,.–-]|n[°º]|d['’]|\([^()\d]{1,24}\)
      |(?i:\b(?:number|num[ée]ro|num|nos?|is|est|was|of|de|du|card|carte|plan)\b\.?))*\Z
"""
# A health card or SIN cue may also be followed by a few words naming the
# province ("carte santé du Nunavut", "numéro d'assurance maladie de l'Alberta").
_FEW_WORDS = r"""
    [\s:#=,.()–-]*(?:(?:n[°º]|[^\W\d_]{1,14}['’]?)[\s:#=,.()–-]*){0,4}\Z
"""
# The greedy `.*` makes the cue closest to the number win.
_CUE = re.compile(
    rf"(?s:.*)(?:(?P<health_card>{_HEALTH_CUE})|(?P<sin>{_SIN_CUE})|(?P<mrn>{_MRN_CUE})"
    rf"|(?P<phone>{_PHONE_CUE})){_CONNECTORS}",
    re.VERBOSE,
)
_LOOSE_CUE = re.compile(
    rf"(?s:.*)(?:(?P<health_card>{_HEALTH_CUE})|(?P<sin>{_SIN_CUE})){_FEW_WORDS}", re.VERBOSE
)
_LOOKBACK = 48
_LAST_DIGIT_OR_BREAK = re.compile(r"[\d\n;]|[.!?]\s+(?=[A-ZÀ-Ý])")

# Digit groups of 3 or more (spaces, no-break spaces or dashes between them),
# optionally with a capital-letter prefix (NWT "N1234567", charts "A00123")
# and Ontario's two-letter version code after ten digits.
_NUMBER = re.compile(
    r"""
    (?<![\w.,/])
    (?P<prefix>[A-Z]{1,3}-?|[A-Z][ ](?=\d{7}\b))?
    (?P<body>\d{3,}(?:[ \u00a0-]\d{3,})*)
    (?P<version>[ -]?[A-Z]{2}(?!\w))?
    (?!\w|[.,/]\d)
    """,
    re.VERBOSE,
)
# Quebec's RAMQ number: 3 letters of the surname and 1 of the given name, then
# YYMMDD (month + 50 for women) and 2 administrative digits.
_RAMQ = re.compile(r"(?<![\w-])[A-Z]{4}[ -]?\d\d(?P<mm>\d\d)[ -]?(?P<dd>\d\d)\d\d(?!\w)")
_PHONE = re.compile(
    r"""
    (?<![\w+.-])
    (?:\+?1[ .-]?)?
    (?:\(\d{3}\)[ ]?|\d{3}[ .-])
    \d{3}[ .-]\d{4}
    (?:[ ]?(?:(?i:ext|poste)\.?|x|p\.)[ ]?\d{1,5})?
    (?![\w-]|[.,]\d)
    """,
    re.VERBOSE,
)
# A U.S. social security number, 3-2-4 (Canadian programs receive U.S. records too).
_SSN = re.compile(r"(?<![\w/.-])\d{3}-\d{2}-\d{4}(?![\w/-]|[.,]\d)")
# A pager or beeper number is short: "pager 4411", "bip 2231".
# "page 4411" too, with four digits (a page of a document is rarely past 999).
_PAGER = re.compile(
    r"(?i:\b(?:pager|beeper|bip|t[ée]l[ée]avertisseur)\b)[\s:#.]*(?P<number>\d{3,7})"
    r"(?![\w/]|[.,]\d)|(?i:\bpage\b)\s+(?P<page>\d{4})(?![\w/]|[.,]\d)"
)
# A number from abroad: "+33 6 12 34 56 78", "+44 20 7946 0958", "+91 98765 43210".
_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?!1\b)\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w-]|[.,]\d)"
)
# "#637-3472 Main St" is a unit and a street number, not a local phone number.
_LOCAL_PHONE = re.compile(r"(?<![\w.,/#-])\d{3}[-.]\d{4}(?![\w-]|[.,]\d)")
# A unit after the number makes it a quantity; not French "l'", "m'" ("… 215 l'accompagne").
_UNIT_AFTER = re.compile(
    r"""\s?(?:%|\$|/|×|x\b|(?i:mg|mcg|µg|ug|ng|g|kg|ml|l|dl|mmol|µmol|umol|mol|mmhg|cc|iu|ui|units?
    |unités?|copies|cells|cellules|km|m|cm|mm|h|hrs?|min|sec|s|times|fois|doses?|tablets?|comprimés?
    |cfu|ufc|meq|mosm|kcal|cal|ans|years?|days?|jours?)\b(?!['’]))""",
    re.VERBOSE,
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def find(text: str) -> Iterator[Finding]:
    yield from _phones(text)
    for match in _SSN.finditer(text):
        yield finding(text, "sin", match.start(), match.end())
    for match in _PAGER.finditer(text):
        group = "number" if match["number"] else "page"
        yield finding(text, "phone", match.start(group), match.end(group))
    abroad = [m for m in _INTERNATIONAL.finditer(text) if 8 <= sum(map(str.isdigit, m[0])) <= 15]
    for match in abroad:
        yield finding(text, "phone", match.start(), match.end())
    yield from _ramq(text)
    yield from _numbers(text, [match.span() for match in abroad])


def _cue(text: str, start: int, loose: bool = True) -> str | None:
    """The kind a cue just before `start` names, if it is close and no other number is between."""
    window = text[max(0, start - _LOOKBACK) : start]
    cut = 0
    for stop in _LAST_DIGIT_OR_BREAK.finditer(window):
        cut = stop.end()
    window = window[cut:]
    match = _CUE.match(window) or (_LOOSE_CUE.match(window) if loose else None)
    return match.lastgroup if match else None


def _phones(text: str) -> Iterator[Finding]:
    for regex in (_PHONE, _LOCAL_PHONE):
        for match in regex.finditer(text):
            cue = _cue(text, match.start(), loose=False)
            kind = "health_card" if cue == "health_card" else "phone"
            yield finding(text, kind, match.start(), match.end())


def _ramq(text: str) -> Iterator[Finding]:
    for match in _RAMQ.finditer(text):
        month = int(match["mm"]) % 50
        day = int(match["dd"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            yield finding(text, "health_card", match.start(), match.end())


def _numbers(text: str, skip: list[tuple[int, int]]) -> Iterator[Finding]:
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in skip):
            continue  # part of a number from abroad
        body = match["body"]
        digits = re.sub(r"\D", "", body)
        prefix = match["prefix"] or ""
        start = match.start("prefix") if prefix else match.start("body")
        end = match.end("version") if match["version"] and len(digits) == 10 else match.end("body")
        if _is_quantity(text, start, end):
            continue
        kind = _classify(text, start, digits, body, prefix)
        if kind:
            yield finding(text, kind, start, end)
        elif prefix:
            # "MRN483920"-like prefixes that are not ids of their own: the digits may still be one.
            start = match.start("body")
            kind = _classify(text, start, digits, body, "")
            if kind:
                yield finding(text, kind, start, end)


def _classify(text: str, start: int, digits: str, body: str, prefix: str) -> str | None:
    cue = _cue(text, start)
    if cue == "mrn" and len(digits) >= 3:
        return "mrn"
    if cue == "health_card" and len(digits) >= 6:
        return "health_card"
    if cue == "sin" and len(digits) == 9:
        return "sin"
    if cue == "phone" and len(digits) >= 7:
        return "phone"
    if prefix:
        # A letter glued to 7 digits is the NWT health services number's shape;
        # other letter-prefixed codes are ids only when a cue says so.
        return "identifier" if len(prefix.strip(" -")) == 1 and len(digits) == 7 else None
    groups = [len(group) for group in re.split(r"[ \u00a0-]", body)]
    phone_shaped = groups in ([3, 3, 4], [3, 4])
    # BC's MOD 11 or Ontario's Luhn; a phone's 3-3-4 shape keeps it a phone (905-… numbers
    # pass the BC check one time in eleven).
    checked = bc_phn.is_valid(digits) or luhn.is_valid(digits)
    if len(digits) == 10 and not phone_shaped and checked:
        return "health_card"
    if len(digits) == 9 and groups in ([9], [3, 3, 3]) and luhn.is_valid(digits):
        return "sin"
    if len(digits) >= 7 and not _is_year_range(body, groups) and not clinical.is_time_range(body):
        return "identifier"
    return None


def _is_quantity(text: str, start: int, end: int) -> bool:
    """A unit after the number ("12 500 000 $", "1500000 copies/mL") or a dollar sign before it."""
    return bool(_UNIT_AFTER.match(text, end)) or text[max(0, start - 2) : start].strip() == "$"


def _is_year_range(body: str, groups: list[int]) -> bool:
    """ "2019-2020" or "2019 2020": two years, not an identifier."""
    return groups == [4, 4] and all(_YEAR.fullmatch(part) for part in re.split(r"[ \u00a0-]", body))
