"""Words as the search sees them: unaccented, lower-cased, stemmed in English and French.

Everything here is pure Python and the same on both engines:

- `normalize` takes the accents off and lower-cases ("Dyspnée" → "dyspnee"), so
  neither engine needs PostgreSQL's unaccent extension: the index stores an
  unaccented copy and queries are unaccented the same way.
- `stems` gives a word's Snowball stems in English and in French (the same
  algorithms PostgreSQL's `english` and `french` configurations use), through
  the pure-Python `snowballstemmer`. SQLite's FTS5 has no French stemmer, so on
  SQLite the index stores these stems (`index_terms`) and a query word matches
  either of its stems; on PostgreSQL the database stems the unaccented text.
- `parse_query` turns what a person typed into terms and never fails: quotes,
  stars, parentheses and operators are dropped, `-word` excludes a word, stop
  words of either language are ignored (as PostgreSQL's configurations ignore
  them), and the number and length of terms are bounded.
- `highlight` and `snippet` mark matching words with <mark> in the original
  text (HTML-escaped otherwise), by the same stems, so both engines highlight
  alike.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]  # ships no type information
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString

# Letters and digits; "_" separates words, as in FTS5's tokenizer and PostgreSQL's parser.
WORD = re.compile(r"[^\W_]+")
MAX_QUERY = 500  # characters of a query that are read
MAX_TERMS = 10
MAX_EXCLUDED = 5
MAX_WORD = 60
SNIPPET_CHARS = 240
SNIPPET_LEAD = 60

# Letters that Unicode does not decompose but French writes every day ("œdème").
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})

# PostgreSQL's english.stop and french.stop, unaccented: words that say nothing
# about a document. A query ignores them on both engines, so that "pain at home"
# finds the same documents on SQLite as on PostgreSQL (which drops "at" itself).
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
"""
_FRENCH_STOP = """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me meme mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l a m n s t y ete etee etees etes etant etante etants
    etantes suis es est sommes sont serai seras sera serons serez seront serais serait
    serions seriez seraient etais etait etions etiez etaient fus fut fumes futes furent sois
    soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eumes eutes eurent
    aie aies ait ayons ayez aient eusse eusses eussions eussiez eussent
"""
STOP_WORDS = frozenset(_ENGLISH_STOP.split() + _FRENCH_STOP.split())

_local = threading.local()  # Snowball stemmer objects keep state: one pair per thread


def _stemmers() -> tuple[Any, Any]:
    pair = getattr(_local, "stemmers", None)
    if pair is None:
        pair = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("french"))
        _local.stemmers = pair
    return pair


def normalize(text: str) -> str:
    """Unaccented and lower-cased: "Dyspnée, Œdème" → "dyspnee, oedeme"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=100_000)
def stems(word: str) -> tuple[str, ...]:
    """The English and French stems of a normalized word (one if they agree)."""
    english, french = _stemmers()
    en, fr = english.stemWord(word), french.stemWord(word)
    return (en,) if en == fr else (en, fr)


@lru_cache(maxsize=100_000)
def _word_stems(raw: str) -> tuple[str, ...]:
    """Stems of a word as written in a text (accents, capitals); () for a stop word."""
    word = normalize(raw)
    return () if word in STOP_WORDS else stems(word)


def index_terms(text: str) -> str:
    """What SQLite's FTS5 indexes: the stems of every word but the stop words."""
    return " ".join(stem for raw in WORD.findall(text) for stem in _word_stems(raw))


@dataclass(frozen=True)
class Term:
    word: str  # normalized, as PostgreSQL is given it
    stems: tuple[str, ...]  # as SQLite's index holds it


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]
    excluded: tuple[Term, ...]

    @property
    def stems(self) -> frozenset[str]:
        """Every stem a matching word may have: what the highlighting marks."""
        return frozenset(stem for term in self.terms for stem in term.stems)

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> Query:
    """Terms to find and terms to exclude ("-word"); everything else people type is dropped.

    A query of nothing but stop words, punctuation or exclusions has no terms
    and reads as an empty query.
    """
    terms: dict[str, Term] = {}
    excluded: dict[str, Term] = {}
    for chunk in (text or "")[:MAX_QUERY].split():
        negative = chunk.lstrip("\"'(*+").startswith("-")
        for word in WORD.findall(normalize(chunk)):
            if word in STOP_WORDS or len(word) > MAX_WORD:
                continue  # a longer "word" is no word anyone looks for
            found = excluded if negative else terms
            found.setdefault(word, Term(word, stems(word)))
    excluded_terms = tuple(t for w, t in excluded.items() if w not in terms)
    return Query(tuple(terms.values())[:MAX_TERMS], excluded_terms[:MAX_EXCLUDED])


def _matches(text: str, wanted: frozenset[str]) -> Iterator[re.Match[str]]:
    for match in WORD.finditer(text):
        if not wanted.isdisjoint(_word_stems(match.group())):
            yield match


def _marked(text: str, matches: Sequence[re.Match[str]], start: int, end: int) -> SafeString:
    """text[start:end] escaped, each match in <mark>."""
    pairs: list[tuple[str, str]] = []
    at = start
    for match in matches:
        pairs.append((text[at : match.start()], match.group()))
        at = match.end()
    return format_html_join("", "{}<mark>{}</mark>", pairs) + escape(text[at:end])


def highlight(text: str, wanted: frozenset[str]) -> SafeString:
    """The whole text, escaped, with the words whose stems are wanted in <mark>."""
    return _marked(text, list(_matches(text, wanted)) if wanted else [], 0, len(text))


def _window(text: str, first: int) -> tuple[int, int]:
    """About SNIPPET_CHARS around a position, cut between words."""
    start = max(0, first - SNIPPET_LEAD)
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 else 0
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def snippet(texts: Sequence[str], wanted: frozenset[str]) -> SafeString:
    """A short passage around the first match in the first text that has one, marked;
    without a match, the start of the first non-empty text."""
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    for text in texts:
        first = next(_matches(text, wanted), None) if wanted else None
        if first is None:
            continue
        start, end = _window(text, first.start())
        inside = [m for m in _matches(text[:end], wanted) if m.start() >= start]
        return _ellipsis(start > 0, _marked(text, inside, start, end), end < len(text))
    if not texts:
        return SafeString("")
    text = texts[0]
    start, end = _window(text, 0)
    return _ellipsis(False, escape(text[:end]), end < len(text))


def _ellipsis(before: bool, passage: SafeString, after: bool) -> SafeString:
    return SafeString(("… " if before else "") + passage + (" …" if after else ""))
