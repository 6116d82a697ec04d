"""Column helpers shared by every table, and the cheaper paths by which a table's rows are rendered."""

import dataclasses
import functools
import re
import time
import types
import weakref
from collections.abc import Sequence
from typing import Any

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.sql.where import AND, WhereNode
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_tables2 import utils as tables_utils
from django_tables2.columns.base import LinkTransform, library
from django_tables2.columns.linkcolumn import BaseLinkColumn

from . import aggregates, fulltext

# --- Rendering a page of rows cheaply (issue #20) ----------------------------------------------------
#
# django-tables2 calls every column's render()/value()/linkify callable through
# `utils.call_with_appropriate`, which asks `inspect.signature` which arguments the callable takes: once
# per cell, about 150 times for a page of 25 rows (a few milliseconds of a list page). A function's
# parameters do not change, so the answer is kept per function (weakly: a table's methods and lambdas live
# as long as their class; a callable that is neither a function nor a method is asked each time).

_uncached_signature = tables_utils.signature
_signatures: "weakref.WeakKeyDictionary[types.FunctionType, dict[bool, tuple]]" = weakref.WeakKeyDictionary()


def cached_signature(fn):
    """django_tables2.utils.signature(fn), computed once per function (bound or not)."""
    if isinstance(fn, types.MethodType):
        func, bound = fn.__func__, True
    else:
        func, bound = fn, False
    if not isinstance(func, types.FunctionType):
        return _uncached_signature(fn)
    known = _signatures.get(func)
    if known is None:
        known = _signatures.setdefault(func, {})
    found = known.get(bound)
    if found is None:
        found = known[bound] = _uncached_signature(fn)
    return found


tables_utils.signature = cached_signature


class DateColumn(tables.Column):
    """dd/mm/yyyy on the page; in exports the date itself, which `core.exports` writes as a real Excel
    date shown dd/mm/yyyy (and as dd/mm/yyyy text in CSV)."""

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT") if value else "—"

    def value(self, value):
        return value if value else ""


def record_link(record) -> str:
    """`linkify=record_link`: the cell links to its row's own page (a column showing a related record's
    name, say). Unlike a lambda doing the same, `shown_fields` knows it reads the row's key only."""
    return record.get_absolute_url()


class LinkedColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("linkify", True)
        super().__init__(*args, **kwargs)


@library.register
class YesNoColumn(tables.BooleanColumn):
    """Yes/no in words ("Có"/"Không") beside the tick, not a bare ✓/✗: the symbol alone says nothing to
    a screen reader. Registered first in django-tables2's column library, so a table's boolean model
    fields get it without naming it."""

    def render(self, value, record, bound_column):
        value = self._get_bool_value(record, value, bound_column)
        return format_html(
            '<span class="{}"><span aria-hidden="true">{}</span> {}</span>',
            "true" if value else "false",
            "✓" if value else "✗",
            _("Yes") if value else _("No"),
        )

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.BooleanField):
            return cls(null=getattr(field, "null", False), **kwargs)
        return None


# Lists over huge tables (issue #20): an unfiltered list on PostgreSQL does not count every row.
ESTIMATE_ABOVE = 100_000
# A list searched with its search box counts its rows up to this many ("more than 1.000" past it).
SEARCH_COUNT_CAP = 1000


class ApproximatePaginator(Paginator):
    """A paginator told its count instead of counting: exact, the planner's estimate ("about", from
    pg_class.reltuples) or a lower bound ("more than", a count capped at some rows). With an
    approximate count a page past the estimated end is not an error: it shows the rows there are (none
    past the real end), and "next" is offered while a page comes back full."""

    def __init__(self, object_list, per_page, *args, count: int, approximate: str = "", **kwargs):
        data: Any = getattr(object_list, "data", None)  # django-tables2's rows: data.data, the queryset
        if data is not None and isinstance(getattr(data, "data", None), models.QuerySet):
            data.data = unique_order(data.data)
        elif isinstance(object_list, models.QuerySet):
            object_list = unique_order(object_list)
        super().__init__(object_list, per_page, *args, **kwargs)
        self._known_count = count
        self.approximate = approximate  # "" (exact), "about" or "more"

    @property
    def count(self):
        return self._known_count

    def validate_number(self, number):
        if not self.approximate:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.approximate:
            return super().page(number)
        # Not cut at the approximate count: a page past "more than 1.000" holds the rows there are.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def _get_page(self, object_list, number, paginator):
        # django-tables2 pages its BoundRows: the page's records are its `data` (the sliced queryset),
        # the list's are the table's `rows.data.data`.
        rows = getattr(getattr(self.object_list, "data", None), "data", self.object_list)
        if hasattr(object_list, "data"):
            object_list.data = late_rows(object_list.data, rows, self.count)
        else:
            object_list = late_rows(object_list, rows, self.count)
        return ApproximatePage(object_list, number, paginator)


