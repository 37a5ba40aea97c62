"""Ways to reach someone: email and web addresses, IP addresses, postal codes, street addresses."""

import ipaddress
import re
from collections.abc import Iterator

from . import clinical
from .findings import Finding, finding

_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Trailing punctuation belongs to the sentence, not to the address.
_URL = re.compile(r"(?<![\w@/])(?:(?i:https?://|www\.))[^\s<>\"'()\[\]]+")
# Bare domains only with the endings people in Canada meet; lower case only, so
# that an abbreviation missing its space ("rest.Ca") is not a web address.
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:ca|com|org|net|gov|edu|info|io|health|quebec|fr)(?:/[^\s<>\"'()\[\]]*)?(?![\w@-])"
)
_TRAILING = ".,;:!?»"
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?!\w|\.\d)"
)
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
# Canada Post never uses D, F, I, O, Q or U, nor W and Z as the first letter.
_POSTAL = re.compile(
    r"(?<!\w)[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d(?!\w)",
    re.IGNORECASE,
)
# Tumour staging (T2N0M0) and obstetric history (G3P2A1) have the postal code's shape.
_NOT_POSTAL = re.compile(r"[Tt][0-4XxIi][Nn][0-3Xx][Mm][01Xx]|[Gg]\d[Pp]\d[Aa]\d")

# "apt 4, ", "unit B - ", "#203-", "12-": what may come before the street number.
_UNIT = r"""(?:
    (?:(?i:apt|apartment|app|appt|appartement|unit|suite|logement|bureau|room|chambre)\.?\s*\#?\s*
      (?:\d{1,5}[A-Za-z]?|[A-Za-z])(?:,|\s*[-–])?\s+)
    |\#\s?\d{1,5}\s*[-–]\s*|\d{1,5}\s*-\s*(?=\d))?"""
_EN_TYPES = r"""(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Crescent|Cres
    |Court|Ct|Place|Pl|Way|Terrace|Circle|Cir|Highway|Hwy|Trail|Trl|Parkway|Pkwy|Square|Sq|Gate|Concession
    |Sideroad|Close|Grove|Heights|Hts|Row|Walk|Point|Landing|Mews|Gardens)"""
_EN_ADDRESS = re.compile(
    rf"""(?<![\w-]){_UNIT}\d{{1,6}}[A-Za-z]?,?[ ]
    (?:[A-ZÀ-Ý][a-zà-ÿ'’.][\w'’.-]*[ ]|\d{{1,3}}(?:st|nd|rd|th)[ ]){{1,4}}{_EN_TYPES}\b\.?
    (?:[ ](?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b\.?)?""",
    re.VERBOSE,
)
_FR_TYPES = r"""(?i:rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|route|rang|place|mont[ée]e
    |c[ôo]te|all[ée]e|impasse|promenade|croissant|terrasse|carr[ée]|autoroute|ruelle|quai|sentier
    |rond-point)"""
_PARTICLE = r"(?:de[ ]la[ ]|de[ ]l['’]|du[ ]|des[ ]|de[ ]|d['’]|la[ ]|le[ ]|l['’])"
_FR_ADDRESS = re.compile(
    rf"""(?<![\w-]){_UNIT}\d{{1,6}}[A-Za-z]?,?[ ]{_FR_TYPES}[ ]{_PARTICLE}?
    [A-ZÀ-Ý0-9][\w'’-]*(?:\.(?=[ ][A-ZÀ-Ý]))?(?:[ ]{_PARTICLE}?[A-ZÀ-Ý][\w'’-]*)*""",
    re.VERBOSE,
)
_BOX = re.compile(
    r"(?<!\w)(?:P\.?\s?O\.?\s?Box|(?i:post\s+office\s+box|case\s+postale)|C\.P\.|CP(?=\s*\d)|Box)"
    r"\s*\#?\s*\d{1,6}(?!\w)"
)
_RURAL_ROUTE = re.compile(r"(?<!\w)(?:R\.R\.|RR)\s?\#?\s?\d{1,2}(?!\w|[.,]\d)")
# "RR 18" among vital signs is a respiratory rate, not a rural route.
_VITALS_BEFORE = re.compile(
    r"\b(?:HR|BP|SpO2|SaO2|O2|Sat|sats|T|Temp|pulse|FC|TA|vitals|signes vitaux|GCS)\b",
)
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+")
_VITALS_AFTER = re.compile(r"\s*(?:/\s*min|(?i:breaths|bpm|rpm|resp)|,?\s*(?:SpO2|Sat|HR|BP|T\b))")


