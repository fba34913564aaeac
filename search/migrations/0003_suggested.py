"""Entries of the kinds offered first as one types (people, groups) are marked, and
PostgreSQL keeps a small full-text index of those alone: suggesting people for a
word most posts use read the posting lists of every post (bench.search: 340 ms)."""

import importlib

from django.db import migrations, models

# SQLite adds the column by making the table again, which drops its triggers: the
# FTS5 table's, as 0002 made them, come back, and the FTS5 index is rebuilt.
full_text = importlib.import_module("search.migrations.0002_full_text")

SUGGESTED_INDEX = (
    "CREATE INDEX search_entry_vector_suggested ON search_entry USING gin (vector)"
    " WITH (fastupdate = off) WHERE suggested"
)


def forwards(apps, schema_editor):
    # The kinds registered as suggested when this was written; from here on the
    # indexer marks each entry by its kind's registration.
    apps.get_model("search", "Entry").objects.filter(kind__in=["person", "group"]).update(
        suggested=True
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SUGGESTED_INDEX)
        # The planner learns how few entries are suggested before the first search.
        schema_editor.execute("ANALYZE search_entry")
    if schema_editor.connection.vendor == "sqlite":
        for trigger in ("search_entry_added", "search_entry_removed", "search_entry_changed"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for sql in full_text.SQLITE[1:]:
            schema_editor.execute(sql)
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_entry_vector_suggested")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="suggested",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