def unique_order(queryset):
    """`queryset` ordered as it is, then by key when its order does not already end on the key: pages
    of a list sorted by a column many rows share (a unit, a state, a year) then neither repeat nor skip
    rows from one page to the next, whatever plan the database chooses (PostgreSQL returns tied rows in
    any order; an incremental sort adds the key at little cost)."""
    query = queryset.query
    if not queryset.ordered or query.distinct_fields or query.combinator:
        return queryset
    ordering = list(query.order_by) or (list(query.get_meta().ordering) if query.default_ordering else [])
    keys = {"pk", queryset.model._meta.pk.name, queryset.model._meta.pk.attname}
    for item in ordering:
        name = (
            item.lstrip("-")
            if isinstance(item, str)
            else getattr(getattr(item, "expression", None), "name", None)
        )
        if name in keys:
            return queryset
    return queryset.order_by(*ordering, "pk")


# A page of a list over more rows than this is read in two steps (late row lookup): first the keys of
# the page's rows, ordered and limited over the list's own table (and only the joins its filters and
# ordering need), then those rows with everything the table shows. Ordering a big list joined to
# every relation the table shows sorts wide joined rows: 221 ms for the first page of 200,000
# directives, where sorting their keys takes a fraction of that (issue #20). Below it, one query.
LATE_ROWS_ABOVE = 5_000


def late_rows(page: Any, rows: Any, count: int) -> Any:
    """The page's records (`page`: the sliced `rows`) read by key when the list is long, else `page`."""
    if (
        count <= LATE_ROWS_ABOVE
        or not isinstance(page, models.QuerySet)
        or not isinstance(rows, models.QuerySet)
    ):
        return page
    query = page.query
    prefetches: Any = getattr(page, "_prefetch_related_lookups", ())
    if page._result_cache is not None or query.distinct or query.combinator or query.group_by:
        return page
    if not query.select_related and not prefetches:  # nothing joined: the one query is as narrow
        return page
    keys = page_keys(page)
    found = rows.filter(pk__in=keys).order_by().in_bulk() if keys else {}
    return [found[key] for key in keys if key in found]


# --- A list ordered by the first of a few conditions each row meets (issue #20) --------------------
#
# The directive list shows open directives past their deadline first: ORDER BY CASE WHEN … THEN 0 ELSE
# 1 END, deadline — an expression on today's date that no index holds, so each page's keys were a sort
# of every row of the list (200,000 directives: 130–195 ms under load). The same keys are read part by
# part: the rows meeting the first condition, in the list's order after the condition, then those
# meeting the second and not the first, …, then those meeting none; each part an ordered read that an
# index can give and that stops at the page's end.


RANK = "part_rank"  # the annotation that orders the parts


@dataclasses.dataclass(frozen=True)
class OrderedParts:
    parts: tuple[Q, ...]
    ordering: tuple[Any, ...]  # the order within a part; the list's is (RANK, *ordering)


def ordered_in_parts(queryset, parts: Sequence[Q], *ordering: Any) -> models.QuerySet:
    """`queryset` ordered by the first of `parts` (conditions on the rows' own columns) that each row
    meets — rows meeting none last — then by `ordering`, which should end on the key. A page of it read
    by key (`late_rows`) reads its keys part by part (`page_keys`); a list re-sorted by a column header
    is ordered as usual."""
    rank = Case(
        *(When(part, then=Value(number)) for number, part in enumerate(parts)),
        default=Value(len(parts)),
        output_field=IntegerField(),
    )
    ordered = queryset.annotate(**{RANK: rank}).order_by(RANK, *ordering)
    # Kept on the query, which every filter, scope and select_related copies (Query.clone).
    ordered.query.ordered_parts = OrderedParts(tuple(parts), ordering)
    return ordered


