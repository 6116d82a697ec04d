"""Global search across the domains: diacritic- and case-insensitive, ranked, permission-filtered.

Each domain registers its searchable models in its own `search.py` (imported by its AppConfig):
`register(Model, "app:model_detail")`. Ranking, best first: the whole name equals the query, the name
starts with it, a word of the name starts with it, then any other match; shorter names first.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Length

from . import permissions
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
    if not fold(query):
        return []
    groups = []
    model: Any
    for model, url_name in REGISTRY:
        if not permissions.has_perm(user, permissions.VIEW, model):
            continue
        queryset = ranked(permissions.restrict(model._default_manager.all(), user, permissions.VIEW), query)
        related = getattr(model, "search_select_related", ())
        results = (
            list(queryset.select_related(*related)[: limit + 1]) if related else list(queryset[: limit + 1])
        )
        if results:
            total = len(results) if len(results) <= limit else queryset.count()
            groups.append(SearchGroup(model, url_name, results[:limit], total))
    return groups
