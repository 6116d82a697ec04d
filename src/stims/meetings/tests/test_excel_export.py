"""The directives list exported to Excel: a one-off deadline is a real date, a recurring one says how
it recurs; the sheet is named in Vietnamese."""

import datetime
import io

import openpyxl
from django.urls import reverse

from stims.core.exports import DATE_FORMAT
from stims.meetings.models import Recurrence


def test_the_directive_list_exports_deadlines_as_dates(client, specialist, make_directive):
    make_directive(text="Phục tráng giống lúa Bao Thai", deadline=datetime.date(2026, 6, 30))
    make_directive(text="Theo dõi giá lúa", recurrence=Recurrence.REGULARLY, deadline=None)
    client.force_login(specialist)  # in Vietnamese, the default language
    response = client.get(reverse("meetings:directive_list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Nhiệm vụ được giao"
    headers = [c.value for c in sheet[1]]
    column = headers.index("Thời hạn")
    deadlines = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    once = deadlines["Phục tráng giống lúa Bao Thai"]
    assert (
        once.is_date and once.value.date() == datetime.date(2026, 6, 30) and once.number_format == DATE_FORMAT
    )
    assert deadlines["Theo dõi giá lúa"].value == "thường xuyên"