# What introduces an address, in any case: "lives at", "ADDRESS", "domicile :".
_ADDRESS_CUE = (
    r"(?i:\b(?:lives\s+at|living\s+at|resides\s+at|home\s+at|moved\s+to|previously\s+at"
    r"|address|adresse|ancienne\s+adresse|domicile|habite(?:\s+au|\s+à)?|demeure(?:\s+au)?"
    r"|r[ée]side(?:\s+au)?)\b)[\s:,]*"
)
_ANY_TYPE = (
    r"(?i:street|st|avenue|ave|av|road|rd|boulevard|blvd|boul|bd|drive|lane|ln|crescent|cres"
    r"|terrace|highway|hwy|trail|parkway|pkwy|rue|chemin|ch|route|rang|mont[ée]e|c[ôo]te"
    r"|all[ée]e|impasse|promenade|croissant)"
)
_DIRECTION = r"(?i:north|south|east|west|nord|sud|est|ouest|n|s|e|w|o|ne|nw|se|sw|no|so)"
_UNIT_AFTER = r"(?i:apt|apartment|app|appt|appartement|unit|unité|suite|bureau|logement|\#)"
# After a cue, in any case: "LIVES AT 616 HILL ST NE", "adresse: 179 rue Cox, app. 35".
_CUED_ADDRESS = re.compile(
    rf"""{_ADDRESS_CUE}(?P<address>\d{{1,6}}[A-Za-z]?,?\s
    (?:(?:{_ANY_TYPE}\.?\s(?:[^\W\d_][\w'’.-]*\s?){{1,3}})
      |(?:(?:[^\W\d_][\w'’.-]*\s){{1,3}}{_ANY_TYPE}\b\.?))
    (?:\s?{_DIRECTION}\b\.?)?
    (?:,?\s{_UNIT_AFTER}\.?\s?\#?\d{{1,5}}[A-Za-z]?\b)?)""",
    re.VERBOSE,
)
# The European order after a cue: "chemin Chauveau 34", "Finkeallee 64", "via Roma 12".
_CUED_EUROPEAN = re.compile(
    rf"""{_ADDRESS_CUE}(?P<address>(?:[^\W\d_][\w'’.-]*\s){{0,3}}
    (?:[^\W\d_]*(?i:allee|stra(?:ss|ß)e|weg|platz|gasse|ring|damm)|(?:[^\W\d_][\w'’.-]*))
    \s\d{{1,4}}[a-z]?)(?=[\s.,;]|$)""",
    re.VERBOSE,
)
_DIRECTION_STOP = re.compile(r" [NSEOWnseow]\. ")
_STREET_WORD = re.compile(
    rf"(?i:\b(?:{_ANY_TYPE}|via|viale|piazza|piazzale|contrada|strada|rotonda|canale|stretto"
    r"|incrocio|borgo|vicolo|corso|largo|calle|avenida|rua|travessa|ulica|aleja|plac|place|quai"
    r"|square)\b"
    r"|allee\b|stra(?:ss|ß)e\b|str\.|weg\b|platz\b|gasse\b|ring\b|damm\b|ufer\b)"
)


def find(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield finding(text, "email", match.start(), match.end())
    for regex in (_URL, _BARE_DOMAIN):
        for match in regex.finditer(text):
            end = match.start() + len(match.group().rstrip(_TRAILING))
            yield finding(text, "url", match.start(), end)
    for match in _IPV4.finditer(text):
        yield finding(text, "ip", match.start(), match.end())
    for match in _IPV6.finditer(text):
        if _is_ipv6(match.group()):
            yield finding(text, "ip", match.start(), match.end())
    for match in _POSTAL.finditer(text):
        if not _NOT_POSTAL.fullmatch(match.group()):
            yield finding(text, "postal_code", match.start(), match.end())
    yield from _addresses(text)
    at = 0
    while cued := _CUED_ADDRESS.search(text, at):
        # "733 rue Williams N. Adresse: 348 rue…": a direction letter and a dot end the
        # address, and the next cue is looked for from there.
        address = _until_direction(cued.group("address"))
        end = cued.start("address") + len(address.rstrip(". "))
        yield finding(text, "address", cued.start("address"), end)
        at = end
    for match in _CUED_EUROPEAN.finditer(text):
        if _STREET_WORD.search(match.group("address")):
            yield finding(text, "address", match.start("address"), match.end("address"))


def _until_direction(address: str) -> str:
    """The address up to a direction letter and its dot: "733 rue Williams N. Adresse"
    ends at the N."""
    stop = _DIRECTION_STOP.search(address)
    return address[: stop.start() + 2] if stop else address


def _is_ipv6(candidate: str) -> bool:
    # Times ("14:30:00") have the shape of a short IPv6; ask for "::" or all 8 groups.
    if "::" not in candidate and candidate.count(":") != 7:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return sum(1 for group in candidate.split(":") if group) >= 2


def _addresses(text: str) -> Iterator[Finding]:
    for regex in (_EN_ADDRESS, _FR_ADDRESS, _BOX):
        for match in regex.finditer(text):
            # A full stop after the address ends the sentence ("…rue Saint-Denis."), and
            # after a direction too ("733 rue Mike N. Adresse: …" stops at the N).
            end = match.start() + len(_until_direction(match.group()).rstrip("."))
            yield finding(text, "address", match.start(), end)
    for match in _RURAL_ROUTE.finditer(text):
        # Only the same sentence counts: "… O2 2 L/min. Adresse : R.R. 9" is an address.
        before = _SENTENCE_BREAK.split(text[max(0, match.start() - 40) : match.start()])[-1]
        if _VITALS_BEFORE.search(before) or _VITALS_AFTER.match(text, match.end()):
            continue
        if clinical.among_vitals(text, match.start(), match.end()):
            continue
        yield finding(text, "address", match.start(), match.end())
