"""Global search across the domains: diacritic- and case-insensitive, ranked, permission-filtered.

Each domain registers its searchable models in its own `search.py` (imported by its AppConfig):
`register(Model, "app:model_detail")`. Ranking, best first: the whole name equals the query, the name
starts with it, a word of the name starts with it, then any other match; shorter names first.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Length

from . import fulltext, permissions
from .filters import folded_search_q
from .text import fold

REGISTRY: list[tuple[type, str]] = []
# A group's count stops there: past it the page says "more than 1,000" ("hơn 1.000").
COUNT_CAP = 1000


def register(model, detail_url_name: str) -> None:
    if all(existing is not model for existing, _ in REGISTRY):
        REGISTRY.append((model, detail_url_name))


@dataclass
class SearchGroup:
    model: type
    detail_url_name: str
    results: list
    total: int
    # More than `total` (= COUNT_CAP) records match: the count stopped there.
    capped: bool = False

    @property
    def label(self):
        return self.model._meta.verbose_name_plural


def rank_expression(query: str):
    folded = fold(query)
    return Case(
        When(search_name=folded, then=Value(0)),
        When(search_name__startswith=folded, then=Value(1)),
        When(search_name__contains=f" {folded}", then=Value(2)),
        When(search_text__startswith=folded, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def ranked(queryset, query: str):
    return (
        queryset.filter(folded_search_q(query))
        .annotate(search_rank=rank_expression(query), search_length=Length("search_name"))
        .order_by("search_rank", "search_length", *getattr(queryset.model, "search_tiebreak", ()), "pk")
    )


def search(user, query: str, limit: int = 10) -> list[SearchGroup]:
    """The groups of records matching `query` that `user` may see, each with its first `limit` results
    (ranked as the module says) and its total, counted up to COUNT_CAP (`capped` says there are more).

    One query finds the hits of every registered model at once: a `UNION ALL` of each model's ranked,
    permission-filtered first `limit + 1` keys, and the count of its matches. Then one query per group
    that has hits loads its records. A search costs 1 + (groups found) queries, whatever the number
    of registered models or of matches.

    The cost is bounded by COUNT_CAP, not by the number of matches (issue #20: a common word matches
    100,000 IP assets at national scale, and ranking and counting every one took 0.8–1 s). Per model
    two candidate sets, each of at most COUNT_CAP + 1 matches, are ranked and their best merged:

    * the matches whose name starts with the query, read in the order of the name's byte-wise index
      (`_name_starts`; each row tested against the full-text query, not through its index): the
      names equal to the query come first, then each name before the names it begins. So whenever
      a name equals the query or starts with it, those records come first (ranks 0 and 1);
    * only when there are at most COUNT_CAP of those: the first COUNT_CAP + 1 matches the full-text
      index gives, which the count counts too. That is every match when there are at most
      COUNT_CAP + 1, so the ranking is then exactly `ranked()`'s. When more than COUNT_CAP names
      start with the query, the names alone outrank every other match and the count is past the cap
      already: the full-text index is not read at all (its bitmap of every match of a common word is
      most of the cost).

      Where a common query (by the statistics, `fulltext.probe_rows`) would make that bitmap large,
      the first PROBE_ROWS rows the user may see are read first, in the table's own order, each tested against
      the full-text query; when they hold COUNT_CAP + 1 matches (past the cap: "more than 1,000"),
      those are the candidates and the index is not read ("hop tac xa" over a million IP assets:
      ~4,000 rows read in 4 ms instead of a 230,688-row bitmap in ~200 ms). Otherwise (the words are
      common apart but rare together) the index is read as above.

    Past the cap, the order among the many names that start with the query (shorter first) and
    among the matches that only hold it elsewhere (a word of the name, then the text) is the order
    among the candidates read, not among all the matches.

    Each group's SQL is compiled by the ORM once per scope and kept (`_compiled_branch`).
    """
    folded = fold(query)
    if not fulltext.words(folded):
        return []
    cap = int(COUNT_CAP)
    branches: list[tuple[type, str]] = []
    ctes: list[str] = []
    parts: list[str] = []
    cte_params: list = []
    params: list = []
    using = "default"
    model: Any
    for model, url_name in REGISTRY:
        if not permissions.has_perm(user, permissions.VIEW, model):
            continue
        visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
        vendor = connections[visible.db].vendor
        i = len(branches)
        probe = fulltext.probe_rows(connections[visible.db], model, fulltext.words(folded), cap + 1)
        try:
            compiled = _compiled_branch(model, visible, folded, vendor, i, limit, cap, probe)
        except EmptyResultSet:  # the user's scope holds no row of this model
            continue
        (
            (starting_sql, starting_params),
            (matches_sql, matches_params),
            (name_sql, name_params),
            (text_sql, text_params),
            (probe_sql, probe_params),
        ) = compiled
        using = visible.db
        ctes.append(f"s{i}(k, found) AS ({starting_sql})")
        ctes.append(f"n{i}(k) AS (SELECT k FROM s{i} WHERE found)")  # nosec B608
        if probe:
            # p{i}: the matches among the first PROBE_ROWS rows, up to cap + 1; c{i} is those when
            # there are cap + 1 of them, else the index's first cap + 1 matches.
            ctes.append(
                f"p{i}(k) AS (SELECT q{i}.k FROM ({probe_sql}) q{i}(k, found) "  # nosec B608
                f"WHERE q{i}.found LIMIT {cap + 1})"
            )
            ctes.append(
                f"c{i}(k) AS (SELECT * FROM ("  # nosec B608
                f"SELECT k FROM p{i} WHERE (SELECT COUNT(*) FROM p{i}) > {cap} "
                f"UNION ALL SELECT * FROM ({matches_sql}) m{i} WHERE (SELECT COUNT(*) FROM p{i}) <= {cap}"
                f") u{i} WHERE (SELECT COUNT(*) FROM n{i}) <= {cap})"
            )
            cte_params += [*starting_params, *probe_params, *matches_params]
        else:
            ctes.append(
                f"c{i}(k) AS (SELECT * FROM ({matches_sql}) m{i} "  # nosec B608
                f"WHERE (SELECT COUNT(*) FROM n{i}) <= {cap})"
            )
            cte_params += [*starting_params, *matches_params]
        # The count: c{i}'s rows when it was read (every match up to cap + 1, the names among them),
        # else n{i}'s (cap + 1: past the cap). Each part says its own; the group's is the larger.
        parts.append(
            f"SELECT {i}, t{i}.found_key, t{i}.found_rank, t{i}.found_length, "  # nosec B608
            f"(SELECT COUNT(*) FROM c{i}) FROM ({text_sql}) t{i}"
        )
        parts.append(
            f"SELECT {i}, s{i}.found_key, s{i}.found_rank, s{i}.found_length, "  # nosec B608
            f"(SELECT COUNT(*) FROM n{i}) FROM ({name_sql}) s{i}"
        )
        params += [*text_params, *name_params]
        branches.append((model, url_name))
    if not parts:
        return []
    hits: dict[int, dict] = {}
    totals: dict[int, int] = {}
    sql = f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}"  # nosec B608
    with connections[using].cursor() as cursor:
        cursor.execute(sql, cte_params + params)
        for i, pk, rank, length, total in cursor.fetchall():
            hits.setdefault(i, {})[pk] = (pk, rank, length)
            totals[i] = max(total, totals.get(i, 0))
    groups = []
    for i, (model, url_name) in enumerate(branches):
        if i not in hits:
            continue
        rows = list(hits[i].values())
        loaded = model._default_manager.select_related(*getattr(model, "search_select_related", ())).in_bulk(
            [pk for pk, _rank, _length in rows]
        )
        results = _in_rank_order(model, rows, loaded)
        total = totals[i]
        groups.append(SearchGroup(model, url_name, results[:limit], min(total, cap), total > cap))
    return groups


# The SQL of each group's branch, by (model, database, group number, limit, cap, the SQL of the user's
# visible rows): compiled once with a stand-in word, then given the query's values (`_query_values`).
# Building and compiling 3 querysets per model was most of the search's Python (~65 ms for 22 models).
_STAND_IN = "zqxstandinxqz"
_COMPILED: dict[tuple, list | None] = {}
_COMPILED_MAX = 512


def _query_values(folded: str, connection) -> dict[str, str]:
    """Each value the ORM derives from the folded query, for the stand-in word → for `folded`."""
    like, stand_in = connection.ops.prep_for_like_query, _STAND_IN
    folded_words = fulltext.words(folded)
    return {
        stand_in: folded,
        f"{stand_in}%": f"{like(folded)}%",
        f"% {stand_in}%": f"% {like(folded)}%",
        stand_in + "\U0010ffff": folded + "\U0010ffff",
        fulltext.pg_query([stand_in]): fulltext.pg_query(folded_words),
        fulltext.sqlite_query([stand_in]): fulltext.sqlite_query(folded_words),
    }


def _compiled_branch(
    model, visible, folded: str, vendor: str, i: int, limit: int, cap: int, probe: int = 0
) -> list:
    """[(sql, params)] of group i's name candidates, full-text candidates, the ranking of each, and
    (with `probe`) the first rows' matches."""
    base_sql, base_params = visible.query.sql_with_params()
    key = (model, visible.db, i, limit, cap, probe, base_sql, tuple(base_params))
    try:
        hash(key)
    except TypeError:  # a scope parameter that cannot be a key: compiled for this query alone
        return _branch(model, visible, folded, vendor, i, limit, cap, probe)
    if key not in _COMPILED:
        branch = _branch(model, visible, _STAND_IN, vendor, i, limit, cap, probe)
        values = _query_values(_STAND_IN, connections[visible.db])
        # Every value holding the stand-in must be one `_query_values` knows how to replace.
        known = all(
            _STAND_IN not in str(value) or value in values for _sql, params in branch for value in params
        )
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = branch if known else None
    template = _COMPILED[key]
    if template is None:
        return _branch(model, visible, folded, vendor, i, limit, cap, probe)
    values = _query_values(folded, connections[visible.db])
    return [
        (sql, [values[value] if isinstance(value, str) and value in values else value for value in params])
        for sql, params in template
    ]


