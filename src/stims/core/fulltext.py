"""Full-text index over the folded search column (`SearchableModel.search_text`), on both databases.

The column is filled in Python by `core.text.fold` (lower case, diacritics and punctuation removed:
"Huyện Định Hóa" → "huyen dinh hoa") on every write path that writes a record: `save()`, and the
bulk paths (imports, bench builders) that call `build_search_text()` themselves. The index is then
kept by the database from that column, so no write path can leave it stale:

* PostgreSQL: a stored generated column `search_vector tsvector GENERATED ALWAYS AS
  (to_tsvector('simple', search_text)) STORED` with a GIN index. Not a model field (SQLite has no
  tsvector): Django never names it in an INSERT or UPDATE, and the database computes it. Stored
  rather than an index on the expression because a plan that filters rows one by one (a list
  ordered by name, reading its index until 25 rows match) would otherwise run `to_tsvector` on every
  row it reads: 1 s instead of a few ms at 200,000 IP assets. The 'simple' configuration neither
  stems nor drops stop words, which is right for Vietnamese syllables; the `unaccent` extension is
  not needed because the column is already folded (and `fold` maps đ → d the same way on both
  databases, which a PostgreSQL-only `unaccent` could not promise SQLite). A migration that changes
  `search_text`'s type must drop `search_vector` first (PostgreSQL refuses otherwise); `ensure()`
  adds it back.
* SQLite: an FTS5 table `<table>_fts` with external content (the model's own table, so the text is
  stored once) kept by three triggers (after insert, after update of search_text, after delete),
  which fire for `bulk_create`, `bulk_update`, `QuerySet.update` and raw SQL alike.

On PostgreSQL `ensure()` also indexes `search_name COLLATE "C"` (a btree comparing bytes, as SQLite's
own index on the column does), which the global search reads the names starting with the query from,
in order, without sorting every match (`core.search`).

Both are created by `ensure()`, run after every `migrate` (the `post_migrate` signal, like Django's
own permissions), for every concrete `SearchableModel`: a new searchable model needs no migration of
its own, a test database built without migrations gets them, and on SQLite a migration that rebuilds
a table (Django's schema editor copies it to a new table and drops the old one, and its triggers
with it) gets its triggers back and its index rebuilt.

A query is every word of the folded text as a prefix of a word of the record: "dinh ho" finds
"huyen dinh hoa", "an" does not find "ba che" (`words()`, `Fulltext`).
"""

import bisect
import re
import time

from django.db import models
from django.db.models import Lookup

PG_CONFIG = "'simple'::regconfig"
PG_COLUMN = '"search_vector"'
# Longest word kept from a query: PostgreSQL does not index longer words, and none is that long.
MAX_WORD = 100
_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


def words(folded: str) -> list[str]:
    """The words of already-folded text, as both indexes split it (an underscore separates, too)."""
    return [word[:MAX_WORD] for word in _SPLIT.split(folded) if word]


def pg_query(folded_words: list[str]) -> str:
    """`to_tsquery` text: every word as a prefix (`dinh:* & hoa:*`). The words hold only letters and
    digits, so none of to_tsquery's operators can be smuggled in."""
    return " & ".join(f"{word}:*" for word in folded_words)


def sqlite_query(folded_words: list[str]) -> str:
    """FTS5 query text: every word quoted, as a prefix (`"dinh"* AND "hoa"*`)."""
    return " AND ".join(f'"{word}"*' for word in folded_words)


def is_searchable(model) -> bool:
    from .models import SearchableModel

    return isinstance(model, type) and issubclass(model, SearchableModel) and not model._meta.abstract


def fts_table(model) -> str:
    return f"{model._meta.db_table}_fts"


def pg_index(model) -> str:
    return f"{model._meta.db_table[:48]}_search_vector"


# --- How common a query is (PostgreSQL's statistics) --------------------------------------------------
# A GIN index answers a full-text query by building a bitmap of EVERY matching row before any LIMIT
# applies: 230,688 rows and ~200 ms for "hop tac xa" over a million IP assets, when the global search
# and a searched list's count need only their first COUNT_CAP + 1. For so common a query, reading the
# table in its own order and testing each row stops after a few thousand rows (`core.search`). Whether
# a query is that common comes from the statistics ANALYZE keeps on each `search_vector` column (its
# most common words and the share of rows holding each), read once per process every STATS_SECONDS.