def page_keys(page: models.QuerySet) -> list[Any]:
    """The keys of a page's rows (`page`: the list's queryset, sliced), in the list's order: part by
    part when the list is ordered in parts and neither filtered nor scoped (the whole table)."""
    query = page.query
    plan: OrderedParts | None = getattr(query, "ordered_parts", None)
    if (
        plan is None
        or tuple(query.order_by) != (RANK, *plan.ordering)
        or query.high_mark is None
        or query.where
    ):
        # A filtered or scoped list is read in one sort: its rows are fewer, and a part's index could
        # lead the database through every row of the part to find the few the filters keep (all of
        # them, when a filter contradicts the part: 100 ms for the accepted directives' overdue part).
        return list(page.values_list("pk", flat=True))
    rows = page.all()  # a copy whose limits are cleared below
    rows.query.clear_limits()
    skip, wanted = query.low_mark, query.high_mark - query.low_mark
    keys: list[Any] = []
    earlier = Q()
    for part in (*plan.parts, None):
        part_rows = rows.exclude(earlier) if earlier else rows
        if part is not None:
            part_rows = part_rows.filter(part)
            earlier |= part
        found = list(
            unique_order(part_rows.order_by(*plan.ordering)).values_list("pk", flat=True)[: skip + wanted]
        )
        taken = found[skip:]
        keys += taken
        skip = max(0, skip - len(found))
        wanted -= len(taken)
        if not wanted:
            break
    return keys


class ApproximatePage(Page):
    def has_next(self):
        if getattr(self.paginator, "approximate", ""):
            return len(self.object_list) >= self.paginator.per_page
        return super().has_next()


def capped_count(queryset, cap: int) -> int:
    """How many rows `queryset` holds, counted up to `cap` + 1, kept in the cache while no table its
    statement reads changes (`core.aggregates`, keyed by the statement and its values, so each scope
    and search has its own). Paging through a search, or many people searching the same word, count
    once: a common word's capped count reads the full-text index's bitmap of every match, 85 ms
    on PostgreSQL at 1,000,000 IP assets and 250 ms under load (issue #20). A statement that reads a
    table without a version (Django's own, the audit tables) is counted every time."""
    counting = queryset.order_by().values("pk")[: cap + 1]

    def count() -> int:
        probed = _probed_count(queryset, cap)
        return counting.count() if probed is None else probed

    return _kept_count("core.capped_count", counting, count)


def _kept_count(name: str, statement, count) -> int:
    """`count()`, kept in the cache under the version of the tables `statement` (a queryset: the rows
    counted) reads, keyed by its SQL and values (which hold its filters, search and permission scope);
    counted every time when it reads a table without a version. 0 when no row can match."""
    try:
        sql, params = statement.query.get_compiler(using=statement.db).as_sql()
    except EmptyResultSet:  # a condition nothing can meet (e.g. `none()`): no statement at all
        return 0
    read = _models_named_in(sql)
    if not read or not read <= set(aggregates.tracked_models()):
        return count()
    tables_read: list[type[models.Model]] = sorted(read, key=lambda model: model._meta.db_table)
    return aggregates.cached(
        name,
        count,
        depends_on=tables_read,
        scope=statement.db,
        parts=[sql, *map(repr, params)],
        scope_tables=False,  # the statement holds its scope: only the tables it names matter
    )


# A list over a table the planner believes holds more rows than settings.STIMS_KEEP_COUNTS_ABOVE (PostgreSQL)
# keeps its count (exact, or capped for the whole table) under the version of the tables counted: 100,000
# tasks take 9 ms to count, the version and the cache 0.5 ms (issue #20). The planner's figures are read
# for every table at once, once every PLANNER_ROWS_SECONDS in each process.
PLANNER_ROWS_SECONDS = 300
# (database alias, threshold): (read at, {table: the planner's rows}) of the tables over the threshold
_planner_rows: dict[tuple[str, int], tuple[float, dict[str, int]]] = {}


def _big_table_rows(queryset) -> int | None:
    """The planner's estimate of the rows of the list's table when it is over
    settings.STIMS_KEEP_COUNTS_ABOVE (None: a smaller table, SQLite, or keeping counts is off)."""
    threshold = getattr(settings, "STIMS_KEEP_COUNTS_ABOVE", None)
    connection = connections[queryset.db]
    if threshold is None or connection.vendor != "postgresql":
        return None
    read_at, rows = _planner_rows.get((queryset.db, threshold), (0.0, {}))
    if time.monotonic() - read_at > PLANNER_ROWS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples::bigint FROM pg_class WHERE relkind IN ('r', 'p') "
                "AND pg_table_is_visible(oid) AND reltuples > %s",
                [threshold],
            )
            rows = dict(cursor.fetchall())
        _planner_rows[(queryset.db, threshold)] = (time.monotonic(), rows)
    return rows.get(queryset.model._meta.db_table)


