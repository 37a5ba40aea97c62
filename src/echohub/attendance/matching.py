"""Linking the people a video platform's report names to a session's known people.

Pure Python, no database: `match_people(found, candidates)` returns one `Match`
per person of the report, in the report's order.

1. Email first. The same email (trimmed, case-insensitive) is a match at 100;
   an email that matches no one does not stop the name from being tried.
2. Then the name, against the candidates no email claimed. Names are what people
   typed into Zoom or Teams ("iPhone (Brian Smith)", "priya (she/her)",
   "Tremblay, Amélie", "Dr. A. Tremblay, RN"), so both sides are normalized first
   (`normalize_name`), then scored 0–100 (`_score`).
3. A name is trusted alone only when it is clearly the best: at least
   MATCHED_SCORE with the runner-up at least MATCHED_GAP below. From
   AMBIGUOUS_SCORE up the coordinator is offered choices; below, no one is found.
   A single word ("Priya") or initials ("A. Tremblay") are never trusted alone.
   Only people sharing a word with the name (give or take a typo) are ever
   offered: letters alike across different words ("Bethany Kowalczyk" and
   "Johnny Walker", 53) make no suggestion a coordinator would take.
4. One candidate is never given to two people of the report: the stronger claim
   wins, the others become ambiguous with that candidate among their choices (on
   a tie, the same email twice included, no one wins).

Speed: rapidfuzz's `process.cdist` needs numpy, which EchoHub does not depend on,
and scoring all 9 million pairs of 3,000 × 3,000 one by one takes seconds. So each
name is scored only against the candidates sharing a word with it, allowing one
typo per word (an index of words with one letter left out); a name that finds no
clear match that way is also compared with everyone by `process.extract` (a C
loop), so typos in every word still come up.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

# A name alone is trusted from 90: the same words give or take a typo or a middle
# name ("Brain Smith" → "Brian Smith" 91, "Amélie Marie Tremblay" → "Amélie
# Tremblay" 92). Never a first name alone, initials, or another first name with the
# same last name ("Marie Tremblay" → "Martin Tremblay"): those stop at 89.
MATCHED_SCORE = 90
# …and only when the runner-up is 8 below: "Brain Smith" between "Brian Smith" (91)
# and "Brad Smith" (86) is the coordinator's call, not ours.
MATCHED_GAP = 8
# From 70 the coordinator chooses: a first or last name alone (80 and up), initials
# (85), a typo in each word (about 82), a like first name with the same last name
# ("Jean Tremblay" → "Amélie Tremblay" 74). From 60, most people sharing just a
# first name would come too ("Brian Jones" → "Brian Smith" 64) and bury those.
AMBIGUOUS_SCORE = 70
# A name whose every word is one of the candidate's ("Priya" → "Priya Patel",
# "Tremblay" → "Amélie Tremblay") scores at least this, however long the rest.
PART_SCORE = 80
# Initials that fit a candidate ("A. Tremblay" → "Amélie Tremblay", "Amélie T."):
# worth a choice, never a match on their own.
INITIALS_SCORE = 85
# Candidates offered as choices, best first: from CHOICE_SCORE up, so an unmatched
# person keeps their nearest names for the coordinator who knows better ("Peggy
# Smith" → "Margaret Smith" 59), but not more than CHOICE_SPREAD below the best,
# which would only bury it; and only those sharing a word with the name
# (`_shares_a_word`): by letters alone, "Valérie Anderson" → "Marie Caron" is 67.
MAX_CHOICES = 5
CHOICE_SCORE = 55
CHOICE_SPREAD = 15

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
UNMATCHED = "unmatched"


@dataclass(frozen=True)
class Candidate:
    """A person the report may name: a registrant of the session, or its staff."""

    person_id: int
    name: str
    email: str


@dataclass(frozen=True)
class Found:
    """A person as the report names them: the raw display name, the email or ""."""

    name: str
    email: str


@dataclass(frozen=True)
class Match:
    """Who a found person is: `person_id` is set only when `status` is "matched".

    `confidence` is the best candidate's score (100 for an email, 0 when no one is
    near or the name is no name); `choices` are (person_id, score), best first.
    """

    found: Found
    status: str
    person_id: int | None
    confidence: int
    choices: tuple[tuple[int, int], ...]


# --- Normalizing names ---------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DEVICES = _words(
    "iphone ipad ipod android galaxy samsung pixel macbook imac chromebook laptop desktop pc "
    "tablet tablette phone cellphone cellulaire telephone ordinateur huawei oneplus xiaomi "
    "motorola"
)
# Words that may follow a device's name: "iPhone 13 Pro Max", "Galaxy Tab S8 Ultra".
_MODELS = _words("pro max mini air plus ultra lite se fe note edge fold flip tab")
_TITLES = _words("dr dre mr mrs ms mx miss mme mlle pr prof docteur docteure")
_CREDENTIALS = _words("rn rpn np md psw lpn msw phd rsw bscn msc mscn mph pharmd ccfp frcpc")
# A name made only of these words is no one's: "Zoom user", "Call-in User_2", "(Guest)".
_GENERIC = _words(
    "zoom teams webex user users utilisateur utilisatrice call in dial caller appelant "
    "guest invite invitee ext external externe unverified non verifie anonymous anonyme unknown "
    "inconnu participant participante host hote co me moi audio only room salle"
)
# In brackets only: "Priya (she/her)", "Amélie (elle)"; outside, "Elle" may be a name.
_PRONOUN_WORDS = _words(
    "she her hers he him his they them theirs ze zir xe xem il lui elle elles ils iel eux"
)

_DEVICE_ALTERNATIVES = "|".join(sorted(_DEVICES))
_PRONOUNS = re.compile(r"\b(?:she|he|they|ze|xe|il|elle|iel|ils|elles)(?:\s*/\s*[a-z]+)+\b")
_POSSESSIVE_DEVICE = re.compile(rf"'s?\s+(?=(?:{_DEVICE_ALTERNATIVES})\b)")  # Brian's iPhone
# "iPad de Marie", "iPhone 13 d'Amélie", "Galaxy of Brian": the person follows the device.
_DEVICE_OF = re.compile(rf"^(?:{_DEVICE_ALTERNATIVES})\b.*?\s(?:(?:de|du|of)\s+|d'\s*)")
_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)(?:[)\]}]|$)")
_MONSIEUR = re.compile(r"^m\.\s+(?=\S)")  # "M. Tremblay" is Monsieur; "M Tremblay" an initial
_NON_WORD = re.compile(r"[^\w\s]|_")
_DIGIT = re.compile(r"\d")
# Letters that do not decompose into a base letter and an accent (\u0131 is the
# dotless i), and the apostrophes people type.
_ONE_LETTER = str.maketrans("øłđð\u0131’\u2018`", "olddi'''")
_LETTERS: dict[int, int | str] = {**_ONE_LETTER, ord("þ"): "th", ord("æ"): "ae", ord("œ"): "oe"}


def _fold(text: str) -> str:
    """Lower case without accents: 'Marie-Ève Côté' → 'marie-eve cote'."""
    text = text.casefold().translate(_LETTERS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_credential(part: str) -> bool:
    """', RN', ', M.D.', ', RN MSW': a comma-separated tail that is only credentials."""
    words = _NON_WORD.sub(" ", part).split()
    joined = "".join(words)
    return bool(words) and (joined in _CREDENTIALS or all(w in _CREDENTIALS for w in words))


def _without_devices(words: list[str]) -> list[str]:
    """'brian smith iphone pro max' → 'brian smith'; 'iphone brian' → 'brian'."""
    end = len(words)
    while end and words[end - 1] in _MODELS:
        end -= 1
    if end and words[end - 1] in _DEVICES:
        while end and words[end - 1] in _DEVICES:
            end -= 1
        words = words[:end]
    start = 0
    while start < len(words) and words[start] in _DEVICES:
        start += 1
    if start:
        while start < len(words) and words[start] in _MODELS:
            start += 1
    return words[start:]


def _clean(text: str, *, bracketed: bool) -> tuple[str, ...]:
    """The words of one folded name, without devices, titles and credentials; () if none."""
    text = _PRONOUNS.sub(" ", text)
    text = _POSSESSIVE_DEVICE.sub(" ", text)
    text = _DEVICE_OF.sub("", text.strip(), count=1)
    parts = [p.strip() for p in re.split(r"[,;]", text)]
    while len(parts) > 1 and (not parts[-1] or _is_credential(parts[-1])):
        parts.pop()
    parts = [p for p in parts if p]
    if len(parts) == 2:
        parts.reverse()  # "Tremblay, Amélie"
    text = _MONSIEUR.sub("", " ".join(parts))
    words = _NON_WORD.sub(" ", text.replace("'", "")).split()
    # Digits are no one's name: "Brian Smith 2", "Call-in User_2", phone numbers.
    words = _without_devices([w for w in words if not _DIGIT.search(w)])
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    while len(words) > 1 and words[-1] in _CREDENTIALS:
        words.pop()
    noise = _GENERIC | _PRONOUN_WORDS if bracketed else _GENERIC
    if all(w in noise for w in words):
        return ()
    return tuple(words)


def _name_forms(name: str) -> list[tuple[str, ...]]:
    """Each way a display name may name its person, the shown name first.

    "Brian S (Brian Smith)" is Zoom's renamed person (with their account's name in
    brackets), so both are kept; "iPhone (Brian Smith)" keeps only the second, and
    "(Guest)", "(she/her)" or "(iPad)" come to nothing.
    """
    folded = _fold(name)
    inside = [m.group(1) for m in _BRACKETS.finditer(folded)]
    outside = _BRACKETS.sub(" ", folded)
    forms = [_clean(outside, bracketed=False)]
    forms += [_clean(text, bracketed=True) for text in inside]
    return list(dict.fromkeys(form for form in forms if form))


def normalize_name(name: str) -> str:
    """A comparable name, "" when it names no one (of several, the one with most words).

    'Dr. Amélie Tremblay, RN' and 'Tremblay, Amélie' → 'amelie tremblay';
    'iPhone (Brian Smith)' → 'brian smith'; 'Zoom user' and '+1 416 555 0199' → ''.
    """
    forms = _name_forms(name)
    if not forms:
        return ""
    fullest: tuple[str, ...] = max(forms, key=_full_words)
    return " ".join(fullest)


def _full_words(words: tuple[str, ...]) -> int:
    return sum(len(word) > 1 for word in words)


# --- Scoring -------------------------------------------------------------


def _initials_fit(found: tuple[str, ...], known: tuple[str, ...]) -> bool | None:
    """None when `found` is not initials; else whether `known` fits them.

    'a tremblay' and 'a m tremblay' fit 'amelie tremblay' (the first initial and a
    later word); 'amelie t' fits 'amelie tremblay' (the first word and an initial).
    """
    if len(found) < 2:
        return None
    short = [len(word) == 1 for word in found]
    if all(short[:-1]) and not short[-1]:
        return len(known) > 1 and known[0][0] == found[0] and found[-1] in known[1:]
    if not short[0] and all(short[1:]):
        return len(known) > 1 and known[0] == found[0] and known[-1][0] == found[1]
    return None


def _score(found: tuple[str, ...], known: tuple[str, ...]) -> int:
    """How alike two normalized names are, 0–100.

    The mean of token_sort_ratio (every word counts, in any order: a missing word
    costs) and token_set_ratio (words common to both count in full: a middle name
    more costs nothing). token_set alone would give "priya" → "priya patel" 100;
    token_sort alone would give "amelie marie tremblay" → "amelie tremblay" 83.

    Being character-based, both reward a long shared last name: "marie tremblay" →
    "martin tremblay" is 90. So a score that high also needs every word of the
    shorter name in the other, give or take one typo (`_same_words`).
    """
    a, b = " ".join(found), " ".join(known)
    if a != b:
        fits = _initials_fit(found, known)
        if fits is not None:
            return INITIALS_SCORE if fits else min(_fuzzy(a, b), AMBIGUOUS_SCORE - 1)
    score = _fuzzy(a, b)
    if set(found) <= set(known):
        score = max(score, PART_SCORE)  # "ana" → "ana konstantinopoulou" is 62 by letters
    if len(found) == 1 or (score >= MATCHED_SCORE and not _same_words(found, known)):
        score = min(score, MATCHED_SCORE - 1)  # never enough alone
    return score


def _fuzzy(a: str, b: str) -> int:
    return round((fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2)


def _same_words(found: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Each word of the shorter name is in the other, or one typo from it (5+ letters).

    'brain smith' and 'brian smith' are; 'jules roy' and 'julie roy', 'lea roy' and
    'leo roy' are not: short names a letter apart are other people.
    """
    if "".join(found) == "".join(known):
        return True  # "marieeve cote", "marie eve cote"
    fewer, more = sorted((found, known), key=len)
    return all(
        word in more or (len(word) >= 5 and any(_one_typo(word, other) for other in more))
        for word in fewer
    )


