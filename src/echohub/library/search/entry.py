"""The search index: one row per thing a search can find.

A row is a library resource (its titles, descriptions and text), one line of a
recording's transcript (its text and the moment it was said), a case of the
case library (its title, answers and sent recommendations), or a discussion
thread (its title and its visible posts). The rows are
derived data: `echohub.library.search.index` writes them, and a row goes when
what it was made from goes (foreign keys cascade).

Each row keeps what a search filters on (kind, hub, program, visibility,
language, date) and what a result shows (titles, passages, the address key),
so a search reads this one table. The words themselves are in `title_terms`
and `body_terms`:

- on PostgreSQL the unaccented, lower-cased text, from which `vector` is made
  with the `english` and `french` configurations (titles weigh A, the rest B);
  a GIN index on `vector` is created by migration 0002 on PostgreSQL only;
- on SQLite the English and French Snowball stems of that text, indexed by the
  FTS5 table `library_searchfts` (external content: it reads these two
  columns, and `source`, so that a search can ask for one kind of entry),
  which SQLite triggers keep in step with every INSERT, UPDATE and DELETE on
  this table, bulk and cascading ones included. `vector` stays NULL.

A later migration that makes SQLite rebuild this table (altering a column
does) drops the triggers with the old table: it must create them again, as
0004 does, and rebuild the FTS index (`INSERT INTO library_searchfts
(library_searchfts) VALUES ('rebuild')`).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

# Visibility of case-library rows: only members of the case's program find them.
CASE_VISIBILITY = "case"
# Visibility of discussion threads: those who may read their space find them.
THREAD_VISIBILITY = "thread"
THREAD_KIND = "discussion"


class SearchEntry(models.Model):
    class Source(models.TextChoices):
        RESOURCE = "resource", "resource"
        TRANSCRIPT = "transcript", "transcript line"
        CASE = "case", "case"
        THREAD = "thread", "discussion thread"

    source = models.CharField(max_length=10, choices=Source.choices)
    resource = models.ForeignKey(
        "library.Resource", null=True, on_delete=models.CASCADE, related_name="+"
    )
    segment = models.ForeignKey(
        "library.TranscriptSegment",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint below indexes it
    )
    case = models.ForeignKey(
        "cases.Case", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    thread = models.ForeignKey(
        "community.Thread", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # A thread of a group's space: only that group's readers find it.
    group = models.ForeignKey(
        "programs.Group", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    hub = models.ForeignKey("network.Hub", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        "programs.Program", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A resource's kind (its transcript lines too), or "case".
    kind = models.CharField(max_length=10)
    # A resource's visibility (public, signed_in, members), or "case".
    visibility = models.CharField(max_length=10)
    language = models.CharField(max_length=4, blank=True)
    # The resource's creation, or when the case's recommendations were sent.
    created_at = models.DateTimeField()
    # The resource's key or the case's public id: the result's address, without a join.
    key = models.CharField(max_length=24)
    start_ms = models.PositiveIntegerField(null=True)

    title_en = models.CharField(max_length=300, blank=True)
    title_fr = models.CharField(max_length=300, blank=True)
    summary_en = models.TextField(blank=True)
    summary_fr = models.TextField(blank=True)
    body = models.TextField(blank=True)

    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        app_label = "library"
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(
                fields=["resource"], condition=Q(source="resource"), name="search_one_per_resource"
            ),
            models.UniqueConstraint(fields=["segment"], name="search_one_per_segment"),
            models.UniqueConstraint(fields=["case"], name="search_one_per_case"),
            # Conditional, so that SQLite adds it as an index and keeps the table (and
            # with it the FTS triggers): a plain UNIQUE would make it rebuild the table.
            models.UniqueConstraint(
                fields=["thread"], condition=Q(source="thread"), name="search_one_per_thread"
            ),
        ]
        indexes = [models.Index(fields=["source", "-created_at"], name="search_newest")]

    def __str__(self) -> str:
        return f"{self.source} {self.key} {self.title_en or self.title_fr}"
