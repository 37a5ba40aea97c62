"""Linking the people of a report to known people: by email, then by name.

Names in reports are what people typed into Zoom or Teams: "iPhone (Brian
Smith)", "priya (she/her)", "Tremblay, Amélie", "Dr. A. Tremblay, RN". Each is
normalized (accents, case, devices, pronouns, titles, credentials, "Last,
First") and scored against every candidate with rapidfuzz, all at once
(`process.extract`, a C loop), so 3,000 × 3,000 takes well under a second.

A name alone is trusted only when it is clearly the best: a score of at least
MATCHED with the runner-up at least GAP below, or the very same name (100) when
no one else has it. Anything from AMBIGUOUS up is
offered to the coordinator to choose; below, it is not found. A first name alone
is never matched automatically, and one registrant is never given to two people
of the report: the weaker claim becomes a choice.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MATCHED = 90
GAP = 8
AMBIGUOUS = 60
CHOICES = 5


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    email: str


@dataclass(frozen=True)
class Found:
    name: str
    email: str


@dataclass(frozen=True)
class Match:
    found: Found
    status: str  # matched, ambiguous or unmatched
    person_id: int | None
    confidence: int
    choices: tuple[tuple[int, int], ...]


_DEVICE = re.compile(
    r"\b(iphone|ipad|android|galaxy\s*\w*|pixel\s*\w*|samsung\s*\w*|macbook\w*|laptop|"
    r"desktop|pc|ordinateur|portable|tablette|telephone|phone)\b",
    re.IGNORECASE,
)
_PRONOUNS = re.compile(r"\((?:she|he|they|elle|il|iel|ze)\s*/\s*\w+\)", re.IGNORECASE)
_TITLES = {"dr", "dre", "mr", "mrs", "ms", "mme", "m", "pr", "prof", "mx"}
_CREDENTIALS = {
    "rn", "rpn", "np", "md", "psw", "lpn", "msw", "rsw", "phd", "bsn", "msn", "ccfp", "frcpc",
    "inf", "iaa", "pharmd", "rph", "ot", "pt", "ma", "bsc", "msc", "ext",
}  # fmt: skip
_GENERIC = re.compile(
    r"^(zoom user|call[- ]?in user[\s_\d]*|guest|invite|invitee|utilisateur zoom|"
    r"iphone|ipad|android|galaxy.*|pixel.*|unknown|inconnu)$",
    re.IGNORECASE,
)
_PHONE = re.compile(r"^[+\d\s().-]{7,}$")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def normalize_name(name: str) -> str:
    """A comparable form: 'iPhone (Dr. Amélie Tremblay, RN)' → 'amelie tremblay'; '' if no name."""
    text = _PRONOUNS.sub(" ", name.strip())
    # "iPhone (Brian Smith)" / "Brian (Brian Smith)": the bracketed name is the person's.
    bracket = re.search(r"\(([^()]*)\)", text)
    outside = re.sub(r"\([^()]*\)", " ", text).strip()
    if bracket and (
        not outside or _DEVICE.fullmatch(outside.strip()) or re.match(r"^\d+_", outside)
    ):
        text = bracket.group(1)
    else:
        text = outside or (bracket.group(1) if bracket else "")
    text = re.sub(r"^\d+_", "", text.strip())  # "015_Loki": a numbering prefix
    text = re.sub(r"(?i)'s\s+(iphone|ipad|android|phone|laptop)\b", " ", text)
    text = re.sub(r"(?i)\b(iphone|ipad|android|telephone|tablette|portable)\s+de\s+", " ", text)
    text = _DEVICE.sub(" ", text)
    text = _ascii(text).casefold()
    if "," in text:
        last, _comma, rest = text.partition(",")
        rest_words = [w for w in re.split(r"[\s.]+", rest) if w]
        if rest_words and all(w.strip(".") in _CREDENTIALS for w in rest_words):
            text = last  # "Amélie Tremblay, RN"
        else:
            text = f"{rest} {last}"  # "Tremblay, Amélie"
    words = [w for w in re.split(r"[^a-z0-9']+", text.replace("-", " ")) if w]
    while words and words[0].strip(".") in _TITLES:
        words.pop(0)
    while words and words[-1] in _CREDENTIALS:
        words.pop()
    cleaned = " ".join(words)
    if not cleaned or _GENERIC.match(cleaned) or _PHONE.match(name.strip()):
        return ""
    return cleaned


def _initials_bonus(found: str, candidate: str) -> int:
    """'a tremblay' against 'amelie tremblay': same last name, first initial agrees."""
    f, c = found.split(), candidate.split()
    if len(f) >= 2 and len(c) >= 2 and f[-1] == c[-1] and len(f[0]) == 1 and c[0].startswith(f[0]):
        return 85
    return 0


def match_people(found: Sequence[Found], candidates: Sequence[Candidate]) -> list[Match]:
    by_email = {c.email.strip().casefold(): c for c in candidates if c.email.strip()}
    results: list[Match | None] = [None] * len(found)
    claimed: set[int] = set()
    for index, person in enumerate(found):
        candidate = by_email.get(person.email.strip().casefold()) if person.email.strip() else None
        if candidate is not None and candidate.person_id not in claimed:
            claimed.add(candidate.person_id)
            results[index] = Match(
                person, "matched", candidate.person_id, 100, ((candidate.person_id, 100),)
            )
    pool = [c for c in candidates if c.person_id not in claimed]
    pool_names = [normalize_name(c.name) for c in pool]
    by_last: dict[str, list[int]] = {}
    by_word: dict[str, set[int]] = {}
    for col, pool_name in enumerate(pool_names):
        if pool_name:
            by_last.setdefault(pool_name.split()[-1], []).append(col)
            for word in pool_name.split():
                by_word.setdefault(word, set()).add(col)
    proposals: list[tuple[int, int, int, list[tuple[int, int]]]] = []  # score, index, pid, choices
    for index, result in enumerate(results):
        if result is not None:
            continue
        name = normalize_name(found[index].name)
        if not name or not pool:
            results[index] = Match(found[index], "unmatched", None, 0, ())
            continue
        # Candidates sharing a word of the name are scored first (fast); a name that
        # shares none (typos everywhere) is scored against everyone.
        near = set().union(*(by_word.get(word, set()) for word in name.split()))
        cols = sorted(near) if near else range(len(pool))
        scored = {
            cols[position] if near else position: int(score)
            for _choice, score, position in process.extract(
                name,
                [pool_names[col] for col in cols] if near else pool_names,
                scorer=fuzz.token_sort_ratio,
                limit=CHOICES + 1,
                score_cutoff=AMBIGUOUS,
                processor=None,
            )
        }
        for col in by_last.get(name.split()[-1], []):
            scored[col] = max(scored.get(col, 0), _initials_bonus(name, pool_names[col]))
        ranked = sorted(
            ((score, pool[col].person_id) for col, score in scored.items()), reverse=True
        )
        choices = [(pid, score) for score, pid in ranked[:CHOICES] if score >= AMBIGUOUS]
        if not choices:
            results[index] = Match(found[index], "unmatched", None, 0, ())
            continue
        best_score, best_pid = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0
        one_word = len(name.split()) == 1
        clear = best_score - runner_up >= GAP or (best_score == 100 and runner_up < 100)
        if best_score >= MATCHED and clear and not one_word:
            proposals.append((best_score, index, best_pid, choices))
        else:
            results[index] = Match(found[index], "ambiguous", None, best_score, tuple(choices))
    # The best claim on a registrant wins it; weaker claims are left to choose.
    for score, index, pid, choices in sorted(proposals, reverse=True):
        if pid in claimed:
            results[index] = Match(found[index], "ambiguous", None, score, tuple(choices))
        else:
            claimed.add(pid)
            results[index] = Match(found[index], "matched", pid, score, tuple(choices))
    return [r for r in results if r is not None]
