"""The cheaper paths of a list page (issue #20) write the markup of the templates they replace: a table's
rows (`core.tables.table_rows`); a form's selects and inputs are compared in test_renderers.py."""

import datetime
import itertools
import re

import django_tables2 as tables
import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from stims.core.tables import DateColumn, YesNoColumn, _CellReader, cached_signature, table_rows


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


class Sample(tables.Table):
    name = tables.Column(linkify=lambda record: f"/x/{record['id']}/", attrs={"td": {"class": "fw-bold"}})
    count = tables.Column(localize=True)
    year = tables.Column(localize=False)
    flag = YesNoColumn()
    day = DateColumn()
    note = tables.Column(empty_values=(), attrs={"td": {"data-note": lambda value: value}})
    raw = tables.Column()

    class Meta:
        row_attrs = {
            "data-id": lambda record: record["id"],
            "class": lambda record: "x" if record["id"] else "",
        }

    def render_note(self, record):
        return format_html("<em>{}</em>", record["name"])


ROWS = [
    {
        "id": i,
        "name": f"Hà <Nội> {i}",
        "count": 12345 * i,
        "year": 2020 + i,
        "flag": i % 2 == 0,
        "day": datetime.date(2026, 1, i + 1),
        "raw": None if i == 1 else "&",
    }
    for i in range(3)
]


def rendered(table, template_name: str, request=None) -> str:
    request = request or RequestFactory().get("/")
    table.template_name = template_name
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )


def test_a_tables_rows_are_the_markup_of_django_tables2s_template():
    with translation.override("vi"):
        for rows in (ROWS, []):
            ours = rendered(Sample(rows), "core/table.html")
            theirs = rendered(Sample(rows), "django_tables2/bootstrap5-responsive.html")
            # Our template translates the pager; the rows are the same.
            body = re.compile(r"<tbody.*</tbody>", re.S)
            assert normalised(body.search(ours).group()) == normalised(body.search(theirs).group())


class Holder:
    """A record that is not a model and cannot be indexed, with what accessors meet on the way."""

    def __init__(self, inner=None, word="chữ"):
        self.inner = inner
        self.word = word
        self.items = {"key": "từ điển"}
        self.letters = ["a", "b"]

    def __str__(self):
        return f"<{self.word}>"

    def get_absolute_url(self):
        return f"/h/{self.word}/?a=1&b=<2>"

    def shout(self):
        return self.word.upper()

    def erase(self):  # never called from a table
        self.word = ""

    erase.alters_data = True  # type: ignore[attr-defined]

    def kept(self):
        return "not called"

    kept.do_not_call_in_templates = True  # type: ignore[attr-defined]


class Paths(tables.Table):
    word = tables.Column()
    inner_word = tables.Column(accessor="inner__word")
    shout = tables.Column()
    inner_shout = tables.Column(accessor="inner__shout")
    erase = tables.Column()
    kept = tables.Column()
    missing = tables.Column(accessor="inner__nothing", default="—")
    linked = tables.Column(accessor="inner__nothing", linkify=lambda record: "/x/", default="—")
    items = tables.Column()
    from_dict = tables.Column(accessor="items__key")
    from_list = tables.Column(accessor="letters__1")
    length = tables.Column(accessor="word__upper")


def test_a_cell_is_read_as_django_tables2_reads_it():
    """The cell reader takes its own path only through objects that cannot be indexed and leaves the
    rest (dictionaries, lists, strings, data-altering methods) to django-tables2: each cell, for
    records with and without a None on the way, is what `BoundRow._get_and_render_with` gives."""
    records = [
        Holder(Holder(word="trong")),
        Holder(None),
        {"word": "dict", "inner__word": "flat", "items": "the key, not the method"},
    ]
    table = Paths(records)
    for row in table.rows:
        for column in table.columns:
            expected = row._get_and_render_with(column, row._call_render, column.default)
            got = _CellReader(column).cell(row, column, row._call_render, column.default)
            assert str(got) == str(expected), (column.name, row.record)
    assert [records[0].word, records[1].word] == ["chữ", "chữ"]  # nothing that alters data was called


class Links(tables.Table):
    inner = tables.Column(linkify=True)  # to the object at the column's name
    word = tables.Column(linkify=True)  # a text there: to the record
    shout = tables.Column(linkify=True, default="—")
    styled = tables.Column(accessor="word", linkify=True, attrs={"a": {"class": "x"}})  # django-tables2's


def test_a_linked_cell_is_the_link_django_tables2_writes():
    records = [Holder(Holder(word="trong & ngoài")), Holder(None, word="<b>")]
    table = Links(records)
    plain = 0
    for row in table.rows:
        for column in table.columns:
            reader = _CellReader(column)
            plain += reader.content is not None
            expected = row._get_and_render_with(column, row._call_render, column.default)
            got = reader.cell(row, column, row._call_render, column.default)
            assert str(got) == str(expected), (column.name, row.record)
    assert plain == 2 * 3  # every link but the one with attributes of its own took the short path


@pytest.mark.django_db
def test_a_choice_cell_reads_its_label():
    from stims.orgs.models import Organization, OrganizationKind

    class Kinds(tables.Table):
        kind = tables.Column()

        class Meta:
            model = Organization
            fields = ["kind"]

    record = Organization(name="UBND xã", kind=OrganizationKind.PEOPLES_COMMITTEE)
    table = Kinds([record])
    row, column = next(iter(table.rows)), table.columns["kind"]
    with translation.override("vi"):
        got = _CellReader(column).cell(row, column, row._call_render, column.default)
        assert str(got) == str(record.get_kind_display())
        assert str(got) == str(row._get_and_render_with(column, row._call_render, column.default))


