"""Filter helpers shared by every list page and API endpoint."""

import django_filters
from django import forms
from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import fulltext, permissions, serving
from .forms import FetchedModelChoiceIterator
from .text import fold

EMPTY_LABEL = "---------"
# A search PostgreSQL's statistics say matches at least this many rows of a table is, for a user limited
# to some units or organizations, tested on their rows one by one (`SearchFilterSet.search_row_by_row`).
COMMON_MATCHES = 10_000


class FetchedFilterModelChoiceIterator(django_filters.fields.ModelChoiceIterator, FetchedModelChoiceIterator):
    """django-filter's model select options (its "null" choice included), read with one query like every
    other model select (core.forms.FetchedModelChoiceIterator); installed by `CoreConfig.ready`."""


def searched(filter_names, params) -> bool:
    """A list whose filters (`filter_names`) have the search box `q` is searched by `params`: its `q`
    holds words to look for (the list's page and its API count such a list up to a cap)."""
    return "q" in filter_names and bool(fulltext.words(fold(params.get("q", ""))))


def folded_search_q(value: str, column: str = "search_text", *, row_by_row: bool = False) -> Q:
    """Every word of the query must start a word of the folded search column ("dinh hoa" → "Định
    Hóa", "dinh ho" too as one types, but "an che" does not match "Ba Chẽ": a word is not looked for
    inside another).

    Served by the full-text index of the column's model (`core.fulltext`: a stored tsvector column
    with a GIN index on PostgreSQL, an FTS5 table on SQLite); `column` may cross a link
    ("admin_unit__search_text"). `row_by_row`: tested on each row another index found, never
    through the full-text index (`fulltext.FulltextRowByRow`).
    """
    folded = fold(value)
    if not fulltext.words(folded):
        return Q()
    lookup = "fulltext_rows" if row_by_row else "fulltext"
    return Q(**{f"{column}__{lookup}": folded})


# --- Yes/no filters (wording) ----------------------------------------------------------------------


class YesNoAnySelect(forms.NullBooleanSelect):
    """A yes/no filter's three choices: "Tất cả", "Có", "Không". Django's own widget says "Chưa xác
    định" (unknown) for the first, which reads as a value of the record, not as "any"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", pgettext_lazy("yes/no filter", "Any")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class YesNoAnyMixin:
    """Every yes/no filter of the filter set (declared, or made for a model's BooleanField) offers
    "Tất cả / Có / Không"."""

    def get_form_class(self):
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect) and not isinstance(
                field.widget, YesNoAnySelect
            ):
                field.widget = YesNoAnySelect(attrs=field.widget.attrs)
        return form_class


# ---------------------------------------------------------------------------------------------------


def _has_empty_choice(choices) -> bool:
    return any(value in ("", None) for value, _label in choices)


class FormClassOnceMixin:
    """The filter set's form class built once per filter set class, not for every request (issue #20:
    a third of a filter set's cost, 0.25 ms of every list page and API list).

    django-filter builds a new form class on each request from the request's copies of the filters:
    each filter makes its form field again (a model choice's queryset, a choice list normalised),
    then the class is created. None of that depends on the request here: every filter's choices are a
    fixed list or a queryset, evaluated when the form is shown (a queryset callable, such as
    `province_choices`, takes no account of the request). Each form still gets its own copies of the
    fields (Django's forms deep-copy their class's fields), which the filter sets and the API's filter
    backend narrow to the user afterwards. A filter set whose form does depend on the request sets
    `form_class_per_request = True`.

    One form class per language: a filter without a label of its own is labelled from its model
    field's verbose name, translated when the field is made.

    Each form field is made from this filter set's copies of the filters, which know the model: a
    field made earlier on the class's own filter — drf-spectacular makes them when it writes the API
    schema — was made before the filter knew its model, without that label, and every copy carried it
    (the innovation index's "Đơn vị được xếp hạng" shown as "Unit level" once the schema had been read)."""

    form_class_per_request = False

    def get_form_class(self):
        if self.form_class_per_request:
            return self._form_class_from_copies()
        return serving.kept_per_class(type(self), "_form_classes", self._form_class_from_copies)

    def _form_class_from_copies(self):
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)  # django-filter's cache of the field made
        return super().get_form_class()


class SearchFilterSet(FormClassOnceMixin, YesNoAnyMixin, django_filters.FilterSet):
    """A list's filters: the search box `q` and the app's own. Every single-choice filter offers an
    empty choice (the form submitted untouched filters nothing), and `active_filters()` says which
    filters a request applied, in the words of the form."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(folded_search_q(value, row_by_row=self.search_row_by_row(queryset, value)))

    def search_row_by_row(self, queryset, value: str) -> bool:
        """Whether the list's rows are tested one by one against the search (`fulltext_rows`) instead of
        through the full-text index: for a user limited to some units or organizations (a local officer,
        whose scope's own index finds their rows) searching words PostgreSQL's statistics say are common
        (COMMON_MATCHES or more matches in the table). The index would build a bitmap of every match in
        the country first: 'mat ong' is 120,000 of 1,000,000 IP assets, 107 ms, for an officer's 1,247
        rows, which take 2 ms tested one by one (issue #20)."""
        user = getattr(self.request, "user", None)
        if user is None or permissions.reaches_every_row(user, permissions.VIEW, queryset.model):
            return False
        rows, share = fulltext.common_share(
            connections[queryset.db], queryset.model, fulltext.words(fold(value))
        )
        return rows * share >= COMMON_MATCHES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
            # A select without an empty choice (a TypedChoiceFilter's) would filter on its first option
            # whenever the form is submitted: "Filter" pressed on untouched filters must filter nothing.
            if (
                isinstance(field, forms.ChoiceField)
                and not isinstance(field, forms.MultipleChoiceField)
                and not isinstance(field, forms.ModelChoiceField)
                and not _has_empty_choice(field.choices)
            ):
                field.choices = [("", EMPTY_LABEL), *field.choices]

    def active_filters(self) -> list[tuple[str, str]]:
        """[(label, shown value)] of the filters this request applied (values that were understood)."""
        return active_filters(self)


def active_filters(filterset) -> list[tuple[str, str]]:
    """[(label, shown value)] of a bound filter set's applied filters, as its form shows them: a
    choice by its label, a record by its name, a yes/no by Yes/No."""
    form = filterset.form
    if not filterset.is_bound or not form.is_valid():
        return []
    shown = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        shown.append((str(field.label or name), _shown_value(field, value, form.data.getlist(name))))
    return shown


def _shown_value(field, value, raw: list[str]) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): str(label) for key, label in field.choices}  # type: ignore[misc,union-attr]
        return ", ".join(labels.get(item, item) for item in raw if item != "")
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(item) for item in value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(field, forms.CharField):
        return f"“{value}”"
    return str(value)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A year between 1900 and 2100: any other value is a 400 with the reason, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)
