"""Global search across the domains: diacritic- and case-insensitive, ranked, permission-filtered.

Each domain registers its searchable models in its own `search.py` (imported by its AppConfig):
`register(Model, "app:model_detail")`. Ranking, best first: the whole name equals the query, the name
starts with it, a word of the name starts with it, then any other match; shorter names first.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Length

from . import fulltext, permissions
from .filters import folded_search_q
from .text import fold

REGISTRY: list[tuple[type, str]] = []
# A group's count stops there: past it the page says "more than 1,000" ("hơn 1.000").
COUNT_CAP = 1000
# The most names starting with the query that a group ranks (see `search()`).
RANK_CAP = 1000


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

    The cost is bounded by the caps, not by the number of matches (issue #20: a common word matches
    tens of thousands of IP assets, and ranking and counting every one took 0.8 s at national scale).
    Per model, two candidate sets are ranked, each through its own index, and their best merged:

    * the first COUNT_CAP + 1 matches the full-text index gives (the same rows the count counts, read
      once in a `WITH`): every match when there are at most COUNT_CAP + 1, so the ranking is then
      exactly `ranked()`'s;
    * the first RANK_CAP matches whose name starts with the query, read in the order of the name's
      byte-wise index: the names equal to the query come first, then each name before the names it
      begins. So whenever a name equals the query or starts with it, those records come first
      (ranks 0 and 1), however many other records match.

    Past the caps, the order among the many names that start with the query (shorter first) and
    among the matches that only hold it elsewhere (a word of the name, then the text) is the order
    among the candidates read, not among all the matches.
    """
    folded = fold(query)
    if not fulltext.words(folded):
        return []
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
        matching = visible.filter(folded_search_q(query)).order_by()
        matches = matching.values("pk")
        # The candidates ranked: the first names that start with the query, in the order of the
        # name's index (an equal name first: a string sorts before the strings it begins), and the
        # first COUNT_CAP + 1 matches of the full-text index, which the group's count counts too.
        starting = _name_starts(matching, folded, vendor).values("pk")[:RANK_CAP]
        first_by_name = _ranked_among(model, query, Q(pk__in=starting), limit)
        counted = RawSQL(f"SELECT k FROM c{i}", [])  # nosec B608 B611 # the group's number only
        first_by_text = _ranked_among(model, query, Q(pk__in=counted), limit)
        try:
            counted_sql, counted_params = matches[: COUNT_CAP + 1].query.sql_with_params()
            name_sql, name_params = first_by_name.query.sql_with_params()
            text_sql, text_params = first_by_text.query.sql_with_params()
        except EmptyResultSet:  # the user's scope holds no row of this model
            continue
        using = visible.db
        # Only the group's number (this loop's integer) is written into the SQL; the text the user
        # typed is a parameter of the ORM's SQL.
        ctes.append(f"c{i}(k) AS ({counted_sql})")
        cte_params += counted_params
        parts.append(
            f"SELECT {i}, t{i}.found_key, t{i}.found_rank, t{i}.found_length, "  # nosec B608
            f"(SELECT COUNT(*) FROM c{i}) FROM ({text_sql}) t{i}"
        )
        parts.append(
            f"SELECT {i}, n{i}.found_key, n{i}.found_rank, n{i}.found_length, NULL "  # nosec B608
            f"FROM ({name_sql}) n{i}"
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
            if total is not None:
                totals[i] = total
    groups = []
    for i, (model, url_name) in enumerate(branches):
        if i not in hits:
            continue
        rows = list(hits[i].values())
        loaded = model._default_manager.select_related(*getattr(model, "search_select_related", ())).in_bulk(
            [pk for pk, _rank, _length in rows]
        )
        results = _in_rank_order(model, rows, loaded)
        total = totals.get(i, len(results))
        capped = total > COUNT_CAP
        groups.append(SearchGroup(model, url_name, results[:limit], min(total, COUNT_CAP), capped))
    return groups


def _name_starts(matches, folded: str, vendor: str):
    """The matches whose name starts with the folded query, read in the order of an index on the
    name compared byte by byte (`search_name COLLATE "C"`, which `core.fulltext.ensure` creates on
    PostgreSQL; SQLite's own index on the column compares so): the range [query, query + U+10FFFF)
    holds every name that starts with the query, the query itself first."""
    collation = "C" if vendor == "postgresql" else "BINARY"
    return (
        matches.alias(search_name_bytes=Collate("search_name", collation))
        .filter(
            search_name_bytes__gte=folded,
            search_name_bytes__lt=folded + "\U0010ffff",
            search_name__startswith=folded,
        )
        .order_by("search_name_bytes")
    )


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
