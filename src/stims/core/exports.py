"""Exports that open well in Excel, and whose cells are data, never formulas.

Excel (a Vietnamese office's, with "." as thousands separator and "," as decimal mark):
  * dates are real dates shown dd/mm/yyyy, numbers are numbers with a format (`#,##0`, which a
    Vietnamese Excel shows as 14.149), years stay plain (2026, not 2.026), yes/no reads "Có"/"Không";
  * the sheet is named in Vietnamese ("Nhiệm vụ KH&CN", never "Export Data" or a title-cased name),
    its header is bold, wrapped and frozen, total rows are labelled and bold, and columns are as wide as
    their content up to `MAX_WIDTH` characters (longer text wraps);
  * CSV starts with a UTF-8 byte-order mark, without which Excel on Windows garbles the diacritics.

Formula injection (OWASP): a name typed by any user, such as `=HYPERLINK("http://…"&A2,"Click")`, must
not become a live formula in the workbook a colleague opens. So:
  * XLSX: every text cell is written as text (never as a formula), and one that begins with a
    character a spreadsheet reads as the start of a formula (`= + - @`, tab, carriage return) also
    carries Excel's quote prefix, so editing the cell later keeps it text; the value itself is kept
    exactly;
  * CSV, which has no cell types: such a value is written with a leading apostrophe.

Every export path goes through here: list pages, reports and dashboards (`SafeTableExport`,
django-tables2's exporter) and the workbooks of the Excel imports (`core.imports.write_workbook`).
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tables2 import BooleanColumn
from django_tables2.export import TableExport
from tablib import Dataset

from .text import fold

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60  # characters: a wider column wraps its text instead
MIN_WIDTH = 8
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0#"
YEAR_FORMAT = "0"
CSV_BOM = "\ufeff"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value):
    """The value for a CSV cell: a formula-like text gets a leading apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def excel_value(value):
    """A value as a spreadsheet cell holds it: yes/no as "Có"/"Không", a lazy text as text, an aware
    date-time in local time (Excel has no time zones), everything else unchanged."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def csv_value(value):
    """A value as a CSV cell: dates dd/mm/yyyy, yes/no in words, formula-like text neutralised."""
    value = excel_value(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return csv_safe(value)


def sheet_title(title) -> str:
    """A valid sheet name (at most 31 characters, none of `[]:*?/\\`), first letter capitalised."""
    cleaned = SHEET_NAME_FORBIDDEN.sub(" ", capfirst(force_str(title or "")).strip())
    return (cleaned or "STIMS")[:31].strip()


def text_cells(sheet) -> None:
    """Marks every text cell of an openpyxl sheet as text, with Excel's quote prefix where its value
    looks like a formula. openpyxl would otherwise store any text beginning with "=" as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if is_formula_like(cell.value):
                    cell.quotePrefix = True


def _is_year_column(header, values) -> bool:
    words = fold(str(header)).split()
    numbers = [v for v in values if isinstance(v, int | Decimal | float) and not isinstance(v, bool)]
    return (
        ("nam" in words or "year" in words)
        and bool(numbers)
        and all(float(v).is_integer() and 1900 <= v <= 2200 for v in numbers)
    )


def _number_format(value) -> str:
    if isinstance(value, int):
        return INTEGER_FORMAT
    return INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT


def _shown_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_sheet(sheet, headers, rows, *, totals: int = 0) -> None:
    """Fills an openpyxl sheet: bold wrapped frozen header, typed cells with formats, the last `totals`
    rows bold (their labels come with the rows), widths capped at `MAX_WIDTH`, text kept as text."""
    from openpyxl.styles import Alignment, Font

    headers = [force_str(h) for h in headers]
    rows = [[excel_value(value) for value in row] for row in rows]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    for index in range(max(len(rows) - totals, 0) + 2, len(rows) + 2) if totals else ():
        for cell in sheet[index]:
            cell.font = bold
    text_cells(sheet)  # text stays text: nothing a user typed becomes a formula
    for position, header in enumerate(headers):
        column = [row[position] if position < len(row) else None for row in rows]
        year = _is_year_column(header, column)
        cells = [sheet.cell(row=n + 2, column=position + 1) for n in range(len(rows))]
        for cell in cells:
            value = cell.value
            if isinstance(value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.number_format = YEAR_FORMAT if year else _number_format(value)
            elif isinstance(value, str) and (len(value) > MAX_WIDTH or "\n" in value):
                cell.alignment = wrap
        # The header may wrap onto two lines, so it needs only about half its length.
        widest = max([(_shown_length(header) + 1) // 2, *(_shown_length(v) for v in column)], default=0)
        letter = sheet.cell(row=1, column=position + 1).column_letter
        sheet.column_dimensions[letter].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)


def write_workbook(headers, rows, *, title="STIMS", totals: int = 0) -> bytes:
    """An .xlsx of one named sheet, written by `write_sheet`."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    write_sheet(sheet, headers, rows, totals=totals)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_csv(headers, rows) -> str:
    """CSV text with a UTF-8 byte-order mark, cells as `csv_value` writes them."""
    dataset = Dataset(headers=[csv_safe(force_str(h)) for h in headers])
    for row in rows:
        dataset.append([csv_value(value) for value in row])
    return CSV_BOM + dataset.export("csv")


class SafeTableExport(TableExport):
    """django-tables2's exporter, for CSV and XLSX, written as above. Cells keep their type (a
    `DateColumn` gives a date, a `MoneyColumn` a number); a `BooleanColumn` gives Có/Không.

    `title` names the sheet (default: the table model's plural name); `totals` is how many rows at the
    end are total rows (shown bold)."""

    def __init__(
        self, export_format, table, exclude_columns=None, dataset_kwargs=None, *, title=None, totals=0
    ):
        self.totals = totals
        kwargs = dict(dataset_kwargs or {})
        if title is not None:
            kwargs["title"] = title
        super().__init__(export_format, table, exclude_columns=exclude_columns, dataset_kwargs=kwargs)

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        exclude_columns = exclude_columns or ()
        columns = [
            column
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in exclude_columns)
        ]
        title = (dataset_kwargs or {}).get("title") or getattr(table, "export_title", None)
        if not title:
            model = getattr(table._meta, "model", None)
            title = model._meta.verbose_name_plural if model is not None else "STIMS"
        dataset = Dataset(title=sheet_title(title))
        dataset.headers = [force_str(column.header, strings_only=True) for column in columns]
        for row in table.rows:
            values = []
            for column in columns:
                value = force_str(row.get_cell_value(column.name), strings_only=True)
                if isinstance(column.column, BooleanColumn) and value in ("True", "False"):
                    value = yes_no(value == "True")
                values.append(value)
            dataset.append(values)
        return dataset

    def export(self):
        headers = list(self.dataset.headers or [])
        if self.format == self.XLSX:
            return write_workbook(headers, list(self.dataset), title=self.dataset.title, totals=self.totals)
        if self.format == self.CSV:
            return write_csv(headers, list(self.dataset))
        return super().export()
