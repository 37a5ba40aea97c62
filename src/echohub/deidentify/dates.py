"""Dates that narrow down who someone is: full dates, dates of birth, ages over 89.

Following the HIPAA safe-harbour idea, a bare year is allowed ("in 2019") but
anything finer is not: a day and month (with or without the year) and a month
with its year ("March 2024") are flagged. A date right after a birth cue
("DOB", "born", "née le", "date de naissance") is a "birth_date".
"""

import re
from collections.abc import Iterator

from . import clinical
from .findings import Finding, finding


def _both_cases(words: str) -> str:
    """ "mars|avril" -> "mars|Mars|avril|Avril": plain alternatives keep the regex fast, where
    a case-insensitive group or "[mM]ars" makes it ten times slower."""
    return "|".join(f"{word}|{word[0].upper()}{word[1:]}" for word in words.split())


_EN_MONTHS = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?!\w)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_FR_MONTHS = (
    "(?:(?:"
    + _both_cases(
        "janvier février fevrier mars avril mai juin juillet août aout septembre octobre"
        " novembre décembre decembre"
    )
    + r")(?!\w)|(?:"
    + _both_cases("janv févr fevr fév fev avr juil sept oct nov déc dec")
    + r")\b\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_FULL_YEAR = rf"(?:(?:,\s*|\s+){_YEAR}\b)"

# Three regexes rather than one alternation: each starts with something cheap
# to rule out (a month name, a digit), which keeps the scan fast.
# March 3, 2024 / Mar. 3rd / March 3 / March 2024 / March 3-7, 2024
_EN_MONTH_FIRST = re.compile(
    rf"{_EN_MONTHS}(?:\s+{_DAY}{_ORDINAL}?\b(?:\s?[-–]\s?{_DAY}{_ORDINAL}?\b)?{_FULL_YEAR}?"
    rf"|,?\s+{_YEAR}\b)"
)
# du 3 au 7 mars 2026 / 3-7 mars / from 3 to 7 March 2026: the whole range
_RANGE = re.compile(
    rf"(?:(?i:du|from)\s+)?(?:1er|{_DAY})(?:\s+(?i:au|to)\s+|\s?[-–]\s?){_DAY}(?:er)?\s+"
    rf"(?:{_FR_MONTHS}|{_EN_MONTHS})(?:\s+{_YEAR}\b)?"
)
# "seen on 2/13", "vue le 22/4": a day and month without a year, after a word that
# introduces a date (a score such as "pain 6/10" has none).
_SHORT_CUE = re.compile(
    r"(?i:\b(?:on|le|since|depuis|seen|vue?|until|till|jusqu['’]au|dated?|dat[ée]e?|as\s+of|by"
    r"|from|du|au|to|admitted|admise?|hospitalis[ée]e?|d[ée]c[ée]d[ée]e?|died|rdv|appointment))"
    r"\s+(?P<date>\d{1,2}/\d{1,2})(?![\d/%]|\s*(?i:pain|douleur|scale|[ée]chelle))"
)
# mars 2024
_FR_MONTH_FIRST = re.compile(rf"{_FR_MONTHS},?\s+{_YEAR}\b")
_DAY_FIRST = re.compile(
    # 3 March 2024 / 3rd of March / 12-Jul-1941 / 12-Jul-41 / 12 Jul '41 / le 3 mars 2024 /
    # 1er avril / 3 janv. 2024 (a two-digit year only after a dash or an apostrophe: "3 March 20
    # mg" is a dose)
    rf"(?:1er|{_DAY}{_ORDINAL}?)(?:\s+of)?[\s-](?:{_EN_MONTHS}(?:[\s,-]+{_YEAR}\b|(?:-|\s['’])\d\d\b)?"
    rf"|{_FR_MONTHS}(?:\s+{_YEAR}\b)?)"
)
# 2024-03-03, 2024/03/03, 03/03/2024, 3/3/24, 03-03-2024, 03.03.2024
_NUMERIC = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{2,4}(?![\w/-]|\.\d)")
_BIRTH_CUE = re.compile(
    r"""(?:\bDDN|(?i:\bdob\b|\bd\.o\.b\.?|date\s+of\s+birth|birth\s*date|\bborn|\bb\.|\bné(?:e|\(e\))?
    |date\s+de\s+naissance|date\s+de\s+naiss\.))[\s:,-]*(?:(?i:on|le|in|en)\s+)?\Z""",
    re.VERBOSE,
)
_AGE = r"(?:9\d|1[01]\d)"
_AGE_UNIT = (
    r"(?:[\s-]*(?:year|yr)s?[\s-]*old\b|\s*(?:(?:y/?o|yrs?|years?(?:\s+of\s+age)?|ans)\b|y\.o\.)"
    r"|[MF]\b)"
)
_AGES = re.compile(
    rf"""
    (?<![\w.,]){_AGE}{_AGE_UNIT}
  | \b(?:[Aa]ged?|[ÂâAa]g[ée]e?\s+de|[ÂâAa]ge\s*:|[Tt]urn(?:ed|s)|will\s+turn|vient\s+d['’]avoir)
    \s*:?\s*(?P<cued>{_AGE}{_AGE_UNIT}?)(?!\w|[.,]\d)
    """,
    re.VERBOSE,
)
# "Mme X (93) lives alone", "Pt, 91, lives alone": a bare age after a person.
_PERSON_BEFORE = (
    r"(?i:\b(?:mr|mrs|ms|mme|mlle|m|dr|dre|pt|patient|patiente|client|cliente|r[ée]sidente?"
    r"|madame|monsieur|x)\b\.?(?:\s+[^\W\d_][\w'’-]*)?)"
)
_BARE_AGE = re.compile(rf"{_PERSON_BEFORE}\s*(?:\((?P<paren>{_AGE})\)|,\s*(?P<comma>{_AGE})\s*,)")
# Rare phrasings, looked for only when a cheap substring test finds a hint.
_AGE_WORDS = re.compile(
    r"""(?i:\bin\s+(?:his|her|their)\s+(?:late\s+|early\s+|mid-)?nineties|\bnonag[ée]naire?|\bcentenaire?
        |\bcentenarian|\bnonagenarian|\bninety(?:-\w+)?[\s-]+years?(?:[\s-]+old)?
        |\b(?:is|aged|turned|turns)\s+(?P<spelled>ninety(?:-(?:one|two|three|four|five|six|seven|eight
            |nine))?)\b
        |\bquatre-vingt-(?:dix|onze|douze|treize|quatorze|quinze|seize|dix-sept|dix-huit|dix-neuf)\s+ans
        |\bdans\s+la\s+quatre-vingt-dizaine)""",
    re.VERBOSE,
)
_AGE_WORD_HINTS = ("ninet", "nonag", "centena", "quatre-vingt")


def find(text: str) -> Iterator[Finding]:
    for start, end in _dates(text):
        before = text[max(0, start - 32) : start]
        kind = "birth_date" if _BIRTH_CUE.search(before) else "date"
        yield finding(text, kind, start, end)
    for match in _AGES.finditer(text):
        group = "cued" if match["cued"] else 0
        yield finding(text, "age", match.start(group), match.end(group))
    for match in _BARE_AGE.finditer(text):
        group = "paren" if match["paren"] else "comma"
        yield finding(text, "age", match.start(group), match.end(group))
    lowered = text.lower()
    if any(hint in lowered for hint in _AGE_WORD_HINTS):
        for match in _AGE_WORDS.finditer(text):
            group = "spelled" if match["spelled"] else 0
            yield finding(text, "age", match.start(group), match.end(group))


def _dates(text: str) -> Iterator[tuple[int, int]]:
    if _MONTH_HINT.search(text):  # four regexes that need a month name, skipped without one
        text = _months_cased(text)
        for match in _RANGE.finditer(text):
            if not _glued(text, match.start(), "/.-"):
                yield match.span()
        for regex in (_EN_MONTH_FIRST, _FR_MONTH_FIRST):
            for match in regex.finditer(text):
                if not _glued(text, match.start(), ""):
                    yield match.span()
        for match in _DAY_FIRST.finditer(text):
            if not _glued(text, match.start(), "/.-"):
                yield match.span()
    for match in _SHORT_CUE.finditer(text):
        day, month = (int(part) for part in match["date"].split("/"))
        if (1 <= day <= 31 and 1 <= month <= 12) or (1 <= day <= 12 and 1 <= month <= 31):
            yield match.span("date")
    for match in _NUMERIC.finditer(text):
        if (
            not _glued(text, match.start(), "/.-")
            and _plausible(match.group())
            and not clinical.is_setting(text, match.start(), match.end())
        ):
            yield match.span()


_EN_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_FR_MONTH_NAMES = (
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre"
    " décembre decembre"
)
_FRENCH_MONTHS = frozenset(_FR_MONTH_NAMES.split())
# Every month name, in any case; with the abbreviations, every month word the regexes
# above know (a text with none skips them).
_MONTHS = "|".join(f"{_EN_MONTH_NAMES} {_FR_MONTH_NAMES}".split())
_ANY_MONTH = re.compile(rf"(?i:\b(?:{_MONTHS})\b)")
_MONTH_HINT = re.compile(
    rf"(?i:\b(?:{_MONTHS}"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|janv|févr|fevr|fév|fev|avr|juil|déc)\b)"
)


