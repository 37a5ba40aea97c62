"""Writing the search index: a resource with its transcript lines, and the case library.

Indexing is idempotent and cheap when nothing changed: the rows a resource
should have are compared with the rows it has, and only the rows that differ
(or are missing, or no longer wanted) are deleted and inserted again. A
5,000-line transcript goes in with bulk inserts and, on PostgreSQL, one UPDATE
that computes the new rows' vectors (`vector IS NULL` marks them).

Services call `index_resource` after changing a resource or its transcript
(`attach_transcript` bulk-creates lines, which sends no signal); the receivers
in `receivers.py` call it too when a resource or its topics change, and
`index_case` when a case's recommendations are sent or the case changes. Apps
above this one index their own things with `replace_rows` (the discussion
spaces' threads: `echohub.community.search`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import translation

from echohub.cases.models import Case, Recommendations
from echohub.library.models import Resource, TranscriptSegment
from echohub.library.search.entry import (
    CASE_VISIBILITY,
    SearchEntry,
)
from echohub.library.search.text import index_terms, normalize
from echohub.pagecache.cache import bump

Source = SearchEntry.Source
BATCH = 200  # resources per transaction when indexing many
INSERT_BATCH = 1000
DELETE_BATCH = 5000

# The columns that decide whether a row is current; the terms follow from them.
COMPARED = (
    "source",
    "resource_id",
    "segment_id",
    "case_id",
    "thread_id",
    "group_id",
    "hub_id",
    "program_id",
    "kind",
    "visibility",
    "language",
    "created_at",
    "key",
    "start_ms",
    "title_en",
    "title_fr",
    "summary_en",
    "summary_fr",
    "body",
)

# Titles weigh A, the rest B; each text is stemmed as English and as French.
VECTOR = (
    SearchVector("title_terms", config="english", weight="A")
    + SearchVector("title_terms", config="french", weight="A")
    + SearchVector("body_terms", config="english", weight="B")
    + SearchVector("body_terms", config="french", weight="B")
)

T = TypeVar("T")
Key = tuple[str, int | None, int | None, int | None, int | None]


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _terms(*texts: str) -> str:
    """What the engine indexes: unaccented text for PostgreSQL to stem, stems for SQLite."""
    text = "\n".join(t for t in texts if t)
    return normalize(text) if connection.vendor == "postgresql" else index_terms(text)


# What a row holds unless its builder says otherwise: each builder names only its own
# columns, so a column added to the index (a new kind of row) touches none of the others.
BLANK_ROW: dict[str, Any] = {
    "resource_id": None,
    "segment_id": None,
    "case_id": None,
    "thread_id": None,
    "group_id": None,
    "language": "",
    "start_ms": None,
    "summary_en": "",
    "summary_fr": "",
    "title_text": "",
    "extra_text": "",
}


def _key(row: dict[str, Any]) -> Key:
    return (
        row["source"],
        row.get("resource_id"),
        row.get("segment_id"),
        row.get("case_id"),
        row.get("thread_id"),
    )


def _resource_rows(
    resource: Resource, topics: Sequence[str], segments: Sequence[tuple[int, int, str]] | None
) -> list[dict[str, Any]]:
    shared = BLANK_ROW | {
        "resource_id": resource.pk,
        "hub_id": resource.hub_id,
        "program_id": resource.program_id,
        "kind": resource.kind,
        "visibility": resource.visibility,
        "language": resource.language,
        "created_at": resource.created_at,
        "key": resource.key,
        "title_en": resource.title_en,
        "title_fr": resource.title_fr,
    }
    rows = [
        shared
        | {
            "source": Source.RESOURCE,
            "summary_en": resource.description_en,
            "summary_fr": resource.description_fr,
            "body": resource.text,
            "title_text": f"{resource.title_en}\n{resource.title_fr}",
            # Topic names are found too ("grief" finds what is filed under Grief).
            "extra_text": " ".join(topics),
        }
    ]
    for segment_id, start_ms, text in segments or ():
        rows.append(
            shared
            | {
                "source": Source.TRANSCRIPT,
                "segment_id": segment_id,
                "start_ms": start_ms,
                "body": text,
                # A line is found by what was said, not by its recording's title (blank).
            }
        )
    return rows


def _entry(row: dict[str, Any]) -> SearchEntry:
    fields = {name: row[name] for name in COMPARED}
    texts = (row["summary_en"], row["summary_fr"], row["body"], row["extra_text"])
    return SearchEntry(**fields, title_terms=_terms(row["title_text"]), body_terms=_terms(*texts))


def _sync(existing: Iterable[dict[str, Any]], wanted: Iterable[dict[str, Any]]) -> int:
    """Make the rows in `existing` (read from the table) into `wanted`; returns rows written."""
    have = {_key(row): row for row in existing}
    stale: list[int] = []
    new: list[SearchEntry] = []
    for row in wanted:
        current = have.pop(_key(row), None)
        entry = None
        if current is not None and all(current[f] == row[f] for f in COMPARED):
            if row["source"] == Source.TRANSCRIPT:
                continue  # its terms follow from its text alone
            entry = _entry(row)  # a single row: its terms (topic names too) are compared
            if (entry.title_terms, entry.body_terms) == current["terms"]:
                continue
        if current is not None:
            stale.append(current["id"])
        new.append(entry or _entry(row))
    stale += [row["id"] for row in have.values()]
    for ids in _chunks(stale, DELETE_BATCH):
        SearchEntry.objects.filter(pk__in=ids).delete()
    SearchEntry.objects.bulk_create(new, batch_size=INSERT_BATCH)
    return len(new)


def _existing(**lookup: Any) -> list[dict[str, Any]]:
    """The rows there are; with their terms, but for transcript lines (too many to read)."""
    rows = list(SearchEntry.objects.filter(**lookup).values("id", *COMPARED))
    single = [row["id"] for row in rows if row["source"] != Source.TRANSCRIPT]
    if not single:
        return rows
    terms = {
        pk: (title, body)
        for pk, title, body in SearchEntry.objects.filter(pk__in=single).values_list(
            "id", "title_terms", "body_terms"
        )
    }
    for row in rows:
        row["terms"] = terms.get(row["id"])
    return rows


def _fill_vectors(**lookup: Any) -> None:
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(vector__isnull=True, **lookup).update(vector=VECTOR)


def index_resource(resource: Resource, *, transcript: bool = True) -> int:
    """Bring the resource's rows (and, unless told otherwise, its transcript lines') up to date.

    Returns the number of rows written: 0 when the index was already current.
    """
    return index_resources([resource], transcript=transcript)


def index_resources(resources: Iterable[Resource], *, transcript: bool = True) -> int:
    """`index_resource` for many resources, a batch of them per transaction."""
    written = 0
    for batch in _chunks(resources, BATCH):
        written += _index_batch(batch, transcript)
    return written


@transaction.atomic
def _index_batch(resources: list[Resource], transcript: bool) -> int:
    # Two indexings of one resource at once would both insert its rows: the second
    # waits for the first here, then sees its rows. A resource deleted meanwhile is skipped.
    locked = Resource.objects.select_for_update().filter(pk__in=[r.pk for r in resources])
    ids = list(locked.order_by("pk").values_list("pk", flat=True))
    alive = set(ids)
    resources = [resource for resource in resources if resource.pk in alive]
    topics: dict[int, list[str]] = defaultdict(list)
    filed = Resource.topics.through.objects.filter(resource_id__in=ids)
    for resource_id, name_en, name_fr in filed.values_list(
        "resource_id", "topic__name_en", "topic__name_fr"
    ):
        topics[resource_id] += [name_en, name_fr]
    segments: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if transcript:
        lines = TranscriptSegment.objects.filter(resource_id__in=ids).order_by()
        for segment_id, resource_id, start_ms, text in lines.values_list(
            "id", "resource_id", "start_ms", "text"
        ):
            segments[resource_id].append((segment_id, start_ms, text))
    wanted = [
        row
        for resource in resources
        for row in _resource_rows(
            resource, topics[resource.pk], segments[resource.pk] if transcript else None
        )
    ]
    lookup: dict[str, Any] = {"resource_id__in": ids}
    if not transcript:
        lookup["source"] = Source.RESOURCE
    written = _sync(_existing(**lookup), wanted)
    if written:
        bump()  # the library's public pages show what the index finds
    if written:
        _fill_vectors(resource_id__in=ids)
    return written


def unindex_resource(resource_id: int) -> None:
    """Remove a resource and its transcript lines from the index."""
    SearchEntry.objects.filter(resource_id=resource_id).delete()
    bump()


def _case_rows(case: Case, recommendations: Recommendations) -> list[dict[str, Any]]:
    titles = {}
    for lang in ("en", "fr"):
        with translation.override(lang):
            titles[lang] = case.heading
    answers = [t for where, t in case.texts().items() if t and where.startswith("answers.")]
    return [
        BLANK_ROW
        | {
            "source": Source.CASE,
            "case_id": case.pk,
            "hub_id": case.program.hub_id,
            "program_id": case.program_id,
            "kind": "case",
            "visibility": CASE_VISIBILITY,
            "created_at": recommendations.sent_at or case.created_at,
            "key": case.public_id,
            "title_en": titles["en"],
            "title_fr": titles["fr"],
            "body": "\n\n".join([*answers, recommendations.text]),
            "title_text": case.title,  # found by its title, not by "Case 12"
        }
    ]


@transaction.atomic
def index_case(case: Case) -> int:
    """Index a case of the case library (recommendations sent, not withdrawn), or
    remove it from the index when it is not (or no longer) one. Returns rows written."""
    exists = Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True)
    recommendations = Recommendations.objects.filter(
        case=case, status=Recommendations.Status.SENT
    ).first()
    if not list(exists) or recommendations is None or case.status == Case.Status.WITHDRAWN:
        unindex_case(case.pk)
        return 0
    written = _sync(_existing(case_id=case.pk), _case_rows(case, recommendations))
    if written:
        _fill_vectors(case_id=case.pk)
    return written


def unindex_case(case_id: int) -> None:
    SearchEntry.objects.filter(case_id=case_id).delete()


def replace_rows(lookup: dict[str, Any], wanted: list[dict[str, Any]]) -> int:
    """Make the rows that `lookup` finds into `wanted` (`BLANK_ROW` with the columns of
    COMPARED and `title_text` a row fills): for an app above this one that indexes its
    own things (the discussion spaces' threads). Returns rows written."""
    written = _sync(_existing(**lookup), wanted)
    if written:
        _fill_vectors(**lookup)
    return written


# What apps above this one index too, each a function that indexes all of theirs again
# (registered in their AppConfig.ready()): `rebuild` runs them.
REBUILDERS: list[Callable[[], int]] = []


def rebuild() -> int:
    """Index everything again from scratch: after moving a database between engines, or
    after a change to what is indexed. Searches meanwhile find what is indexed so far."""
    SearchEntry.objects.all().delete()
    written = index_resources(Resource.objects.order_by("pk").iterator(chunk_size=BATCH))
    cases = Case.objects.filter(recommendations__status=Recommendations.Status.SENT)
    for case in cases.select_related("program").iterator(chunk_size=BATCH):
        written += index_case(case)
    for rebuilder in REBUILDERS:
        written += rebuilder()
    return written
