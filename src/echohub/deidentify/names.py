"""People's names, found three ways, from the most to the least certain:

1. after a title or a role: "Mme Gisèle Tremblay", "Dr. Okafor", "her daughter Sarah";
2. as "Last, First" when the last name is a known surname (or the first name a
   known given name, away from the start of a sentence): "Tremblay, Marie";
3. as two to four capitalized words in a row, one of them a known given name or
   surname: "Marie Tremblay", "Jean-François Côté", "Ryan O'Brien".

The known names are the lists shipped in `echohub/deidentify/names/`. A third list
there, `not_names.txt`, holds capitalized words that are never names in case
text (eponyms, drugs, places, institutions, scales, months, and the words that
open sentences, so that "Today Marie" is not a pair): a word on it breaks a run
of capitalized words unless it is also on a name list, and then it still cannot
make a run a name on its own ("Victoria Hospice"). A lone given name ("Marie
visited") is not flagged: precision matters as much as recall here.
"""

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

from .findings import Finding, finding

# Only capitalized words and the lower-case cue words matter, so only they are
# tokens: letters joined by apostrophes and hyphens (O'Brien, Marie-Ève,
# St-Pierre, Parkinson's), not glued to a unit ("g/L"); whether the first letter
# is really a capital is checked in Python, the character class being wider.
_CAPITALIZED_WORD = re.compile(
    r"(?<![\w'’/-])[A-ZÀ-ÖØ-ÞĀ-ž][^\W\d_]*(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*"
)
_POSSESSIVE = re.compile(r"['’]s$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles take any capitalized word after them; the dot is optional except for
# French "M." (a bare "M" is too often a unit or a sex).
_TITLES = _words(
    """
    Mr Mrs Ms Miss Mx Dr Dre Drs Prof Pr Mme Mmes Mlle Madame Monsieur Mademoiselle Sir Rev
    Fr Father Sister Soeur Sœur Abbé Pasteur Pastor Rabbi Imam
    """
)
_LOWER_TITLES = _words("madame monsieur mademoiselle dr dre")
_DOT_TITLES = frozenset({"M"})
# Roles introduce a name only when a capitalized word follows directly (or
# after a comma or colon): "her son Paul", "sa fille, Josée,".
_ROLES = _words(
    """
    patient patiente pt client cliente resident résident résidente wife husband spouse partner
    son daughter mother father sister brother niece nephew grandson granddaughter
    grandmother grandfather stepson stepdaughter stepmother stepfather aunt uncle cousin
    friend neighbour neighbor caregiver roommate fiancé fiancée fille fils mère père épouse
    époux conjoint conjointe sœur soeur frère nièce neveu petite-fille petit-fils
    grand-mère grand-père belle-fille beau-fils belle-mère beau-père belle-sœur beau-frère
    tante oncle cousine ami amie voisin voisine aidant aidante mari femme compagnon
    compagne usager usagère bénéficiaire
    """
)
_LOWER_CUES = _ROLES | _LOWER_TITLES
_CUE_WORD = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(sorted(_LOWER_CUES, key=len, reverse=True)) + r")(?![\w'’-])"
)
# English "son" is a role; French "son" is "his/her" and must not count.
_SON_BEFORE = re.compile(
    r"(?i:\b(?:her|his|their|the|a|an|eldest|oldest|youngest|younger|older|only|adult|estranged"
    r"|step|middle|twin|patient['’]s|client['’]s)\s+)$"
)
# Between a title and a name, or inside a name after a title: "M. de Grandpré".
_PARTICLE = (
    r"(?:de la|de l['’]|de|du|des|van der|van den|van|von|der|den|di|da|del|della|dos|le|la)"
)
_TITLE_GAP = re.compile(rf"\.?\s+(?:(?P<particle>{_PARTICLE})\s+)?")
_NAME_GAP = re.compile(rf" (?:{_PARTICLE} )?")
# Words that, next to a name, make it the name of a place of care.
_INSTITUTIONS = _words(
    """
    hospital hospice centre center health healthcare cancer clinic lodge manor home house
    residence pavilion institute foundation university college school memorial hôpital
    maison pavillon résidence clinique institut fondation université chsld clsc hôtel-dieu
    villa place court gardens care pharmacy pharmacie
    """
)
# "Plan B. Marie came": a letter after these words names a thing, not a person.
_LETTER_TERM = re.compile(
    r"(?i:\b(?:plan|vitamin|vitamine|hepatitis|hépatite|type|grade|stage|stade|class|classe|group"
    r"|groupe|level|niveau|zone|wing|unit|unité|ward|room|bed|lit|block|phase|part|section|annex"
    r"|option|schedule|factor|facteur|influenza|aile))\s$"
)
_GIVEN_IN_BRACKETS = re.compile(r" ?\(([A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[A-ZÀ-ÖØ-Þ][^\W\d_]+)?)\)")
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’-]*) $")
_WORD_AFTER = re.compile(r" ([^\W\d_][\w'’-]*)")


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    base: str  # without a possessive "'s"