def forget_planner_rows() -> None:
    """The planner's figures are read again on next use (the tests, after ANALYZE)."""
    _planner_rows.clear()


def _probed_count(queryset, cap: int) -> int | None:
    """cap + 1 when the first rows of a list searched for a common query already hold more than `cap`
    matches, else None (count as usual). PostgreSQL's GIN index answers a full-text condition with a
    bitmap of every match before any LIMIT: counting 'hop tac xa' up to 1,001 of a million IP assets
    read all 230,688 (~350 ms under load, issue #20). When the statistics say the query is that common
    (`fulltext.probe_rows`), the list's other conditions are read for its first PROBE_ROWS rows, each
    tested against the query, and stop at cap + 1 matches. Only a list whose conditions are ANDed and
    hold one full-text search of its own model's text."""
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or query.where.negated or query.where.connector != AND:
        return None
    searches = [
        child
        for child in query.where.children
        if type(child) is fulltext.Fulltext
        and getattr(child.lhs, "alias", None) == query.base_table
        and getattr(child.lhs.target, "name", None) == "search_text"
        and child.lhs.target.model is queryset.model
    ]
    if len(searches) != 1:
        return None
    search = searches[0]
    folded_words = fulltext.words(str(search.rhs))
    probe = fulltext.probe_rows(connection, queryset.model, folded_words, cap + 1)
    if not probe:
        return None
    rest = queryset.order_by()
    rest.query.where = WhereNode([child for child in query.where.children if child is not search], AND)
    first_rows = fulltext.first_rows(rest, str(search.rhs), probe)
    try:
        sql, params = first_rows.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    with connection.cursor() as cursor:
        # The ORM's own compiled SQL, its values passed as parameters.
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) AS first_rows "  # nosec B608
            "WHERE first_rows.found_match LIMIT %s) AS found",
            [*params, cap + 1],
        )
        found = cursor.fetchone()[0]
    return found if found > cap else None


def _models_named_in(sql: str) -> set[type[models.Model]]:
    """The models whose table a compiled statement names (the ORM quotes every table it reads)."""
    by_table = _models_by_table()
    return {by_table[name] for name in _QUOTED.findall(sql) if name in by_table}


_QUOTED = re.compile(r'"([^"]+)"')


