"""Global search across the domains: diacritic- and case-insensitive, ranked, permission-filtered.

Each domain registers its searchable models in its own `search.py` (imported by its AppConfig):
`register(Model, "app:model_detail")`. Ranking, best first: the whole name equals the query, the name
starts with it, a word of the name starts with it, then any other match; shorter names first.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import Length

from . import fulltext, permissions
from .filters import folded_search_q
from .text import fold

REGISTRY: list[tuple[type, str]] = []


def register(model, detail_url_name: str) -> None:
    if all(existing is not model for existing, _ in REGISTRY):
        REGISTRY.append((model, detail_url_name))


@dataclass
class SearchGroup:
    model: type
    detail_url_name: str
    results: list
    total: int

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
    (ranked as the module says) and its total.

    One query finds the hits of every registered model at once: a `UNION ALL` of each model's ranked,
    permission-filtered first `limit + 1` keys, each beside the count of its matches. Then one query
    per group that has hits loads its records. A search costs 1 + (groups found) queries, whatever the
    number of registered models or of matches.
    """
    folded = fold(query)
    if not fulltext.words(folded):
        return []
    branches: list[tuple[type, str]] = []
    parts: list[str] = []
    params: list = []
    using = "default"
    model: Any
    for model, url_name in REGISTRY:
        if not permissions.has_perm(user, permissions.VIEW, model):
            continue
        visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
        # The matching rows the user may see (scope joins and all), compiled by the ORM twice: ranked
        # as `ranked()` ranks them for the first limit + 1, and counted.
        first = ranked(visible, query).values(
            found_key=F("pk"), found_rank=F("search_rank"), found_length=F("search_length")
        )[: int(limit) + 1]
        matches = visible.filter(folded_search_q(query)).order_by().values("pk")
        try:
            first_sql, first_params = first.query.sql_with_params()
            count_sql, count_params = matches.query.sql_with_params()
        except EmptyResultSet:  # the user's scope holds no row of this model
            continue
        using = visible.db
        i = len(branches)
        # Only the group's number (this loop's integer) is written into the SQL; the text the user
        # typed is a parameter of the ORM's SQL.
        parts.append(
            f"SELECT {i}, r{i}.found_key, r{i}.found_rank, r{i}.found_length, "  # nosec B608
            f"(SELECT COUNT(*) FROM ({count_sql}) c{i}) FROM ({first_sql}) r{i}"
        )
        params += [*count_params, *first_params]
        branches.append((model, url_name))
    if not parts:
        return []
    hits: dict[int, list[tuple]] = {}
    totals: dict[int, int] = {}
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, pk, rank, length, total in cursor.fetchall():
            hits.setdefault(i, []).append((pk, rank, length))
            totals[i] = total
    groups = []
    for i, (model, url_name) in enumerate(branches):
        if i not in hits:
            continue
        rows = hits[i]
        loaded = model._default_manager.select_related(*getattr(model, "search_select_related", ())).in_bulk(
            [pk for pk, _rank, _length in rows]
        )
        results = _in_rank_order(model, rows, loaded)
        total = len(results) if len(results) <= limit else totals[i]
        groups.append(SearchGroup(model, url_name, results[:limit], total))
    return groups


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