@cache
def _load(filename: str) -> frozenset[str]:
    source = resources.files("echohub.deidentify").joinpath("names", filename)
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def given_names() -> frozenset[str]:
    return _load("given_names.txt")


def surnames() -> frozenset[str]:
    return _load("surnames.txt")


def not_names() -> frozenset[str]:
    return _load("not_names.txt")


def find(text: str) -> Iterator[Finding]:
    tokens = _tokens(text)
    used: set[int] = set()
    for name in (
        *_after_cues(text, tokens, used),
        *_last_first(text, tokens, used),
        *_runs(text, tokens, used),
    ):
        yield _with_given_name_after(text, name)


def _with_given_name_after(text: str, name: Finding) -> Finding:
    """ "Smith (Ethel)", "M. Lavoie (Jean-Pierre)": the given name in brackets is part of it."""
    bracket = _GIVEN_IN_BRACKETS.match(text, name.end)
    if bracket and bracket.group(1) not in not_names():
        return finding(text, "name", name.start, bracket.end())
    return name


def _tokens(text: str) -> list[_Token]:
    found = {
        match.start(): _Token(match.start(), match.end(), match.group(), "")
        for regex in (_CAPITALIZED_WORD, _CUE_WORD)
        for match in regex.finditer(text)
    }
    return [
        token._replace(base=_POSSESSIVE.sub("", token.text))
        for _, token in sorted(found.items())
        if token.text[0].isupper() or token.text in _LOWER_CUES
    ]


# --- What a word is ---------------------------------------------------------------


def _is_given(word: str) -> bool:
    names = given_names()
    return word in names or ("-" in word and all(part in names for part in word.split("-")))


def _is_surname(word: str) -> bool:
    names = surnames()
    if word.isupper():
        word = word.title()
    return word in names or ("-" in word and all(part in names for part in word.split("-")))


def _is_known(word: str) -> bool:
    return _is_given(word) or _is_surname(word)


def _anchors(token: _Token) -> bool:
    """A known name that can make a run of capitalized words a name ("Victoria" cannot)."""
    return len(token.text) > 1 and _is_known(token.base) and token.base not in not_names()


def _capitalized(token: _Token, text: str) -> bool:
    """ "Tremblay", "McLeod", "Marie-Ève"; not "ESAS", "SpO2", "French-speaking" nor "X"."""
    word = token.base
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    if token.end < len(text) and text[token.end].isdigit():
        return False
    return all(part[:1].isupper() for part in word.split("-"))


def _is_cue(token: _Token) -> bool:
    return token.text in _TITLES or token.text.lower() in _ROLES


def _blocked(token: _Token) -> bool:
    word = token.base
    if _is_known(word):
        return False
    return word in not_names() or word.split("-")[0] in not_names() or _is_cue(token)


def _name_word(token: _Token, text: str, after_title: bool = False) -> bool:
    """A capitalized word that may be part of a name; after a title, even "Dr. Parkinson"."""
    if after_title:
        return _capitalized(token, text) and not _is_cue(token)
    return _capitalized(token, text) and not _blocked(token)


def _gap(text: str, left: _Token, right: _Token) -> str:
    return text[left.end : right.start]


def _sentence_start(text: str, token: _Token) -> bool:
    before = text[max(0, token.start - 8) : token.start].rstrip(' "«“(\u00a0')
    return (token.start < 8 and not before) or before[-1:] in (".", "!", "?", ";", "\n")


