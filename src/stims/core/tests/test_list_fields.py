"""A list page reads only the fields its cells show (`core.tables.shown_fields`, issue #20): the same
page, cell for cell, as with every field read, and not one deferred field loaded afterwards (each would
be a query per row)."""

import re

import django_tables2 as tables
import pytest
from django.db.models import Model

from stims.core import views as core_views
from stims.core.tables import DateColumn, YesNoColumn, shown_fields
from stims.core.tests.test_list_queries import copy_rows, list_pages
from stims.sttasks.models import Task
from stims.sttasks.tables import TaskTable


@pytest.fixture
def deferred_loads(monkeypatch):
    """The fields loaded after the rows were read (Django loads a deferred field by refresh_from_db)."""
    loads: list[str] = []
    original = Model.refresh_from_db

    def spy(self, using=None, fields=None, from_queryset=None):
        loads.append(f"{type(self).__name__}.{','.join(fields or ['*'])}")
        return original(self, using=using, fields=fields, from_queryset=from_queryset)

    monkeypatch.setattr(Model, "refresh_from_db", spy)
    return loads


def _table_html(response) -> str:
    body = re.search(r"<table.*?</table>", response.content.decode(), re.S)
    return body.group() if body else ""


@pytest.mark.slow  # every list page rendered twice over the demo data with its rows copied: about 10 s
def test_every_list_page_is_the_same_with_only_its_shown_fields_read(
    superuser_client, deferred_loads, monkeypatch
):
    narrowed = []
    compared = 0
    for name, url, model in list_pages():
        copy_rows(model)
        deferred_loads.clear()
        response = superuser_client.get(url, {"per_page": "500"})
        assert response.status_code == 200, name
        assert not deferred_loads, f"{name}: deferred fields loaded row by row: {deferred_loads[:5]}"
        table = response.context.get("table") if response.context else None
        if table is None:
            continue
        rows = getattr(table.data, "data", None)
        narrow = getattr(rows, "query", None) is not None and rows.query.deferred_loading[1] is False
        with monkeypatch.context() as whole:
            whole.setattr(core_views, "shown_fields", lambda table_class, queryset: None)
            every_field = superuser_client.get(url, {"per_page": "500"})
        assert _table_html(response) == _table_html(every_field), name
        compared += 1
        if narrow:  # read with only(): the fields named, not every field
            narrowed.append(name)
    assert compared > 35
    # The lists measured against the Django admin (bench/national.py) read only what they show, and so
    # do the three whose table methods read the record (their `row_fields`).
    for name in (
        "sttasks:task_list",
        "initiatives:initiative_list",
        "programmes:plan_list",
        "meetings:localityrequest_list",
        "accounts:user_list",
        "orgs:person_list",
    ):
        assert name in narrowed, name


@pytest.mark.django_db
def test_the_task_list_reads_its_columns_and_the_ordering_units_names_only(superuser_client):
    queryset = Task.objects.select_related(*TaskTable.select_related)
    fields = shown_fields(TaskTable, queryset)
    assert set(fields) == {
        "code",
        "title",
        "task_type__name",
        "level",
        "proposal_year",
        "ordering_unit__name",
        "ordering_organization__name",
        "lead_organization__name",
        "state__name",
        "end_date",
    }
    sql = str(queryset.only(*fields).query)
    assert '"sttasks_task"."search_text"' not in sql  # the long texts the list does not show
    assert '"geo_adminunit"."search_text"' not in sql


class _Plain(tables.Table):
    code = tables.Column(linkify=True)
    state = tables.Column(accessor="state__name")
    end_date = DateColumn()
    joint = YesNoColumn(accessor="is_published")

    class Meta:
        model = Task
        fields = ("code",)


class _ShowsUnit(_Plain):
    unit = tables.Column(accessor="ordering_unit")  # the unit's label: every field of it may be read


class _ReadsRecord(_Plain):
    def render_code(self, value, record):
        return f"{value} {record.title}"


class _Declares(_ReadsRecord):
    row_fields = ("title",)


class _LinksByLambda(_Plain):
    code = tables.Column(linkify=lambda record: f"/t/{record.code}/")


class _NotAField(_Plain):
    age = tables.Column(accessor="get_level_display")


class _Attrs(_Plain):
    code = tables.Column(attrs={"td": {"data-title": lambda record: record.title}})


def test_what_a_table_reads_of_the_record_is_told_from_its_columns_or_it_reads_every_field():
    rows = Task.objects.all()
    assert set(shown_fields(_Plain, rows)) == {"code", "state__name", "end_date", "is_published"}
    joined = shown_fields(_Plain, rows.select_related("state", "lead_organization"))
    assert "lead_organization" in joined  # a joined record no column names is read whole
    # A record shown whole and joined through: all its fields are named, not only the join's key.
    through = set(shown_fields(_ShowsUnit, rows.select_related("ordering_unit__province")))
    assert {
        "ordering_unit",
        "ordering_unit__province",
        "ordering_unit__name",
        "ordering_unit__level",
    } <= through
    assert shown_fields(_ReadsRecord, rows) is None  # a method reading the record
    assert set(shown_fields(_Declares, rows)) >= {"title", "code"}  # … naming what it reads
    assert shown_fields(_LinksByLambda, rows) is None
    assert shown_fields(_NotAField, rows) is None
    assert shown_fields(_Attrs, rows) is None
    assert shown_fields(_Plain, rows.only("code")) is None  # the queryset already chose its columns
    assert shown_fields(_Plain, rows.values("code")) is None