def test_a_cell_on_a_chain_of_model_fields_is_read_as_django_tables2_reads_it():
    """Model records take the attribute path (`_CellReader._model_path`): a field, a field through a
    relation, a relation that is None on the way, a choice's label through a relation, a relation
    itself (its label) — each cell what django-tables2 gives."""
    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization, OrganizationKind

    class Chains(tables.Table):
        name = tables.Column()
        parent_name = tables.Column(accessor="parent__name", default="—")
        parent_kind = tables.Column(accessor="parent__kind", default="—")
        unit = tables.Column(accessor="admin_unit", default="—")
        unit_level = tables.Column(accessor="admin_unit__level", default="—")
        not_a_field = tables.Column(accessor="get_kind_display")

    unit = AdminUnit(name="Xã Ba Chẽ", level="commune", code="1")
    parent = Organization(name="UBND tỉnh", kind=OrganizationKind.PEOPLES_COMMITTEE)
    records = [
        Organization(
            name="Phòng Kinh tế", kind=OrganizationKind.PEOPLES_COMMITTEE, parent=parent, admin_unit=unit
        ),
        Organization(name="Không cấp trên", kind=OrganizationKind.PEOPLES_COMMITTEE),
    ]
    table = Chains(records)
    with translation.override("vi"):
        for row in table.rows:
            for column in table.columns:
                reader = _CellReader(column)
                expected = row._get_and_render_with(column, row._call_render, column.default)
                got = reader.cell(row, column, row._call_render, column.default)
                assert str(got) == str(expected), (column.name, row.record)
    assert _CellReader(table.columns["parent_kind"])._model_path(Organization) == (
        ("parent",),
        "kind",
        "get_kind_display",
    )
    assert (
        _CellReader(table.columns["not_a_field"])._model_path(Organization) is None
    )  # django-tables2's path


def test_a_signature_is_inspected_once_per_function():
    class Probe:
        def render(self, value, record):
            return value

    first, second = Probe().render, Probe().render
    assert cached_signature(first) == (("value", "record"), None)
    assert cached_signature(second) is cached_signature(first)
    assert cached_signature(lambda **kwargs: 1) == ((), "kwargs")


@pytest.mark.slow  # every list page rendered twice over the demo data (4 s): a proof for CI's slow tier
@pytest.mark.django_db
def test_every_lists_rows_over_the_demo_data_are_the_markup_of_django_tables2s_template(client, demo_data):
    """Each registered list page, as the administrator sees it over the demo data (every kind of
    column: links, choices' labels, dates, yes/no, empty values, custom renders): its rows written by
    `table_rows` are the rows django-tables2's own template writes for the same table and page."""
    from stims.accounts.models import User
    from stims.core.tests.test_list_queries import list_pages

    client.force_login(User.objects.create_superuser("rows.admin", password="pw-for-tests-123"))
    rows = re.compile(r"<tbody[^>]*>(.*)</tbody>", re.S)
    compared = 0
    with translation.override("vi"):
        for name, url, _model in list_pages():
            response = client.get(url, {"per_page": "100"}, secure=True)
            assert response.status_code == 200, name
            table = response.context.get("table")
            if table is None:
                continue
            table._counter = itertools.count()
            ours = str(table_rows(table, Context({"table": table, "request": response.wsgi_request})))
            table._counter = itertools.count()
            theirs = rendered(table, "django_tables2/bootstrap5-responsive.html", response.wsgi_request)
            assert normalised(ours) == normalised(rows.search(theirs).group(1)), name
            compared += bool(table.rows)
    assert compared >= 35  # lists with rows in the demo data (38 on 06/12/2026)


@pytest.mark.django_db
def test_model_selects_read_their_options_in_one_query_without_a_server_side_cursor(
    client, demo_data, monkeypatch
):
    """Every model select (forms, filter forms, the browsable API's) reads its options with one query,
    never through `QuerySet.iterator()` — a server-side cursor on PostgreSQL (core.forms)."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stims.accounts.models import User
    from stims.geo.models import AdminUnit, Level

    provinces = AdminUnit.objects.filter(level=Level.PROVINCE).order_by("pk")
    field = forms.ModelChoiceField(queryset=provinces)
    no_cursor = mock.patch.object(
        connection, "chunked_cursor", side_effect=AssertionError("a server-side cursor")
    )
    with no_cursor, CaptureQueriesContext(connection) as queries:
        options = [(str(value), label) for value, label in field.choices]
        again = [(str(value), label) for value, label in field.choices]  # read again, not kept
    assert options == again == [("", "---------")] + [(str(u.pk), str(u)) for u in provinces]
    assert len(queries) == 2
    from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
    from rest_framework.views import APIView

    monkeypatch.setattr(APIView, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])  # browsable API on
    client.force_login(User.objects.create_superuser("selects.admin", password="pw-for-tests-123"))
    with no_cursor:
        for url in (reverse("sttasks:task_list"), reverse("api:task-list")):  # the page, the browsable API
            assert client.get(url, secure=True, HTTP_ACCEPT="text/html").status_code == 200, url
