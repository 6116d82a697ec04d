"""Exports whose cells are data, never formulas (CSV and formula injection, OWASP).

A name typed by any user, such as `=HYPERLINK("http://…"&A2,"Click")`, must not become a live formula
in the workbook a colleague opens. So:
  * XLSX: every text cell is written as text (never as a formula), and one that begins with a
    character a spreadsheet reads as the start of a formula (`= + - @`, tab, carriage return) also
    carries Excel's quote prefix, so editing the cell later keeps it text; the value itself is kept
    exactly;
  * CSV, which has no cell types: such a value is written with a leading apostrophe.

Every export path goes through here: list pages and dashboards (`SafeTableExport`, django-tables2's
exporter) and the workbooks of the Excel imports (`core.imports.write_workbook`).
"""

from __future__ import annotations

from django_tables2.export import TableExport
from tablib import Dataset

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value):
    """The value for a CSV cell: a formula-like text gets a leading apostrophe."""
    return f"'{value}" if is_formula_like(value) else value


def text_cells(sheet) -> None:
    """Marks every text cell of an openpyxl sheet as text, with Excel's quote prefix where its value
    looks like a formula. openpyxl would otherwise store any text beginning with "=" as a formula."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if is_formula_like(cell.value):
                    cell.quotePrefix = True


class SafeTableExport(TableExport):
    """django-tables2's exporter, for CSV and XLSX, with the cells made safe as above. XLSX goes
    through the same writer as the import workbooks (bold frozen header, dd/mm/yyyy dates)."""

    def export(self):
        if self.format == self.XLSX:
            from .imports import write_workbook

            return write_workbook(
                list(self.dataset.headers or []), list(self.dataset), title=self.dataset.title
            )
        if self.format == self.CSV:
            safe = Dataset(headers=[csv_safe(h) for h in self.dataset.headers or []])
            for row in self.dataset:
                safe.append([csv_safe(value) for value in row])
            return safe.export(self.CSV)
        return super().export()