def _branch(model, visible, folded: str, vendor: str, i: int, limit: int, cap: int, probe: int = 0) -> list:
    """Group i's SQL, compiled by the ORM (see `search()`): n{i}'s source, c{i}'s source, the
    ranking of the rows of each, and p{i}'s source (the first `probe` rows, each with whether it
    matches; none without `probe`)."""
    # n{i}: the first cap + 1 matches whose name starts with the query, in the order of the name's
    # byte-wise index (an equal name first: a string sorts before the strings it begins).
    # c{i}: the first cap + 1 matches of the full-text index, read only when n{i} holds at most cap
    # rows (otherwise the names alone outrank them, and the count is past the cap already).
    # Each row read is tested against the full-text query in the SELECT list, not as a condition the
    # planner would believe few rows pass (it would then sort every name starting with the query
    # instead of reading the first ones in order); a row that fails is dropped after.
    starting = (
        _name_starts(visible.order_by(), folded, vendor)
        .annotate(
            found_match=ExpressionWrapper(
                folded_search_q(folded, row_by_row=True), output_field=BooleanField()
            )
        )
        .values("pk", "found_match")[: cap + 1]
    )
    matches = visible.filter(folded_search_q(folded)).order_by().values("pk")[: cap + 1]
    # Only the group's number (this loop's integer) is written into the SQL; the text the user typed
    # is a parameter of the ORM's SQL.
    by_name = RawSQL(f"SELECT k FROM n{i}", [])  # nosec B608 B611 # the group's number only
    name_sql, name_params = _ranked_among(model, folded, Q(pk__in=by_name), limit).query.sql_with_params()
    # The same ranking of c{i}'s rows: compiled once, the one CTE it reads renamed.
    read_n, read_c = f"(SELECT k FROM n{i})", f"(SELECT k FROM c{i})"  # nosec B608
    text_sql, text_params = name_sql.replace(read_n, read_c), name_params
    if text_sql.count(read_c) != 1:  # not as the ORM wrote it: compile it
        by_text = RawSQL(f"SELECT k FROM c{i}", [])  # nosec B608 B611 # the group's number only
        text_sql, text_params = _ranked_among(model, folded, Q(pk__in=by_text), limit).query.sql_with_params()
    probed: tuple[str, Any] = ("", ())
    if probe:
        probed = fulltext.first_rows(visible, folded, probe, "pk").query.sql_with_params()
    return [
        starting.query.sql_with_params(),
        matches.query.sql_with_params(),
        (name_sql, list(name_params)),
        (text_sql, list(text_params)),
        (probed[0], list(probed[1])),
    ]