def _names_a_place(text: str, start: int, end: int) -> bool:
    """ "Joseph Brant Hospital", "pharmacie Jean Coutu": a place named after someone."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    after = _WORD_AFTER.match(text, end)
    return any(word and word.group(1).lower() in _INSTITUTIONS for word in (before, after))


# --- Runs of name words -------------------------------------------------------------


def _collect(
    text: str, tokens: list[_Token], index: int, particles: bool = False, after_title: bool = False
) -> int:
    """The index after the longest run of name words (at most 4) that starts at `index`.

    Initials ("Marie J. Tremblay") come along; a possessive ends the run.
    """
    end, count = index, 0
    while end < len(tokens) and count < 4:
        token = tokens[end]
        if end > index:
            gap = _gap(text, tokens[end - 1], token)
            initial_before = len(tokens[end - 1].text) == 1 and gap == ". "
            if not (gap == " " or initial_before or (particles and _NAME_GAP.fullmatch(gap))):
                break
        if _is_initial(text, token) and not (end == index and token.text in _DOT_TITLES):
            end += 1
            continue
        if not _name_word(token, text, after_title):
            break
        end += 1
        count += 1
        if token.base != token.text:
            break
    while end > index and not _name_word(tokens[end - 1], text, after_title):
        end -= 1
    return end


def _is_initial(text: str, token: _Token) -> bool:
    return len(token.text) == 1 and token.text.isupper() and text.startswith(". ", token.end)


def _span(text: str, tokens: list[_Token], first: int, last: int) -> Finding:
    end = tokens[last].start + len(tokens[last].base)
    return finding(text, "name", tokens[first].start, end)


def _after_cues(text: str, tokens: list[_Token], used: set[int]) -> Iterator[Finding]:
    for index, token in enumerate(tokens[:-1]):
        gap = _gap(text, token, tokens[index + 1])
        title = _is_title(token, gap)
        particle = None
        if title:
            title_gap = _TITLE_GAP.fullmatch(gap)
            if not title_gap and gap != "":
                continue
            particle = title_gap and title_gap.start("particle") >= 0 and title_gap
        elif _is_role(text, token):
            if gap.strip() not in ("", ",", ":", "(", "-", "–") or "\n" in gap:
                continue
        else:
            continue
        end = _collect(text, tokens, index + 1, particles=True, after_title=title)
        end = _then_first_name(text, tokens, index + 1, end)
        if end > index + 1 and not _names_a_place(
            text, tokens[index + 1].start, tokens[end - 1].end
        ):
            used.update(range(index + 1, end))
            name = _span(text, tokens, index + 1, end - 1)
            if particle:  # "M. de Grandpré": the particle belongs to the name
                name = finding(text, "name", token.end + particle.start("particle"), name.end)
            yield name


def _is_title(token: _Token, gap: str) -> bool:
    if token.text in _DOT_TITLES:
        return gap.startswith(".")
    return token.text in _TITLES or token.text in _LOWER_TITLES


def _is_role(text: str, token: _Token) -> bool:
    word = token.text.lower()
    if word not in _ROLES:
        return False
    # "Indigenous Patient Navigator", "Resident Physician": a capital inside a sentence makes
    # the role word part of a title-cased name of a service or a job.
    if token.text[0].isupper() and not _sentence_start(text, token):
        before = text[max(0, token.start - 2) : token.start]
        if not before.endswith((": ", "\n", "(")):
            return False
    if word == "son":
        return bool(_SON_BEFORE.search(text, max(0, token.start - 20), token.start))
    return True


def _then_first_name(text: str, tokens: list[_Token], first: int, end: int) -> int:
    """ "Patient: Tremblay, Marie": a last name after a cue may be followed by the first name."""
    if end != first + 1 or end >= len(tokens) or _gap(text, tokens[first], tokens[end]) != ", ":
        return end
    if _name_word(tokens[end], text) and (
        _is_surname(tokens[first].base) or _is_given(tokens[end].base)
    ):
        return _collect(text, tokens, end)
    return end


def _last_first(text: str, tokens: list[_Token], used: set[int]) -> Iterator[Finding]:
    for index in range(len(tokens) - 1):
        last, first = tokens[index], tokens[index + 1]
        if index in used or index + 1 in used or _gap(text, last, first) != ", ":
            continue
        if not _name_word(first, text) or last.base != last.text:
            continue
        # "TREMBLAY, Marie", "WILCOX, Ryan": a surname in capitals, as forms write it.
        upper_surname = (
            last.text.isupper()
            and len(last.text) > 1
            and (_is_surname(last.text) or _is_given(first.base))
        )
        if not (upper_surname or _name_word(last, text)):
            continue
        known_last = _is_surname(last.text)
        if not known_last and not (_is_given(first.base) and not _sentence_start(text, last)):
            continue
        end = _collect(text, tokens, index + 1)
        used.update(range(index, end))
        if not _names_a_place(text, last.start, tokens[end - 1].end):
            yield _span(text, tokens, index, end - 1)


def _runs(text: str, tokens: list[_Token], used: set[int]) -> Iterator[Finding]:
    index = 0
    while index < len(tokens):
        # A run starts on a name word, or on an initial before one ("J. Smith").
        starts = _name_word(tokens[index], text) or (
            _is_initial(text, tokens[index])
            and tokens[index].text not in _DOT_TITLES
            and not _LETTER_TERM.search(text, max(0, tokens[index].start - 16), tokens[index].start)
            and index + 1 < len(tokens)
            and _name_word(tokens[index + 1], text)
        )
        if index in used or not starts:
            index += 1
            continue
        end = _with_upper_surname(text, tokens, _collect(text, tokens, index))
        run = tokens[index:end]
        if (
            len(run) >= 2
            and not used.intersection(range(index, end))
            and any(_anchors(token) for token in run)
            and not _names_a_place(text, run[0].start, run[-1].end)
        ):
            used.update(range(index, end))
            yield _span(text, tokens, index, end - 1)
        index = max(end, index + 1)


def _with_upper_surname(text: str, tokens: list[_Token], end: int) -> int:
    """ "Marie TREMBLAY": a known surname in capitals may close a run."""
    if (
        0 < end < len(tokens)
        and _gap(text, tokens[end - 1], tokens[end]) == " "
        and tokens[end].text.isupper()
        and len(tokens[end].text) > 1
        and _is_surname(tokens[end].text)
    ):
        return end + 1
    return end
