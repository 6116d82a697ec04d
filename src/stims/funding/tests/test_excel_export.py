"""The budget by year, exported and read back as Excel reads it: amounts are numbers grouped by
thousands, years stay plain, the total row says what it is and stands out."""

import io

import openpyxl
import pytest
from django.urls import reverse

from stims.core.exports import INTEGER_FORMAT
from stims.funding.models import FundingSource

from .conftest import D, M, pay, plan, planned_state_550, tranche

pytestmark = pytest.mark.django_db


def test_the_budget_by_year_exports_numbers_with_formats_and_a_labelled_total(
    client, specialist, make_task, ba_che
):
    task = make_task("A", ordering_unit=ba_che)
    planned_state_550(task)
    tranche(task, 1, 300 * M, D(2024, 3, 1))
    pay(task, 300 * M, D(2024, 4, 1))
    plan(make_task("B", ordering_unit=ba_che), 2025, FundingSource.STATE_LUMP_SUM, 80 * M)

    response = client.get(
        reverse("funding:budget_by_year"), {"year_from": "2024", "year_to": "2025", "_export": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Kinh phí theo năm"
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == [2024, 2025, "Tổng cộng"]
    assert rows[0][0].number_format == "0"  # the year: 2024, never "2.024"
    assert rows[0][1].value == 400 * M and rows[0][1].data_type == "n"
    assert all(cell.number_format == INTEGER_FORMAT for row in rows for cell in row[1:])
    assert rows[2][1].value == 730 * M
    assert all(cell.font.b for cell in rows[2]) and not any(cell.font.b for cell in rows[0])