def _months_cased(text: str) -> str:
    """Month names in capitals or lower case ("AUGUST 10TH", "december 13th") in the form
    the regexes know: English capitalized, French in lower case. Same length."""

    def canonical(match: re.Match[str]) -> str:
        word = match.group()
        lower = word.lower()
        if lower in _FRENCH_MONTHS:
            return lower if lower in ("mars", "mai") or word.isupper() else word
        return lower.capitalize()

    if not _ANY_MONTH.search(text):
        return text
    cased = _ANY_MONTH.sub(canonical, text)
    cased = re.sub(r"(?<=\d)(ST|ND|RD|TH)\b", lambda m: m.group().lower(), cased)
    return cased if len(cased) == len(text) else text


def _glued(text: str, start: int, also: str) -> bool:
    """Whether the match starts inside a word or number ("x12-Jul", "1.2.3")."""
    return start > 0 and (text[start - 1].isalnum() or text[start - 1] in also)


def _plausible(date: str) -> bool:
    """A real day and month in some order; "7/10" scores never get here, "1.2.24" is a version."""
    first, second, third = re.split(r"[-/.]", date)
    if len(first) == 4:
        return first[:2] in ("18", "19", "20") and 1 <= int(second) <= 12 and 1 <= int(third) <= 31
    if len(first) == 3 or len(third) == 3 or ("." in date and len(third) == 2):
        return False
    day_month = 1 <= int(first) <= 31 and 1 <= int(second) <= 12
    month_day = 1 <= int(first) <= 12 and 1 <= int(second) <= 31
    return day_month or month_day
