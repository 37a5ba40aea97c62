"""Searching: one box over the library and, for program members, the case library.

`search(user, text, filters)` reads the index (`SearchEntry`) only, scoped to
what this person may see: public resources for everyone, signed-in ones for
anyone with an account, members-only ones for the members of their program,
everything of a hub for those who manage it, cases of the case library for
the members of the case's program (`echohub.cases.permissions.library_cases`),
and what apps above this one index by their own rule (`VISIBILITY_RULES`: the
discussion threads, for those who may read their space).

- PostgreSQL: each word becomes plainto_tsquery('english', w) ||
  plainto_tsquery('french', w); the words are AND-ed (`-word` excluded), so a
  query may mix languages; `vector @@ query` uses the GIN index and
  `ts_rank_cd` ranks (titles weigh A, the rest B).
- SQLite: the same shape as an FTS5 MATCH over the stems ("word" is
  ("en-stem" OR "fr-stem")), ranked by bm25() with titles weighing 10.

Both start from the same parsed query (`text.parse_query`), which never fails,
and both highlight in Python by the same stems. A query with no words to look
for (empty, punctuation only, stop words only) lists the newest resources and
cases that match the filters; transcript lines only show up as matches.

A common word is said in thousands of transcript lines, and ranking or counting
them all is what would make a search slow (bench/search.py: 100,000 documents).
So every matching resource and case is ranked, but of the transcript lines only
the RANKED_LINES most recently indexed; and the count stops at COUNT_LIMIT
(`SearchPage.capped`: "1,000+ results"). One query returns the page and the count.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import and_
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from echohub.accounts.models import User
from echohub.bilingual import LANGS, pick
from echohub.cases.permissions import library_cases, member_programs
from echohub.library.models import Resource
from echohub.library.search.entry import CASE_VISIBILITY, SearchEntry
from echohub.library.search.text import Query, Term, highlight, parse_query, snippet
from echohub.network.permissions import managed_hubs
from echohub.programs.models import Program

Visibility = Resource.Visibility
Source = SearchEntry.Source
FTS_TABLE = "library_searchfts"
MAX_LIMIT = 100
# Counting stops here ("1,000+ results"): an exact count of a common word's
# 20,000 matches is what a search page would spend most of its time on.
COUNT_LIMIT = 1000
# Transcript lines ranked per query, the most recently indexed first; one more
# than is counted, so that the number of candidates tells whether there are more.
RANKED_LINES = COUNT_LIMIT + 1
# The FTS5 table's columns that hold words (it also indexes `source`, to find one kind).
FTS_TEXT = ("title_terms", "body_terms")
# bm25 weights of the FTS5 columns (title_terms, body_terms, source): a title match
# outranks the text, and the source looked for adds nothing.
FTS_WEIGHTS = (10.0, 1.0, 0.0)
# What is ranked whole (every match), unlike transcript lines (the newest only).
DOCUMENTS = (Source.RESOURCE, Source.CASE, Source.THREAD)
# Who finds the rows of apps above this one (each given the person and the programs
# they are a member of), registered in those apps' AppConfig.ready().
VISIBILITY_RULES: list[Callable[[User, list[int]], Q]] = []
SHOWN = (
    "source",
    "resource_id",
    "case_id",
    "kind",
    "key",
    "start_ms",
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "body",
    "language",
)


@dataclass(frozen=True)
class Filters:
    """What a search may be narrowed to; each one left at None does not narrow it."""

    kind: str | None = None  # a Resource.Kind, or "case"
    topic: str | None = None  # reference.Topic code
    profession: str | None = None  # reference.Profession code
    setting: str | None = None  # reference.PracticeSetting code
    program: str | None = None  # programs.Program slug
    language: str | None = None  # "en" or "fr" (resources in both languages match either)
    since: dt.date | None = None  # created (or, for a case, sent) on or after this day
    until: dt.date | None = None  # … on or before this day (the reader's time zone)


@dataclass(frozen=True)
class Hit:
    title: str  # in the reader's language, else the other one (a LocalizedText: .lang)
    title_html: SafeString  # the title, escaped, matched words in <mark>
    snippet: SafeString  # a passage, escaped, matched words in <mark>
    # The language a transcript line was said in ("" when unknown or both): the page marks it.
    snippet_lang: str
    url: str  # a transcript line's URL goes to its moment: ?t=<seconds>#t<seconds>
    kind: str  # a Resource.Kind, or "case"
    source: str  # "resource", "transcript" or "case"
    start_ms: int | None
    resource_id: int | None
    case_id: int | None
    rank: float  # higher is better; 0 when listing without a query


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # exact, up to COUNT_LIMIT
    capped: bool = False  # more than `total` match: say "1,000+"


def search(
    user: User | AnonymousUser,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """The hits of one page, best first (newest first without a query), and their number."""
    query = parse_query(text)
    limit, offset = max(0, min(limit, MAX_LIMIT)), max(0, offset)
    entries = _filtered(SearchEntry.objects.filter(_visible(user)), filters or Filters())
    order = ("-created_at", "-id")
    if not query:
        entries = entries.filter(source__in=DOCUMENTS)
        rows = list(entries.order_by(*order).values(*SHOWN)[offset : offset + limit])
        if len(rows) < limit and (rows or not offset):
            counted = offset + len(rows)  # a page that is not full is its own count
        else:
            counted = entries.values("id")[: COUNT_LIMIT + 1].count()
    else:
        # Every matching resource and case is ranked, but only the most recently
        # indexed transcript lines: a common word is said in thousands of them.
        documents = _ranked(entries.filter(source__in=DOCUMENTS), query)
        lines = _ranked(entries.filter(source=Source.TRANSCRIPT), query, newest_first=True)
        columns = (*SHOWN, "created_at", "id", "rank")
        rows, counted = _page_of(
            documents.order_by().values(*columns),
            lines.values(*columns),
            offset,
            limit,
        )
    addresses = _Addresses()
    hits = [_hit(row, query, addresses) for row in rows]
    return SearchPage(hits, min(counted, COUNT_LIMIT), counted > COUNT_LIMIT)


def _page_of(
    documents: QuerySet[SearchEntry, dict[str, Any]],
    lines: QuerySet[SearchEntry, dict[str, Any]],
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of the candidates (the documents and the newest lines), best first, and
    how many there are: in one query.

    Their number is the total while it is under COUNT_LIMIT: up to RANKED_LINES
    transcript lines are candidates, and RANKED_LINES is above COUNT_LIMIT. (Django
    cannot join a sliced query to another with UNION on SQLite: the SQL is put
    together here, from the two queries' own.)
    """
    documents_sql, documents_params = documents.query.sql_with_params()
    lines_sql, lines_params = lines.query.sql_with_params()
    name = connection.ops.quote_name
    rank, created, pk, total = name("rank"), name("created_at"), name("id"), name("total")
    candidates = (
        f"SELECT * FROM ({documents_sql}) AS {name('documents')} "  # noqa: S608
        f"UNION ALL SELECT * FROM ({lines_sql}) AS {name('lines')}"
    )
    params = [*documents_params, *lines_params]
    # Column names are constants; every value is a parameter.
    paged = (
        f"SELECT *, COUNT(*) OVER () AS {total} FROM ({candidates}) AS {name('candidates')} "  # noqa: S608
        f"ORDER BY {rank} DESC, {created} DESC, {pk} DESC LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(paged, [*params, limit, offset])
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if rows:
            return rows, int(rows[0]["total"])
        cursor.execute(f"SELECT COUNT(*) FROM ({candidates}) AS {name('candidates')}", params)  # noqa: S608
        return rows, int(cursor.fetchone()[0])


def _ranked(
    entries: QuerySet[SearchEntry], query: Query, *, newest_first: bool = False
) -> QuerySet[SearchEntry]:
    """Those of these entries that match, with their `rank` (higher is better on both
    engines): all of them in no order or, with `newest_first`, the RANKED_LINES most
    recently indexed, newest first. Either way only those are ranked.

    On SQLite, the FTS5 table is joined to the entries (bm25() needs it in the same
    SELECT; Django cannot model a virtual table). For the documents it is told the
    sources wanted, so that it skips from one document to the next over the lines
    between them; the lines are nine in ten entries, so asking it for them would
    only read that long list (4 ms): it reads its matches newest first (its own
    rowid order, backwards, stopping early, where sorting by the entries' id would
    rank and sort every match) and the entries' `source` keeps the lines.
    PostgreSQL, asked for the newest ranked, ranks every match before it sorts:
    the newest are picked first, then ranked.
    """
    if connection.vendor == "postgresql":
        tsquery = _tsquery(query)
        rank = SearchRank(F("vector"), tsquery, cover_density=True)
        if not newest_first:
            return entries.filter(vector=tsquery).annotate(rank=rank)
        newest = entries.filter(vector=tsquery).order_by("-id").values("id")[:RANKED_LINES]
        return entries.filter(id__in=newest).annotate(rank=rank).order_by("-id")
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    sources = () if newest_first else DOCUMENTS
    # Constant SQL; what was typed goes in as a parameter only.
    found = entries.extra(  # noqa: S610
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = library_searchentry.id", f"{FTS_TABLE} MATCH %s"],
        params=[_fts_query(query, sources)],
        # bm25() is lower for better matches: negated, so that higher is better.
        select={"rank": f"-bm25({FTS_TABLE}, {weights})"},
        order_by=[f"-{FTS_TABLE}.rowid"] if newest_first else [],
    )
    return found[:RANKED_LINES] if newest_first else found


def _visible(user: User | AnonymousUser) -> Q:
    """What this person may find (the rules of echohub.library.permissions, on the index)."""
    if not user.is_authenticated:
        return Q(visibility=Visibility.PUBLIC)
    # Plain id lists, unordered: each is one small query, and the search's own query
    # stays free of the permission subqueries.
    members = list(member_programs(user).order_by().values_list("pk", flat=True))
    hubs = list(managed_hubs(user).order_by().values_list("pk", flat=True))
    visible = Q(visibility__in=(Visibility.PUBLIC, Visibility.SIGNED_IN))
    if members:
        visible |= Q(visibility=Visibility.MEMBERS, program_id__in=members)
        # The case library's own rule decides, not only the index's copy of it: the
        # same rule as library_cases(user), on the member programs just read.
        cases = list(
            library_cases(user)
            .filter(program_id__in=members)
            .order_by()
            .values_list("pk", flat=True)
        )
        visible |= Q(visibility=CASE_VISIBILITY, case_id__in=cases)
    # What apps above this one index, by their own rules (the discussion spaces').
    for rule in VISIBILITY_RULES:
        visible |= rule(user, members)
    if hubs:
        visible |= Q(hub_id__in=hubs) & ~Q(visibility=CASE_VISIBILITY)
    return visible


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(entries: QuerySet[SearchEntry], filters: Filters) -> QuerySet[SearchEntry]:
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    audiences: list[tuple[Any, str, str | None]] = [
        (Resource.topics.through, "topic_id", filters.topic),
        (Resource.professions.through, "profession_id", filters.profession),
        (Resource.practice_settings.through, "practicesetting_id", filters.setting),
    ]
    for through, column, code in audiences:
        if code:
            filed = through.objects.filter(resource_id=OuterRef("resource_id"), **{column: code})
            entries = entries.filter(Exists(filed))
    if filters.program:
        program = Program.objects.filter(slug=filters.program).values("pk")
        entries = entries.filter(program_id__in=program)
    if filters.language:
        entries = entries.filter(language__in=(filters.language, Resource.Language.BOTH))
    if filters.since:
        entries = entries.filter(created_at__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(created_at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return entries


def _word(term: Term, config: str) -> SearchQuery:
    return SearchQuery(term.word, config=config, search_type="plain")


def _tsquery(query: Query) -> SearchQuery:
    """(en(w1) || fr(w1)) && (en(w2) || fr(w2)) && !!en(x) && !!fr(x) …"""
    found = reduce(and_, (_word(t, "english") | _word(t, "french") for t in query.terms))
    for term in query.excluded:
        found &= ~_word(term, "english") & ~_word(term, "french")
    return found


def _fts_query(query: Query, sources: tuple[str, ...] = ()) -> str:
    """The FTS5 MATCH expression: every stem quoted, so nothing typed is read as syntax;
    the words looked for in the two text columns only, and, if `sources` are named,
    only entries of those (an indexed column, weighed 0)."""

    def either(term: Term) -> str:
        return "(" + " OR ".join(f'"{stem}"' for stem in term.stems) + ")"

    found = " AND ".join(either(term) for term in query.terms)
    if query.excluded:
        found = f"({found}) NOT ({' OR '.join(either(term) for term in query.excluded)})"
    found = f"{{{' '.join(FTS_TEXT)}}} : ({found})"
    return f"{found} AND source : ({' OR '.join(sources)})" if sources else found


class _Addresses:
    """What `get_absolute_url()` gives for a resource and a case, reversed once per search."""

    KEY = "__key__"

    def __init__(self) -> None:
        self.resource = reverse("library:resource", kwargs={"key": self.KEY})
        self.case = reverse("cases:detail", kwargs={"public_id": self.KEY})
        unlikely = 987654321  # an id no thread has, replaced by the key
        self.thread = reverse("community:thread", kwargs={"pk": unlikely}).replace(
            str(unlikely), self.KEY
        )

    def of(self, row: dict[str, Any]) -> str:
        if row["source"] == Source.CASE:
            return self.case.replace(self.KEY, row["key"])
        if row["source"] == Source.THREAD:
            return self.thread.replace(self.KEY, row["key"])
        url = self.resource.replace(self.KEY, row["key"])
        if row["start_ms"] is not None:
            seconds = row["start_ms"] // 1000
            url += f"?t={seconds}#t{seconds}"
        return url


def _hit(row: dict[str, Any], query: Query, addresses: _Addresses) -> Hit:
    wanted = query.stems
    title = pick({lang: row[f"title_{lang}"] for lang in LANGS})
    others = [lang for lang in LANGS if lang != title.lang]
    summaries = [row[f"summary_{lang}"] for lang in (title.lang, *others)]
    # A case's text is shown only on its own page, which records each reading in the
    # audit trail: its hit shows the title, never a passage.
    passage = (
        SafeString("") if row["source"] == "case" else snippet([*summaries, row["body"]], wanted)
    )
    return Hit(
        title=title,
        title_html=highlight(title, wanted),
        snippet=passage,
        snippet_lang=row["language"]
        if row["source"] in ("transcript", "thread") and row["language"] in LANGS
        else "",
        url=addresses.of(row),
        kind=row["kind"],
        source=row["source"],
        start_ms=row["start_ms"],
        resource_id=row["resource_id"],
        case_id=row["case_id"],
        rank=float(row.get("rank") or 0.0),
    )
