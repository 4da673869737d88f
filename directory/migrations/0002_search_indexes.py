"""Indexes for the directory search, on PostgreSQL only (SQLite, the demo's database, has none of
these and searches with icontains instead).

- full-text search: a GIN index on ``search_vector``, the stored English tsvector of
  ``search_document``;
- pg_trgm: trigram GIN indexes for the postcode-district and locality matches of service areas,
  which are substring matches.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS directory_service_fts_idx ON directory_service USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS directory_area_district_trgm_idx ON directory_servicearea "
    "USING gin (district_index gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS directory_area_name_trgm_idx ON directory_servicearea "
    "USING gin (upper(name) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS directory_area_name_trgm_idx",
    "DROP INDEX IF EXISTS directory_area_district_trgm_idx",
    "DROP INDEX IF EXISTS directory_service_fts_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
