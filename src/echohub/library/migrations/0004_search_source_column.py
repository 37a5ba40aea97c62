"""SQLite only: the FTS5 table also indexes each entry's `source`.

A common word ("pain") is in tens of thousands of transcript lines and a few
hundred resources. To rank the resources, FTS5 used to read every match and
SQLite then dropped the lines: 20 ms on 100,000 entries (bench/pages.py). With
`source` indexed too, `… AND source : (resource OR case)` lets FTS5 skip from
one resource to the next (4 ms). The query keeps the words to the two text
columns (`{title_terms body_terms} : …`), so typing "case" matches no source,
and bm25() weighs the source column 0 (`echohub.library.search.query`).

The table is made again with the same triggers plus the column, and rebuilt from
`library_searchentry`. PostgreSQL has nothing to do. A later migration that
makes SQLite rebuild `library_searchentry` must run `SQLITE_UP` below again
and rebuild the index (`INSERT INTO library_searchfts(library_searchfts)
VALUES ('rebuild')`).
"""

from django.db import migrations

COLUMNS = ("title_terms", "body_terms", "source")


def _table(columns: tuple[str, ...]) -> list[str]:
    names = ", ".join(columns)
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    return [
        "DROP TRIGGER IF EXISTS library_searchentry_fts_insert",
        "DROP TRIGGER IF EXISTS library_searchentry_fts_delete",
        "DROP TRIGGER IF EXISTS library_searchentry_fts_update",
        "DROP TABLE IF EXISTS library_searchfts",
        f"""CREATE VIRTUAL TABLE library_searchfts USING fts5(
            {names},
            content='library_searchentry', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        f"""CREATE TRIGGER library_searchentry_fts_insert
        AFTER INSERT ON library_searchentry BEGIN
            INSERT INTO library_searchfts(rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER library_searchentry_fts_delete
        AFTER DELETE ON library_searchentry BEGIN
            INSERT INTO library_searchfts(library_searchfts, rowid, {names})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER library_searchentry_fts_update
        AFTER UPDATE ON library_searchentry BEGIN
            INSERT INTO library_searchfts(library_searchfts, rowid, {names})
            VALUES ('delete', old.id, {old});
            INSERT INTO library_searchfts(rowid, {names}) VALUES (new.id, {new});
        END""",
        "INSERT INTO library_searchfts(library_searchfts) VALUES ('rebuild')",
    ]


SQLITE_UP = _table(COLUMNS)
SQLITE_DOWN = _table(COLUMNS[:2])


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_resource_views"),
    ]

    operations = [
        migrations.RunPython(_on_sqlite(SQLITE_UP), _on_sqlite(SQLITE_DOWN)),
    ]
