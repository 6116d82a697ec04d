"""Database helpers used by migrations."""

from django.db import migrations


def trigram_index(table: str, column: str = "search_text") -> migrations.RunPython:
    """A PostgreSQL GIN trigram index for `LIKE '%…%'` search on a folded column (a no-op on SQLite,
    where the table sizes of one province make a scan fast enough)."""
    name = f"{table}_{column}_trgm"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    forwards.index_name = name  # type: ignore[attr-defined]  # what test_migrating expects on PostgreSQL
    return migrations.RunPython(forwards, backwards, elidable=False)


def within(queryset, path: str, parents):
    """`queryset` narrowed to the rows whose `path` leads to one of `parents`.

    A deployment-wide user's parents are the whole table: then no `IN (SELECT …)` is added, which on a
    dashboard over 100,000 tasks and their half-million budget lines is the difference that counts.
    """
    if whole_table(parents):
        return queryset
    return queryset.filter(**{f"{path}__in": parents.order_by().values("pk")})


def whole_table(queryset) -> bool:
    """`queryset` is its table's every row: no condition (not even `none()`), no slice, no union — as
    `permissions.restrict` leaves it for a deployment-wide role, for whom `IN (SELECT …)` is waste."""
    query = queryset.query
    return not query.where and not query.is_sliced and not query.combinator
