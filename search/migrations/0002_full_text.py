"""Each database's full-text index beside search_entry, which Django's fields do
not describe: PostgreSQL a stored tsvector (Dutch, English and the words as
written; the title weighted above the body) with a GIN index, fastupdate off
(a search never waits for the pending list); SQLite an FTS5 table over the
entry's text, kept in step by triggers."""

from django.db import migrations

VECTOR = " || ".join(
    f"setweight(to_tsvector('{config}'::regconfig, {column}), '{weight}')"
    for column, weight in (("title", "A"), ("body", "B"))
    for config in ("dutch", "english", "simple")
)

POSTGRES = [
    f"ALTER TABLE search_entry ADD COLUMN vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED",
    "CREATE INDEX search_entry_vector ON search_entry USING gin (vector) WITH (fastupdate = off)",
]
POSTGRES_BACK = ["DROP INDEX search_entry_vector", "ALTER TABLE search_entry DROP COLUMN vector"]

COLUMNS = "title, body, title_stems, body_stems"
NEW = "new.title, new.body, new.title_stems, new.body_stems"
OLD = "old.title, old.body, old.title_stems, old.body_stems"
SQLITE = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, content='search_entry',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    f"CREATE TRIGGER search_entry_added AFTER INSERT ON search_entry BEGIN"
    f" INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER search_entry_removed AFTER DELETE ON search_entry BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER search_entry_changed AFTER UPDATE ON search_entry BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {OLD});"
    f" INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {NEW}); END",
]
SQLITE_BACK = [
    "DROP TRIGGER search_entry_changed",
    "DROP TRIGGER search_entry_removed",
    "DROP TRIGGER search_entry_added",
    "DROP TABLE search_fts",
]


def run(statements: dict):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index_and_log")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            run({"postgresql": POSTGRES_BACK, "sqlite": SQLITE_BACK}),
        ),
    ]
