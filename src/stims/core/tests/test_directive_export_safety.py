"""Finding 6 of issue #12 on the directives' export: a lead unit's name typed as a formula is written to
the directives dashboard's CSV and XLSX exports as text, never as a live formula (the list exports and
the registries workbook: `test_exports.py`, `registries/tests/test_imports.py`)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from stims.core.exports import csv_safe

from .test_exports import INJECTED
from .test_rule_matrix import World

pytestmark = pytest.mark.django_db


def test_the_directives_export_writes_a_formula_like_unit_name_as_text():
    world = World()
    world.office.name = INJECTED  # as a local officer may type it on the organization's form
    world.office.save()
    world.directive()
    client = Client()
    client.force_login(world.users["leader"])
    url = reverse("meetings:dashboard")
    period = {"period": "quarter", "year": "2026", "quarter": "1"}

    response = client.get(url, {**period, "_export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[0] for row in rows]
    assert csv_safe(INJECTED) in names and INJECTED not in names

    response = client.get(url, {**period, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows() if row[0].value == INJECTED]
    assert cells, "the unit's name is in the workbook, as it was typed"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