@functools.cache
def _models_by_table() -> dict[str, type[models.Model]]:
    from django.apps import apps

    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def list_count(queryset, *, above: int | None = None, cap: int | None = None) -> tuple[int, str]:
    """(count, approximate) for a list's paginator. Only the whole table (a query with no condition at
    all: no filter, no search, no permission scope) on PostgreSQL is estimated, and only when the
    planner believes it holds more than `above` rows; otherwise the count is capped at `above` + 1
    rows, which is exact for a smaller table. A filtered list (a local officer's scope included)
    gets its exact COUNT(*), as does every list on SQLite, unless `cap` is given: then it is counted
    up to `cap` + 1 rows and past `cap` reads "more than `cap`" (a list searched with its search box,
    SEARCH_COUNT_CAP: a common word matches tens of thousands of rows, issue #20).

    On PostgreSQL, a list over a table of more than settings.STIMS_KEEP_COUNTS_ABOVE rows (the planner's
    figures, read every few minutes) keeps its count, exact or capped, under the version of the tables
    its statement reads (`_kept_count`): counted again only once one of them has changed."""
    if cap is not None:
        counted = capped_count(queryset, cap)
        return (cap, "more") if counted > cap else (counted, "")
    above = ESTIMATE_ABOVE if above is None else above
    query = queryset.query
    whole_table = (
        not query.where
        and not query.distinct
        and not query.combinator
        and query.low_mark == 0
        and query.high_mark is None
        and not query.group_by
    )
    connection = connections[queryset.db]
    big = _big_table_rows(queryset)
    if big is not None:
        # A big table's count, kept while the tables counted are unchanged (the whole of it estimated
        # past `above`, from the planner's figures already read).
        if whole_table and big > above:
            return big, "about"
        if whole_table:
            capped = queryset.order_by().values("pk")[: above + 1]
            counted = _kept_count("core.list_count", capped, capped.count)
            return (above, "more") if counted > above else (counted, "")
        counting = queryset.order_by()
        counting.query.select_related = False  # the rows counted, not what their columns show
        return _kept_count("core.list_count", counting, counting.count), ""
    if not whole_table or connection.vendor != "postgresql":
        return queryset.count(), ""
    # One statement: the planner's estimate, and only when it is small the count capped at above + 1
    # rows (PostgreSQL evaluates the CASE's subquery only when that branch is taken).
    sql, params = queryset.order_by().values("pk").query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        # The ORM's own compiled SQL, its values passed as parameters.
        cursor.execute(
            "SELECT estimate.n, CASE WHEN estimate.n > %s THEN NULL ELSE "  # nosec B608
            f"(SELECT count(*) FROM ({sql} LIMIT %s) AS capped) END "
            "FROM (SELECT coalesce((SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)), -1)"
            " AS n) AS estimate",
            [above, *params, above + 1, connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        estimate, capped = cursor.fetchone()
    if capped is None:
        return int(estimate), "about"
    if capped > above:
        return above, "more"
    return capped, ""


# The body of a table: django-tables2's template walks 25 rows × 8 cells through the template engine
# (each cell's attributes rebuilt, its localisation asked, its value rendered: about 10 ms a page).
# `table_rows` writes the same <tr>/<td> markup in Python: per column, a cell's attributes are built once
# when they cannot depend on the row (no callable in them).


def _static_td_html(table, bound_column) -> str | None:
    """The attributes of a column's <td> when they are the same on every row, else None."""
    if type(table).get_column_class_names is not tables.Table.get_column_class_names:
        return None
    attrs = {**table.attrs, **bound_column.column.attrs}
    td = attrs.get("td", attrs.get("cell", {}))
    if any(callable(value) for value in td.values()):
        return None
    bound_column.current_record = bound_column.current_value = None
    return bound_column.attrs["td"].as_html()


def _cell_html(bound_column, cell, context) -> str:
    """`{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}` as django-tables2's template has it."""
    localize = bound_column.localize
    if localize is not None:
        cell = str(formats.localize(cell, use_l10n=bool(localize)))
    return render_value_in_context(cell, context)


def _value_only_render(bound_column, *, linked=False):
    """The column's render callable when django-tables2 would call it with the cell's value alone (or
    nothing) and link nothing around it — a plain column, a date, a yes/no without a record — else None.
    Such a cell is `render(value=value)`, without the dictionary of six optional arguments built, the
    signature matched and the link looked up for every cell (BoundRow._call_render). `linked`: the
    same for a linked column's content (the link is then put around it by `_CellReader`)."""
    column = bound_column.column
    if (bound_column.link and not linked) or isinstance(column, (BaseLinkColumn, tables.ManyToManyColumn)):
        return None
    render = bound_column.render
    args, keywords = cached_signature(render)
    if keywords is not None or not set(args) <= {"value"}:
        return None
    if args:
        return lambda bound_column, value=None: render(value=value)
    return lambda bound_column, value=None: render()


_MISSING = object()
_UNREAD = object()  # a cell's value that could not be read


def _forward_fields(model, bits: Sequence[str]) -> list | None:
    """The model fields an accessor's steps name from `model` — each step but the last a forward
    relation (a foreign or one-to-one key), the last any field — or None when a step is not a field of
    its model or a step before the last is not such a relation."""
    from django.core.exceptions import FieldDoesNotExist

    fields: list = []
    current: Any = model
    for bit in bits:
        if fields and not (fields[-1].is_relation and fields[-1].concrete and not fields[-1].many_to_many):
            return None
        try:
            field = current._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        fields.append(field)
        current = field.related_model
    return fields or None


class _CellReader:
    """Reads a column's value from a record as `BoundRow._get_and_render_with` does — the value at the
    column's accessor, or a choice field's label through `get_FOO_display()` — with what does not
    change from row to row worked out once: the accessor's parts, the model field at its end.

    django-tables2 builds a new `Accessor` for every cell, then resolves its path twice (once to the
    last object, once to the value), trying each step first as a dictionary key, which on a model
    instance raises and catches a TypeError: about half of a list page's cells' time. Here a step on
    an object that cannot be indexed (a model instance, most of all) is an attribute read at once,
    with the same rules (a callable is called unless it alters data or asks not to be, a None ends the
    path); anything else — a dictionary, a list, an accessor with arguments for its callables — is
    left to django-tables2's own `Accessor.resolve`."""

    def __init__(self, bound_column):
        self.accessor = tables_utils.Accessor(bound_column.accessor)
        self.bits = tuple(self.accessor.bits)
        self.path = tables_utils.Accessor(self.accessor.rpartition(self.accessor.SEPARATOR)[0])
        self.remainder = self.bits[-1] if self.bits else ""
        self.display = f"get_{self.remainder}_display"
        self.simple = not (self.accessor.callable_args or self.accessor.callable_kwargs)
        self.fields: dict[type, Any] = {}  # record class → the model field at the accessor's end
        self.paths: dict[type, tuple | None] = {}  # record class → `_model_path`
        column = bound_column.column
        self.column = column
        self.link_text = isinstance(column, BaseLinkColumn) and column.text is not None
        self.many = isinstance(column, tables.ManyToManyColumn)
        # A plain link (`_plain_link`): its <a> written here, not by LinkTransform, which builds an
        # AttributeDict, a keyword dictionary and two format_html calls for each of a page's ~50 links.
        link = _plain_link(bound_column)
        self.content = _value_only_render(bound_column, linked=True) if link is not None else None
        if self.content is not None:
            self.link_to = tables_utils.Accessor(
                link.accessor if link.accessor is not None else bound_column.name
            )
            self.link_bits = tuple(self.link_to.bits)

    def _linked(self, content, record):
        """`LinkTransform.__call__(content, record=record, …)` for a plain link."""
        target = self._resolve(self.link_bits, self.link_to, record)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                raise TypeError(f"for linkify=True, '{target}' must have a method get_absolute_url")
            target = record
        href = target.get_absolute_url()
        if href is None:
            return content
        return mark_safe(f'<a href="{conditional_escape(href)}">{conditional_escape(content)}</a>')  # nosec B308 B703 # both escaped

    def _resolve(self, bits, accessor, record):
        """`accessor.resolve(record)` (raising as it does)."""
        if not self.simple:
            return accessor.resolve(record)
        current = record
        for bit in bits:
            if hasattr(type(current), "__getitem__"):
                return accessor.resolve(record)  # dictionaries, lists, querysets: django-tables2's rules
            value = getattr(current, bit, _MISSING)
            if value is _MISSING:
                return accessor.resolve(record)  # its error, as django-tables2 words it
            if callable(value):
                if getattr(value, "alters_data", False):
                    return accessor.resolve(record)
                if not getattr(value, "do_not_call_in_templates", False):
                    value = value()
            current = value
            if current is None:
                break
        return current

    def _model_path(self, kind) -> tuple | None:
        """(the relations to follow, the field's name, its label method or None) when the accessor is
        a chain of model fields on records of class `kind` — forward relations, then a field — whose
        values are never callables, so a cell is a few attribute reads; else None."""
        if (
            not (isinstance(kind, type) and issubclass(kind, models.Model))
            or not self.simple
            or not self.bits
        ):
            return None
        fields = _forward_fields(kind, self.bits)
        if fields is None:
            return None
        field = fields[-1]
        if field.is_relation and (not field.concrete or field.many_to_many):
            return None
        display = self.display if getattr(field, "choices", None) and not field.is_relation else None
        return self.bits[:-1], self.bits[-1], display

    def _chain_value(self, record, path):
        """The value at a chain of model fields (`_model_path`): attribute by attribute, a None ending
        it, a choice field as its label; _UNREAD when a step raises (a related record missing)."""
        relations, name, display = path
        target = record
        try:
            for bit in relations:
                target = getattr(target, bit)
                if target is None:
                    return None
            return getattr(target, display)() if display else getattr(target, name)
        except Exception:
            return _UNREAD

    def _resolved_value(self, record):
        """The value as `BoundRow._get_and_render_with` reads it: a choice's label when the object
        before the last step is a model, else the accessor resolved; _UNREAD when resolving raises."""
        try:
            penultimate = self._resolve(self.bits[:-1], self.path, record)
        except Exception:
            penultimate = None
        if isinstance(penultimate, models.Model):
            kind = type(record)
            field = self.fields.get(kind, _MISSING)
            if field is _MISSING:
                field = self.fields[kind] = self.accessor.get_field(record)
            display_fn = getattr(penultimate, self.display, None)
            if getattr(field, "choices", ()) and display_fn:
                return display_fn()
        if not self.remainder:
            return None
        try:
            return self._resolve(self.bits, self.accessor, record)
        except Exception:
            return _UNREAD

    def cell(self, row, bound_column, render_func, default):
        """`row._get_and_render_with(bound_column, render_func, default)`."""
        record = row.record
        path = self.paths.get(type(record), _MISSING)
        if path is _MISSING:
            path = self.paths[type(record)] = self._model_path(type(record))
        value = self._chain_value(record, path) if path is not None else self._resolved_value(record)
        if value is _UNREAD:  # as django-tables2: a linked column's text alone, else an empty value
            if self.link_text:
                return render_func(bound_column)
            value = None
        if value in self.column.empty_values or (self.many and not value.exists()):
            return default
        if self.content is not None:
            return self._linked(self.content(bound_column, value), record)
        return render_func(bound_column, value)


def _plain_link(bound_column):
    """The column's link when it is `linkify=True` as django-tables2 makes it — to the
    `get_absolute_url()` of the object at the column's name, else of the record, with no attributes
    of its own — else None. (`_CellReader` writes it only when the content is the value alone.)"""
    link = bound_column.link
    if type(link) is not LinkTransform or link.url is not None or link.reverse_args or link.attrs:
        return None
    return link


def table_rows(table, context) -> str:
    """The rows of a table's <tbody> as `django_tables2/bootstrap5.html` writes them (its empty text
    when there are none).

    Each cell as `BoundRow.items()` gives it (the value read through the column's accessor, a choice's
    label, the column's default for an empty value, then its render), with what does not change from row
    to row worked out once per column: the <td> attributes, the default, how render is called."""
    columns = list(table.columns)
    plan = [
        (
            column,
            _static_td_html(table, column),
            _value_only_render(column),
            column.default,
            _CellReader(column).cell,
        )
        for column in columns
    ]
    parts = []
    for row in table.paginated_rows:
        parts.append(f"<tr {row.attrs.as_html()}>")
        record = row.record
        for column, static_td, render, default, read in plan:
            cell = read(row, column, render or row._call_render, default)
            if static_td is None:
                column.current_value, column.current_record = cell, record
                td = column.attrs["td"].as_html()
            else:
                td = static_td
            parts.append(f"<td {td}>{_cell_html(column, cell, context)}</td>")
        parts.append("</tr>")
    if not parts and table.empty_text:
        parts.append(format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text))
    return mark_safe("\n".join(parts))  # nosec B308 B703 # every value above is escaped or safe HTML


# --- Only the columns a list shows (issue #20) ----------------------------------------------------------
#
# A list page's rows were read with every column of the record and of each joined record: a task has 31
# columns (two long texts), each of its five joined records ten to twenty more, each one a value converted
# and set on a model instance for 25 rows (about a tenth of the task list's time). `shown_fields` works out
# from a table's columns which fields its cells read, and the list reads those only (`QuerySet.only`).
# Whatever it cannot see through — a table method, an attribute or a link reading the record, a column
# class of its own reading the record, an accessor that is not a field — makes it read everything, unless
# the table names what its own code reads in `row_fields`. The tests render every list page both ways and
# compare the HTML, and count the deferred fields loaded (none may be).

_VALUE_ONLY_LIBRARY = {
    tables.Column.render,
    tables.Column.value,
    tables.BooleanColumn.render,
    tables.BooleanColumn.value,
    tables.ManyToManyColumn.render,
    tables.DateColumn.value,
    tables.DateTimeColumn.value,
    tables.TimeColumn.value,
}


_VALUE_ONLY_COLUMNS = (
    tables.BooleanColumn,
    tables.ManyToManyColumn,
    tables.DateColumn,
    tables.DateTimeColumn,
    tables.TimeColumn,
)
_DATE_TEMPLATE = re.compile(r'\{\{ value\|(date|time):"[^"]*"\|default:default \}\}')  # their template


def _reads_value_only(function) -> bool:
    """The function (a column's or a table's method, unbound) is given the cell's value and nothing of
    the record: django-tables2's own value-only methods, or one whose parameters are `self` and `value`."""
    if function in _VALUE_ONLY_LIBRARY:
        return True
    try:
        args, keywords = cached_signature(function)
    except (TypeError, ValueError):
        return False
    if args[:1] == ("self",):
        args = args[1:]
    return keywords is None and set(args) <= {"value"}


def _links_by_key(model) -> bool:
    """The model's page is reached through its key alone (`LinkedModel.get_absolute_url`), or it has none."""
    from .models import LinkedModel

    url = getattr(model, "get_absolute_url", None)
    return url is None or url is LinkedModel.get_absolute_url


def _attrs_read_record(attrs) -> bool:
    return any(
        callable(value) or (isinstance(value, dict) and _attrs_read_record(value)) for value in attrs.values()
    )


def _field_path(model, accessor: str) -> tuple[str | None, type[models.Model] | None]:
    """(the path for `only()`, the model at the accessor's end when it is a relation) of a column's
    accessor; (None, None) when the accessor is not a chain of fields ending on a field or a forward
    relation (a property, a method, a reverse relation's rows)."""
    bits = accessor.replace(".", "__").split("__")
    fields = _forward_fields(model, bits)
    if fields is None:
        return None, None
    field = fields[-1]
    if not field.is_relation:
        return "__".join(bits), None
    if not field.concrete or field.many_to_many:  # reverse relations, many-to-many, generic keys
        return ("", None) if field.many_to_many or field.one_to_many else (None, None)
    return "__".join(bits), field.related_model


def _joined_paths(select_related, prefix: str = "") -> list[str]:
    paths = []
    for name, nested in select_related.items():
        path = f"{prefix}{name}"
        paths.append(path)
        paths += _joined_paths(nested, f"{path}__")
    return paths


@functools.lru_cache(maxsize=512)
def _shown_fields(
    table_class, model, joins: tuple[str, ...], annotations: frozenset[str] = frozenset()
) -> tuple[str, ...] | None:
    declared = getattr(table_class, "row_fields", None)
    fields: list[str] = [field for field in declared or () if field not in annotations]
    unknown = False
    if not _links_by_key(model) or _attrs_read_record(table_class._meta.row_attrs or {}):
        unknown = True
    for name, column in table_class.base_columns.items():
        for prefix in ("render_", "value_"):
            method = getattr(table_class, f"{prefix}{name}", None)
            if method is not None and not _reads_value_only(method):
                unknown = True
        if not (_reads_value_only(type(column).render) and _reads_value_only(type(column).value)):
            # Yes/no, many-to-many and django-tables2's date and time columns (a template formatting the
            # value with the `date` filter) read the value only.
            if not isinstance(column, _VALUE_ONLY_COLUMNS) or (
                isinstance(column, tables.TemplateColumn)
                and not _DATE_TEMPLATE.fullmatch(column.template_code or "")
            ):
                unknown = True
        if _attrs_read_record(column.attrs or {}):
            unknown = True
        accessor = column.accessor if column.accessor is not None else name
        if getattr(accessor, "callable_args", None) or getattr(accessor, "callable_kwargs", None):
            unknown = True
            continue
        if str(accessor) in annotations:  # a value the list's query computes (a subquery, a label)
            continue
        path, related = _field_path(model, str(accessor))
        if path is None:
            unknown = True
            continue
        link = column.link
        if link is not None:
            plain = type(link) is LinkTransform and link.url in (None, record_link) and not link.reverse_args
            if not plain or (related is not None and not _links_by_key(related)):
                unknown = True
        if path:
            fields.append(path)
    if unknown and declared is None:
        return None
    for join in joins:  # a joined record no column reads in part is read whole (only() must name it)
        if not any(field == join or field.startswith(f"{join}__") for field in fields):
            fields.append(join)
    # A record read whole (a cell showing it, a join) whose own fields are also named in part (a join
    # through it, a column of its name) has all its fields named: only() would read the named ones alone.
    for path in list(fields):
        related = _field_path(model, path)[1]
        if related is not None and any(field.startswith(f"{path}__") for field in fields):
            fields += [f"{path}__{field.name}" for field in related._meta.concrete_fields]
    return tuple(dict.fromkeys(fields))


def shown_fields(table_class, queryset) -> tuple[str, ...] | None:
    """The field paths a list's rows need for `table_class`'s cells (for `queryset.only()`), or None
    when they cannot be told or the queryset already chooses its columns."""
    query = queryset.query
    if (
        queryset._fields is not None
        or query.deferred_loading != (frozenset(), True)
        or query.combinator
        or query.select_related is True
    ):
        return None
    joins = tuple(sorted(_joined_paths(query.select_related))) if query.select_related else ()
    return _shown_fields(table_class, queryset.model, joins, frozenset(query.annotations))