def _name_starts(rows, folded: str, vendor: str):
    """The rows whose name starts with the folded query, read in the order of an index on the name
    compared byte by byte (`search_name COLLATE "C"`, which `core.fulltext.ensure` creates on
    PostgreSQL; SQLite's own index on the column compares so), the query itself first. PostgreSQL
    reads the range [query, next string) of that index from the `LIKE 'query%'` itself; SQLite, whose
    LIKE ignores case and so no index, is given the range [query, query + U+10FFFF)."""
    collation = "C" if vendor == "postgresql" else "BINARY"
    rows = rows.alias(search_name_bytes=Collate("search_name", collation)).filter(
        search_name__startswith=folded
    )
    if vendor != "postgresql":
        rows = rows.filter(search_name_bytes__gte=folded, search_name_bytes__lt=folded + "\U0010ffff")
    return rows.order_by("search_name_bytes")


def _ranked_among(model, query: str, candidates: Q, limit: int):
    """The first `limit + 1` of the candidates, ranked as `ranked()` ranks (keys, rank, length)."""
    return (
        model._default_manager.filter(candidates)
        .annotate(search_rank=rank_expression(query), search_length=Length("search_name"))
        .order_by("search_rank", "search_length", *getattr(model, "search_tiebreak", ()), "pk")
        .values(found_key=F("pk"), found_rank=F("search_rank"), found_length=F("search_length"))[
            : int(limit) + 1
        ]
    )


def _in_rank_order(model, rows: list[tuple], loaded: dict) -> list:
    """The loaded records in the order `ranked()` gave them: rank, name length, the model's
    tie-breaking fields, key (sorted last key first; Python's sort is stable)."""
    records = [(loaded[pk], rank, length) for pk, rank, length in rows if pk in loaded]
    records.sort(key=lambda row: row[0].pk)
    for field in reversed(getattr(model, "search_tiebreak", ())):
        records.sort(key=_field_key(field.lstrip("-")), reverse=field.startswith("-"))
    records.sort(key=lambda row: (row[1], row[2]))
    return [record for record, _rank, _length in records]


def _field_key(name: str):
    def key(row: tuple) -> tuple:
        value = getattr(row[0], name)
        return (value is None, value)

    return key