STATS_SECONDS = 600
# A query is probed in a table of PROBE_TABLE_ROWS rows or more when its first PROBE_ROWS rows should
# hold the rows wanted (COUNT_CAP + 1) three times over (`probe_rows`).
PROBE_ROWS = 30_000
PROBE_TABLE_ROWS = 50_000
_stats: dict[str, tuple[float, dict[str, tuple[float, list[str], list[float]]]]] = {}


def _table_stats(connection) -> dict[str, tuple[float, list[str], list[float]]]:
    """{table: (estimated rows, its most common words sorted, the share of rows holding each)}."""
    kept = _stats.get(connection.alias)
    if kept is not None and time.monotonic() - kept[0] < STATS_SECONDS:
        return kept[1]
    tables: dict[str, tuple[float, list[str], list[float]]] = {}
    with connection.cursor() as cursor:
        # most_common_elem_freqs ends with three summary figures that pair with no word (NULL).
        cursor.execute(
            "SELECT s.tablename, c.reltuples, u.word, u.share "
            "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename AND c.relkind = 'r' "
            "AND c.relnamespace = to_regnamespace(s.schemaname), "
            "unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(word, share) "
            "WHERE s.schemaname = current_schema() AND s.attname = 'search_vector' AND u.word IS NOT NULL"
        )
        found: dict[str, tuple[float, list[tuple[str, float]]]] = {}
        for table, rows, word, share in cursor.fetchall():
            found.setdefault(table, (float(rows), []))[1].append((word, float(share)))
    for table, (rows, pairs) in found.items():
        pairs.sort()  # by the word, as `common_share` bisects it
        tables[table] = (rows, [word for word, _ in pairs], [share for _, share in pairs])
    _stats[connection.alias] = (time.monotonic(), tables)
    return tables


def common_share(connection, model, folded_words: list[str]) -> tuple[float, float]:
    """(rows of the model's table, an upper bound of the share of them matching every word as a
    prefix) by the statistics: for each word the summed share of the common words it begins (at most
    1; a word that begins none of them is rare: 0), the smallest over the query's words. PostgreSQL
    only; (0, 0) where there are no statistics yet (before the first ANALYZE)."""
    if connection.vendor != "postgresql" or not folded_words:
        return 0.0, 0.0
    stats = _table_stats(connection).get(model._meta.db_table)
    if stats is None:
        return 0.0, 0.0
    rows, common, shares = stats
    share = 1.0
    for word in folded_words:
        start = bisect.bisect_left(common, word)
        end = bisect.bisect_left(common, word + "\U0010ffff")
        share = min(share, sum(shares[start:end]))
    return rows, min(share, 1.0)


def probe_rows(connection, model, folded_words: list[str], wanted: int) -> int:
    """PROBE_ROWS when `wanted` matches of the query should be among the first PROBE_ROWS rows of the
    model's (large) table three times over, by PostgreSQL's statistics: read those rows first, each
    tested against the query, rather than a GIN bitmap of every match. Else 0 (the index)."""
    rows, share = common_share(connection, model, folded_words)
    return PROBE_ROWS if rows >= PROBE_TABLE_ROWS and share * PROBE_ROWS >= 3 * wanted else 0


def first_rows(rows, folded: str, number: int, *fields: str):
    """The probe's read (`probe_rows`): the first `number` of `rows` as the table holds them (no
    order), `fields` and `found_match` of each — whether its search text matches the folded query,
    tested row by row in the SELECT list (as a condition, the planner would read the rows through the
    full-text index instead)."""
    return (
        rows.order_by()
        .annotate(
            found_match=models.ExpressionWrapper(
                models.Q(search_text__fulltext_rows=folded), output_field=models.BooleanField()
            )
        )
        .values(*fields, "found_match")[:number]
    )


