"""People's names, found three ways, from the most to the least certain:

1. after a title or a role: "Mme Gisèle Tremblay", "Dr. Okafor", "her daughter Sarah";
2. as "Last, First" when the last name is a known surname (or the first name a
   known given name, away from the start of a sentence): "Tremblay, Marie";
3. as two to four capitalized words in a row, one of them a known given name or
   surname: "Marie Tremblay", "Jean-François Côté", "Ryan O'Brien";

and, for what clinicians type, on a same-length copy of the text where sentences
written all in capitals or all in lower case are recased ("DR JONES", "spoke w
mrs o'neil": `_recase`), and among children listed in brackets ("(Luc, Ana)").

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
    Fr Father Sister Soeur Sœur Abbé Pasteur Pastor Rabbi Imam Docteur Docteure Doctor
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
    compagne usager usagère bénéficiaire nurse infirmière infirmier
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
# "her eldest daughter Sophie", "sa fille aînée Josée": a word between a role and a name.
_ADJECTIVE_GAP = re.compile(
    r"\s+(?i:aînée?|ainee?|cadette?|benjamine?|eldest|oldest|youngest|younger|older|elder|adult"
    r"|only|other|autre|late|défunte?|second|deuxième|middle|twin|jumelle?)\s+"
)
_NAME_AFTER = re.compile(r" [A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]")
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
    yield from _find_cased(text)
    # Notes typed in capitals or in lower case: the same search on a copy where
    # only the words that may be names are capitalized (same length, same offsets).
    recased = _recase(text)
    if recased != text:
        for name in _find_cased(recased):
            yield finding(text, "name", name.start, name.end)
    yield from _listed_children(text)
    yield from _before_person_verb(text)


def _find_cased(text: str) -> Iterator[Finding]:
    tokens = _tokens(text)
    used: set[int] = set()
    for name in (
        *_after_cues(text, tokens, used),
        *_after_contact(text, tokens, used),
        *_last_first(text, tokens, used),
        *_runs(text, tokens, used),
    ):
        yield _with_given_name_after(text, name)


# --- Capitals and lower case ---------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
# Titles and roles as the finder knows them, whatever case they were typed in.
_CUE_FORMS = {word.lower(): word for word in _TITLES} | {word: word for word in _ROLES}
_CUE_FORMS |= {f"{word}.": f"{form}." for word, form in list(_CUE_FORMS.items())}
_CUE_FORMS["m."] = "M."
# Words that end what follows a cue: the small words of both languages and the
# words notes are made of.
_STOP = _words(
    """
    a an and the of to in on at by for with w re about is was are be will has had have
    visits visited visit called calls came comes signed says said lives today tonight
    this that who which et le la les de des du un une au aux en à a est sont vit visite
    ce cet cette matin soir aujourd'hui pour avec par sur qui
    """
)


def _shape(word: str) -> str:
    if len(word.strip(".'’-")) < 2:
        return "other"
    if word.isupper():
        return "upper"
    if word.islower():
        return "lower"
    return "mixed"


def _title(word: str) -> str:
    titled = "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))
    return titled if len(titled) == len(word) else word


_BREAK = re.compile(r"[.!?;\n]+")
# "spoke w Jones", "seen by", "parlé avec": in notes typed in one case, who follows is a person.
_CONTACT_BEFORE = frozenset(
    {
        ("spoke", "w"),
        ("spoke", "with"),
        ("talked", "to"),
        ("talked", "with"),
        ("seen", "by"),
        ("called", "by"),
        ("visited", "by"),
        ("vu", "par"),
        ("vue", "par"),
        ("parlé", "avec"),
        ("appel", "de"),
        ("visite", "de"),
    }
)


def _sentences(text: str) -> Iterator[str]:
    """The text cut after each sentence end, but not after a title ("MR. BRITO", "dr. da")."""
    start = 0
    for stop in _BREAK.finditer(text):
        before = text[start : stop.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        # "MR. BRITO", "J. Smith" go on; "Braden 9." ends the sentence.
        if stop.group() == "." and (word in _CUE_FORMS or (len(word) == 1 and word.isalpha())):
            continue
        yield text[start : stop.end()]
        start = stop.end()
    if start < len(text):
        yield text[start:]


def _recase(text: str) -> str:
    """The text with only what may be a name capitalized, sentence by sentence.

    A sentence typed all in capitals, or in lower case from its first word (chat
    style), is rewritten: titles and roles take the form the finder knows, up to
    two words after a title or role and every known given name or surname are
    capitalized, and every other word goes to lower case. In an ordinary sentence
    only the words in capitals are looked at ("patient JOHN SMITH", "DR JONES"):
    there a lower-case word is never a name. Same length, same offsets.
    """
    recased = "".join(_recase_sentence(sentence) for sentence in _sentences(text))
    return recased if len(recased) == len(text) else text


def _mode(words: list[str]) -> str:
    if len(words) < 2:
        return "mixed"
    if words.count("upper") >= 0.7 * len(words):
        return "upper"
    if words[0] == "lower" and words.count("lower") >= 0.9 * len(words):
        return "lower"
    return "mixed"


def _recase_sentence(sentence: str) -> str:
    matches = list(_WORD.finditer(sentence))
    shapes = [_shape(match.group()) for match in matches]
    uniform = _mode([shape for shape in shapes if shape != "other"]) != "mixed"
    if not uniform and all(
        shape != "upper" or match.group().rstrip(".") in _ACRONYMS
        for match, shape in zip(matches, shapes, strict=True)
    ):
        # An ordinary sentence with no word in capitals but the usual acronyms ("PPS", "RR"):
        # nothing to do.
        return sentence
    out: list[str] = []
    last = 0
    after_cue = 0
    previous: list[str] = ["", ""]  # the two words before, in lower case
    unknown_before: int | None = None  # where an unknown word was lowered, in `out`
    for match, shape in zip(matches, shapes, strict=True):
        word = match.group()
        lower = word.lower()
        bare = lower.rstrip(".")
        pair = (previous[1], bare)
        previous = [previous[1], bare]
        if uniform and pair in _CONTACT_BEFORE:
            after_cue = 2
            continue
        if uniform and lower == "m.":  # "vu par m. renaud": too short for a shape, still a title
            out += [sentence[last : match.start()], "M."]
            last = match.end()
            after_cue, unknown_before = 2, None
            continue
        if shape not in ("upper", "lower") or (not uniform and shape == "lower"):
            # "Pt LAETITIA BROWN": a role in its usual case still announces a name in capitals.
            after_cue = 2 if shape == "mixed" and lower in _CUE_FORMS else 0
            unknown_before = None
            continue
        cue = _CUE_FORMS.get(lower) or (
            _CUE_FORMS[bare] + word[len(bare) :] if bare in _CUE_FORMS else None
        )
        is_title = cue is not None and (cue.rstrip(".") in _TITLES or cue in ("M.", "nurse"))
        if cue is not None and (uniform or is_title):
            replacement = cue if len(cue) == len(word) else word
            after_cue = 2
        elif (
            after_cue
            and bare not in _STOP
            and not _blocked_word(word)
            and (uniform or not _acronym(word))
        ):
            replacement = _title(word)
            after_cue -= 1
        else:
            titled = _title(word.rstrip("."))
            known = _is_known(titled) and titled not in not_names() and bare not in _STOP
            replacement = _title(word) if known else (lower if uniform else word)
            # A known given name may be followed by a surname no list knows ("frédéric
            # gunpf"), and a known surname preceded by a given name none knows ("fredo vachon").
            after_cue = 1 if known and _is_given(titled) else 0
            if known and _is_surname(titled) and unknown_before is not None:
                out[unknown_before] = _title(out[unknown_before])
        out.append(sentence[last : match.start()])
        out.append(replacement)
        ordinary = replacement == lower and bare not in _STOP and not _blocked_word(word)
        unknown_before = len(out) - 1 if ordinary and uniform else None
        last = match.end()
    out.append(sentence[last:])
    return "".join(out)


# Acronyms that follow "patient" or "son" in ordinary sentences: "Patient ID 99812",
# "Son NAS 046-454-286".
_ACRONYMS = _words(
    """
    ID NAS SIN MRN HCN PHN OHIP RAMQ NAM IPN EMPI URN DOB DDN ULI MSP MSI MCP RR HR BP GCS
    PPS ESAS CAM RASS PRN SC PO IV NP MD RN RPN PSW ER ED ICU USI CHSLD CLSC
    """
)


def _acronym(word: str) -> bool:
    return word.rstrip(".") in _ACRONYMS or len(word.rstrip(".")) < 3


def _blocked_word(word: str) -> bool:
    """A word after a cue that is not a name: a clinical term or a word on not_names."""
    titled = _title(word.rstrip("."))
    return titled in not_names() and not _is_known(titled)


# "Lucio Makulec signed the consent.", "AMARA VILLEGAS A SIGNÉ LE CONSENTEMENT": two or
# three words opening a sentence, then what only a person does, in any case.
_PERSON_VERB = re.compile(
    r"(?:^|(?<=[.!?;:\n])[ \t]*)(?P<name>[^\W\d_]+(?:['’-][^\W\d_]+)*"
    r"(?:[ \t][^\W\d_]+(?:['’-][^\W\d_]+)*){1,2})[ \t]+"
    r"(?i:called|phoned|signed|consented|refused|declined|agreed|asked|wants|wishes|will\s+come"
    r"|came\s+in|stopped\s+by|dropped\s+by|a\s+appel[ée]|a\s+t[ée]l[ée]phon[ée]|a\s+sign[ée]"
    r"|a\s+refus[ée]|a\s+accept[ée]|a\s+demand[ée]|souhaite|viendra|est\s+pass[ée]e?)\b",
    re.MULTILINE,
)
# Words that open such a sentence without being a person: services, teams, shifts.
_NOT_A_PERSON = _words(
    """
    lab labs laboratory physio physiotherapy ot rt pharmacy pharmacist night day evening
    morning shift team pain wound home care social work worker chaplain spiritual dietitian
    dietician nutrition radiology oncology palliative hospice ems paramedic paramedics
    ambulance ccac lhin clsc hcc service services office clinic unit ward er icu family
    everyone nobody someone they she he it we i you who patient pt resident client
    équipe pharmacien pharmacienne travailleuse travailleur sociale soins palliatifs
    domicile urgence famille labo inhalothérapeute ergothérapeute physiothérapeute
    nutritionniste personne quelqu'un elle il ils elles on nous je la le les l'équipe
    md np rn rpn psw gp doctor physician surgeon specialist consultant coroner
    manager coordinator navigator coordinatrice coordonnateur gestionnaire intervenant
    intervenante hospital hôpital staff agency agence supplier visitor visitors
    his her their our your my its both all some several two three mon ma mes sa ses son
    leur leurs daughters sons children kids members friends neighbours neighbors brothers
    sisters parents grandchildren relatives enfants filles fils amis voisins proches
    """
)


def _before_person_verb(text: str) -> Iterator[Finding]:
    for match in _PERSON_VERB.finditer(text):
        words = match["name"].split()
        if any(
            word.lower() in _NOT_A_PERSON
            or word.lower() in _STOP
            or word.lower() in _CUE_FORMS
            or _blocked_word(word)
            for word in words
        ):
            continue
        yield finding(text, "name", match.start("name"), match.end("name"))


# "Has two children (Luc, Ana)", "A deux enfants (Luc et Ana)": each is a given name.
_CHILDREN = re.compile(
    r"(?i:\b(?:children|kids|grandchildren|sons|daughters|enfants|petits-enfants|filles)\b)"
    r"[^()\n.]{0,24}\(([^()\n]{2,80})\)"
)
_LISTED = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _listed_children(text: str) -> Iterator[Finding]:
    for match in _CHILDREN.finditer(text):
        for word in _LISTED.finditer(match.group(1)):
            if word.group().lower() in ("and", "et", "age", "ans", "years", "yo"):
                continue
            start = match.start(1) + word.start()
            yield finding(text, "name", start, start + len(word.group()))


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
            if (
                gap.strip() not in ("", ",", ":", "(", "-", "–")
                and not _ADJECTIVE_GAP.fullmatch(gap)
            ) or "\n" in gap:
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


# "spoke w/ Rayaan Serrato", "vu par Pasqual Larocque": whom the writer spoke with or
# was seen by is a person (a title or role there is left to `_after_cues`).
_CONTACT = re.compile(
    r"(?i:\b(?:"
    + "|".join(rf"{verb}\s+{word}" for verb, word in sorted(_CONTACT_BEFORE))
    + r"))/?[ \t]+"
)


def _after_contact(text: str, tokens: list[_Token], used: set[int]) -> Iterator[Finding]:
    at: dict[int, int] = {}
    for match in _CONTACT.finditer(text):
        at = at or {token.start: index for index, token in enumerate(tokens)}
        index = at.get(match.end())
        if index is None or index in used or _is_cue(tokens[index]):
            continue
        end = _collect(text, tokens, index, particles=True)
        if end > index and not _names_a_place(text, tokens[index].start, tokens[end - 1].end):
            used.update(range(index, end))
            yield _span(text, tokens, index, end - 1)


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
        # "her son Paul"; or "Son Marc visits daily" opening a sentence (French "son"
        # is "his/her", and a capitalized word never follows it directly).
        return bool(_SON_BEFORE.search(text, max(0, token.start - 20), token.start)) or (
            _sentence_start(text, token) and bool(_NAME_AFTER.match(text, token.end))
        )
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