def _shares_a_word(found: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """A word of one name is in the other, one typo from it (5+ letters), or they are one
    name written joined ("marieeve cote"); initials count by their full word only."""
    if "".join(found) == "".join(known):
        return True
    return any(
        word in known or (len(word) >= 5 and any(_one_typo(word, other) for other in known))
        for word in found
        if len(word) > 1
    )


def _one_typo(a: str, b: str) -> bool:
    """A letter wrong, missing or extra, or two swapped."""
    return OSA.distance(a, b, score_cutoff=1) <= 1


def _typo_keys(word: str) -> set[str]:
    """The word and, from 4 letters, the word with any one letter left out.

    Two words one typo apart share a key: 'brian' and 'brain' both give 'bran'.
    """
    keys = {word}
    if len(word) >= 4:
        keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return keys


class _Known:
    """The candidates no email claimed and with a name: normalized, indexed by word."""

    def __init__(self, candidates: Sequence[Candidate], claimed: set[int]) -> None:
        self.people: list[Candidate] = []
        self.names: list[tuple[str, ...]] = []
        self.by_word: defaultdict[str, list[int]] = defaultdict(list)
        for candidate in candidates:
            forms = _name_forms(candidate.name)
            if candidate.person_id in claimed or not forms:
                continue
            for word in set(forms[0]):
                self.by_word[word].append(len(self.people))
            self.people.append(candidate)
            self.names.append(forms[0])
        self.texts = [" ".join(words) for words in self.names]
        # token_sort_ratio is fuzz.ratio of the words sorted: sorted once, here.
        self.sorted_texts = [" ".join(sorted(words)) for words in self.names]
        self.by_sorted_text: defaultdict[str, list[int]] = defaultdict(list)
        for column, sorted_text in enumerate(self.sorted_texts):
            self.by_sorted_text[sorted_text].append(column)
        self.words = [frozenset(words) for words in self.names]
        self.by_typo: defaultdict[str, set[str]] = defaultdict(set)
        for word in self.by_word:
            for key in _typo_keys(word):
                self.by_typo[key].add(word)
        self.neighbours: dict[str, set[str]] = {}

    def scores(self, forms: Sequence[tuple[str, ...]]) -> dict[int, int]:
        """The candidates that may be offered, with their best score against any form."""
        best: dict[int, int] = {}
        near = [self._near(form) for form in forms]
        for form, columns in zip(forms, near, strict=True):
            self._score_near(form, columns, best)
        if max(best.values(), default=0) < MATCHED_SCORE:
            for form, columns in zip(forms, near, strict=True):
                self._score_alike(form, columns, best)
        return best

    def _near(self, form: tuple[str, ...]) -> list[int]:
        """Everyone with a word of the name, give or take a typo."""
        columns: set[int] = set()
        for word in form:
            if word not in self.neighbours:
                keys = _typo_keys(word)
                self.neighbours[word] = set().union(*(self.by_typo.get(k, ()) for k in keys))
            for neighbour in self.neighbours[word]:
                columns.update(self.by_word[neighbour])
        return sorted(columns)

    def _score_near(self, form: tuple[str, ...], near: list[int], best: dict[int, int]) -> None:
        """Score in full those near ones that may be offered.

        A hundred people may share a first name, and full scores cost, so: the
        likeliest (the same words, or the best token_sort_ratio) is scored first and sets the bar
        (`_offered_from`); since token_set_ratio is at most 100, only those with
        token_sort_ratio ≥ 2 × bar - 101 can reach it (one C loop finds them), and
        their token_set_ratio (another C loop) says which really do.
        """
        if not near:
            return
        if _initials_fit(form, ()) is not None:  # rare, and scored by their own rule
            for column in near:
                _keep(best, column, _score(form, self.names[column]))
            return
        query, text = " ".join(sorted(form)), " ".join(form)
        choices = [self.sorted_texts[column] for column in near]
        same = self.by_sorted_text.get(query)
        if same is None:
            likeliest = process.extractOne(query, choices, scorer=fuzz.ratio)
            same = [near[likeliest[2]]] if likeliest is not None else []
        for column in same:
            _keep(best, column, _score(form, self.names[column]))
        bar = _offered_from(max(best.values(), default=0))
        by_sort = process.extract(
            query, choices, scorer=fuzz.ratio, score_cutoff=max(0, 2 * bar - 101), limit=None
        )
        sort_ratio = {near[position]: ratio for _text, ratio, position in by_sort}
        columns = list(sort_ratio)
        by_set = process.extract(
            text,
            [self.texts[column] for column in columns],
            scorer=fuzz.token_set_ratio,
            limit=None,
        )
        for _text, set_ratio, position in by_set:
            column = columns[position]
            if (sort_ratio[column] + set_ratio) / 2 >= bar - 0.5:  # 84.5 may round to 85
                _keep(best, column, _score(form, self.names[column]))
        if bar <= PART_SCORE:  # all their words in theirs: offered, whatever the letters say
            for column in set.intersection(*(set(self.by_word.get(w, ())) for w in form)):
                _keep(best, column, _score(form, self.names[column]))

    def _score_alike(self, form: tuple[str, ...], near: list[int], best: dict[int, int]) -> None:
        """Score everyone else whose whole name is alike letter by letter.

        Sharing no word, their token_set_ratio is their token_sort_ratio: a name
        with a typo in each word ("brain smiht") is found here, one C loop over all.
        """
        skip = set(near)
        alike = process.extract(
            " ".join(sorted(form)),
            self.sorted_texts,
            scorer=fuzz.ratio,
            score_cutoff=_offered_from(max(best.values(), default=0)),
            limit=None,
        )
        for _text, _ratio, column in alike:
            if column not in skip:
                _keep(best, column, _score(form, self.names[column]))


def _keep(best: dict[int, int], column: int, score: int) -> None:
    best[column] = max(best.get(column, 0), score)


def _offered_from(best: int) -> int:
    """The lowest score offered as a choice beside the best one."""
    return max(CHOICE_SCORE, best - CHOICE_SPREAD)


# --- Matching ------------------------------------------------------------


def _email_key(email: str) -> str:
    return email.strip().casefold()


def _by_name(person: Found, known: _Known) -> Match:
    """A proposal from the name alone: "matched" here may still lose its candidate."""
    forms = _name_forms(person.name)
    scores = known.scores(forms) if forms else {}
    columns = sorted(
        (
            column
            for column in scores
            if any(_shares_a_word(form, known.names[column]) for form in forms)
        ),
        key=lambda column: (-scores[column], column),
    )
    ranked = [(known.people[column].person_id, scores[column]) for column in columns]
    best = ranked[0][1] if ranked else 0
    offered = _offered_from(best)
    choices = tuple((pid, score) for pid, score in ranked[:MAX_CHOICES] if score >= offered)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if best >= MATCHED_SCORE and best - runner_up >= MATCHED_GAP:
        return Match(person, MATCHED, ranked[0][0], best, choices)
    status = AMBIGUOUS if best >= AMBIGUOUS_SCORE else UNMATCHED
    return Match(person, status, None, best, choices)


def _one_each(matches: list[Match]) -> list[Match]:
    """Two claims on one candidate: the stronger keeps it; on a tie, no one does."""
    claims: defaultdict[int, list[int]] = defaultdict(list)
    for index, match in enumerate(matches):
        if match.person_id is not None:
            claims[match.person_id].append(index)
    settled = list(matches)
    for indexes in claims.values():
        strongest = max(matches[i].confidence for i in indexes)
        winners = [i for i in indexes if matches[i].confidence == strongest]
        for index in indexes:
            if len(winners) > 1 or index != winners[0]:
                match = matches[index]
                settled[index] = Match(
                    match.found, AMBIGUOUS, None, match.confidence, match.choices
                )
    return settled


def match_people(
    found: Sequence[Found],
    candidates: Sequence[Candidate],
    *,
    email_only: Sequence[Candidate] = (),
    progress: Callable[[int], None] | None = None,
    every: int = 500,
) -> list[Match]:
    """Who each person of the report is, in the report's order.

    `email_only` are people found by their email alone and never offered for a name:
    accounts that did not register, which only the report's own email may bring in.
    `progress`, if given, is told how many have been looked at, every `every` of them.
    """
    by_email: dict[str, int] = {}
    for candidate in (*candidates, *email_only):
        by_email.setdefault(_email_key(candidate.email), candidate.person_id)
    by_email.pop("", None)
    emailed: list[Match | None] = []
    for person in found:
        pid = by_email.get(_email_key(person.email))
        emailed.append(None if pid is None else Match(person, MATCHED, pid, 100, ((pid, 100),)))
    claimed = {m.person_id for m in emailed if m is not None and m.person_id is not None}
    known = _Known(candidates, claimed)
    proposals = []
    for done, (person, match) in enumerate(zip(found, emailed, strict=True), start=1):
        proposals.append(match if match is not None else _by_name(person, known))
        if progress is not None and done % every == 0:
            progress(done)
    return _one_each(proposals)