class Fulltext(Lookup):
    """`search_text__fulltext="dinh hoa"`: the record's folded text holds every word of the (already
    folded) value as the start of one of its words, served by the full-text index. Works across
    joins (`admin_unit__search_text__fulltext`). On a column without an index (not a searchable
    model's search_text) it falls back to `LIKE`."""

    lookup_name = "fulltext"
    prepare_rhs = False
    row_by_row = False
    can_use_none_as_rhs = False

    def as_sql(self, compiler, connection):
        folded_words = words(str(self.rhs))
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if not folded_words:
            return "1 = 1", []
        target = getattr(self.lhs, "target", None)
        model = getattr(target, "model", None)
        indexed = target is not None and target.name == "search_text" and is_searchable(model)
        if indexed and connection.vendor == "postgresql":
            column = f"{compiler.quote_name_unless_alias(self.lhs.alias)}.{PG_COLUMN}"
            sql = f"{column} @@ to_tsquery({PG_CONFIG}, %s)"
            return (f"({sql}) IS TRUE" if self.row_by_row else sql), [pg_query(folded_words)]
        if indexed and connection.vendor == "sqlite":
            qn = compiler.quote_name_unless_alias
            table = connection.ops.quote_name(fts_table(model))
            key = f"{qn(self.lhs.alias)}.{connection.ops.quote_name(model._meta.pk.column)}"
            return f"{key} IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)", [  # nosec B608 # names of our own tables and columns
                sqlite_query(folded_words)
            ]
        # No index: each word starts the text or follows a space.
        clauses, params = [], []
        for word in folded_words:
            clauses.append(f"({lhs_sql} LIKE %s OR {lhs_sql} LIKE %s)")
            params += [*lhs_params, f"{word}%", *lhs_params, f"% {word}%"]
        return " AND ".join(clauses), params


class FulltextRowByRow(Fulltext):
    """`search_text__fulltext_rows="dinh hoa"`: the same test, which on PostgreSQL the planner cannot
    serve from the GIN index (`(… @@ …) IS TRUE`): for rows another index already narrowed and
    orders (the global search's names starting with the query, `core.search`), where a bitmap of
    every match of a common word (100,000 rows at national scale) would cost more than the rows
    read. On SQLite it is `fulltext`."""

    lookup_name = "fulltext_rows"
    row_by_row = True


models.TextField.register_lookup(Fulltext)
models.TextField.register_lookup(FulltextRowByRow)


# --- Keeping the index ------------------------------------------------------------------------------


def pg_name_index(model) -> str:
    return f"{model._meta.db_table[:48]}_search_name_c"


def _pg_ensure(cursor, table: str, index: str, has_column: bool, name_index: str) -> None:
    if not has_column:
        cursor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector '
            f"GENERATED ALWAYS AS (to_tsvector({PG_CONFIG}, COALESCE(search_text, ''))) STORED"
        )
    cursor.execute(f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" USING gin ({PG_COLUMN})')
    # The names compared byte by byte, whatever the database's collation: the global search reads
    # the names starting with the query in this index's order (`core.search._name_starts`).
    cursor.execute(f'CREATE INDEX IF NOT EXISTS "{name_index}" ON "{table}" (search_name COLLATE "C")')


def _sqlite_ensure(cursor, table: str, pk: str) -> None:
    fts = f"{table}_fts"
    cursor.execute(
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5(search_text, content="{table}", '
        f"content_rowid=\"{pk}\", tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    triggers = {
        f"{fts}_ai": f'AFTER INSERT ON "{table}" BEGIN '  # nosec B608 # names of our own tables and columns
        f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text); END',
        f"{fts}_ad": f'AFTER DELETE ON "{table}" BEGIN '  # nosec B608 # names of our own tables and columns
        f'INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES (\'delete\', old."{pk}", old.search_text); END',
        f"{fts}_au": f'AFTER UPDATE OF search_text, "{pk}" ON "{table}" BEGIN '  # nosec B608 # names of our own tables and columns
        f'INSERT INTO "{fts}"("{fts}", rowid, search_text) VALUES (\'delete\', old."{pk}", old.search_text); '
        f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new."{pk}", new.search_text); END',
    }
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
    present = {row[0] for row in cursor.fetchall()}
    missing = [name for name in triggers if name not in present]
    if not missing:
        return
    for name in missing:
        cursor.execute(f'CREATE TRIGGER IF NOT EXISTS "{name}" {triggers[name]}')
    # Rows written while a trigger was missing (or before the index existed) are indexed now.
    cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')  # nosec B608 # names of our own tables


def ensure(connection, searchable=None) -> None:
    """Create what is missing of the full-text index of each searchable model whose table exists."""
    from django.apps import apps

    if connection.vendor not in ("postgresql", "sqlite"):
        return
    searchable = searchable or [m for m in apps.get_models() if is_searchable(m) and m._meta.managed]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        with_column: set[str] = set()
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name = 'search_vector'"
            )
            with_column = {row[0] for row in cursor.fetchall()}
        for model in searchable:
            table = model._meta.db_table
            if table not in tables:
                continue
            if connection.vendor == "postgresql":
                _pg_ensure(cursor, table, pg_index(model), table in with_column, pg_name_index(model))
            else:
                _sqlite_ensure(cursor, table, model._meta.pk.column)


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    from django.db import connections

    ensure(connections[using])
