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
import math
import re
from decimal import Decimal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tables2 import BooleanColumn
from django_tables2.export import TableExport
from django_tables2.rows import BoundRow
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


# --------------------------------------------------------------------------------------------------
# Streamed exports (issue #20): a list of 100,000 rows starts downloading at once, in bounded memory.
#
# The rows are read from the database in chunks (`QuerySet.iterator(chunk_size=…)`, with any
# prefetch done chunk by chunk) and written out as they come: CSV line by line, XLSX by a writer of its
# own that streams the ZIP archive (stdlib `zipfile` on a write-only sink, so no file is kept whole in
# memory or on disk). Up to `STREAM_AFTER` rows an export is answered whole, as before (with its
# length); past it, streamed. A streamed workbook is written as `write_sheet` writes one — bold wrapped
# frozen header, typed cells with the same number formats, text as text with the quote prefix on
# formula-like text — except that its column widths and year columns are judged on the first
# `STREAM_AFTER` rows (the sheet's column widths precede its rows in the file).

STREAM_AFTER = 500  # rows: a larger export is streamed (its first byte waits for these rows)
CHUNK_ROWS = 2000  # rows read from the database at a time, and written out at a time

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Cell styles of a streamed workbook (indexes into styles.xml's cellXfs, in this order).
(
    _PLAIN,
    _HEADER,
    _DATE,
    _DATETIME,
    _INTEGER,
    _DECIMAL,
    _YEAR,
    _WRAP,
    _QUOTED,
    _QUOTED_WRAP,
) = range(10)
_STYLES = (
    _XML + f"<styleSheet {_NS}>"
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
    '<numFmt numFmtId="165" formatCode="DD/MM/YYYY HH:MM"/><numFmt numFmtId="166" formatCode="#,##0.0#"/>'
    "</numFmts>"
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="10">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _escape(text: str) -> str:
    text = _XML_ILLEGAL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cell(text: str, style: int) -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    styled = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{styled}><is><t{space}>{_escape(text)}</t></is></c>'


def _xlsx_cell(value, year: bool) -> str:
    value = excel_value(value)
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, datetime.datetime | datetime.date):
        from openpyxl.utils.datetime import to_excel

        style = _DATETIME if isinstance(value, datetime.datetime) else _DATE
        return f'<c s="{style}"><v>{to_excel(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        if (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            return _text_cell(str(value), _PLAIN)
        style = _YEAR if year else (_INTEGER if _number_format(value) == INTEGER_FORMAT else _DECIMAL)
        return f'<c s="{style}"><v>{value}</v></c>'
    text = force_str(value)
    wrap = len(text) > MAX_WIDTH or "\n" in text
    if is_formula_like(text):
        return _text_cell(text, _QUOTED_WRAP if wrap else _QUOTED)
    return _text_cell(text, _WRAP if wrap else _PLAIN)


class _Sink(io.RawIOBase):
    """A write-only, unseekable file: what zipfile writes is taken out in pieces (`drain`)."""

    def __init__(self):
        super().__init__()
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def stream_workbook(headers, rows, *, title="STIMS"):
    """An .xlsx of one named sheet, yielded in pieces as `rows` (an iterable) is read: the first piece
    once the first `STREAM_AFTER` rows are read (they set the column widths), then one piece every
    `CHUNK_ROWS` rows. Memory holds one chunk of rows, never the workbook."""
    import itertools
    import zipfile

    headers = [force_str(h) for h in headers]
    rows = iter(rows)
    head = [list(row) for row in itertools.islice(rows, STREAM_AFTER)]
    years, widths = [], []
    for position, header in enumerate(headers):
        column = [excel_value(row[position]) if position < len(row) else None for row in head]
        years.append(_is_year_column(header, column))
        widest = max([(_shown_length(header) + 1) // 2, *(_shown_length(v) for v in column)], default=0)
        widths.append(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    sheet_name = _escape(sheet_title(title)).replace('"', "&quot;")
    parts = {
        "[Content_Types].xml": _XML
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": _XML
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": _XML + f"<workbook {_NS} {_R_NS}><sheets>"
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _XML
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }
    for name, content in parts.items():
        archive.writestr(name, content)
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>' for i, width in enumerate(widths, 1)
    )
    with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
        sheet.write(
            (
                _XML + f'<worksheet {_NS}><sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/></sheetView></sheetViews>'
                f"<cols>{cols}</cols><sheetData>"
                "<row>" + "".join(_text_cell(h, _HEADER) for h in headers) + "</row>"
            ).encode()
        )

        def write(chunk) -> None:
            sheet.write(
                "".join(
                    "<row>" + "".join(_xlsx_cell(v, years[i]) for i, v in enumerate(row)) + "</row>"
                    for row in chunk
                ).encode()
            )

        write(head)
        del head
        yield sink.drain()
        while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
            write(chunk)
            yield sink.drain()
        sheet.write(b"</sheetData></worksheet>")
    archive.close()
    yield sink.drain()


def stream_csv(headers, rows):
    """CSV text with a UTF-8 byte-order mark, cells as `csv_value` writes them, yielded as bytes every
    `CHUNK_ROWS` rows."""
    import csv
    import itertools

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow([csv_safe(force_str(h)) for h in headers])
    yield buffer.getvalue().encode("utf-8")  # the first byte at once
    buffer.seek(0)
    buffer.truncate()
    rows = iter(rows)
    while True:
        chunk = list(itertools.islice(rows, CHUNK_ROWS))
        for row in chunk:
            writer.writerow([csv_value(value) for value in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        if not chunk:
            return


class SafeTableExport(TableExport):
    """django-tables2's exporter, for CSV and XLSX, written as above. Cells keep their type (a
    `DateColumn` gives a date, a `MoneyColumn` a number); a `BooleanColumn` gives Có/Không.

    `title` names the sheet (default: the table model's plural name); `totals` is how many rows at the
    end are total rows (shown bold)."""

    def __init__(
        self, export_format, table, exclude_columns=None, dataset_kwargs=None, *, title=None, totals=0
    ):
        """As TableExport, but the rows are read only when the export is written (`response` streams
        a large one; `dataset` and `export()` read every row, as before)."""
        if not self.is_valid_format(export_format):
            raise TypeError(f'Export format "{export_format}" is not supported.')
        self.format, self.table, self.totals = export_format, table, totals
        kwargs = dict(dataset_kwargs or {})
        if title is not None:
            kwargs["title"] = title
        exclude_columns = exclude_columns or ()
        self.columns = [
            column
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in exclude_columns)
        ]
        title = kwargs.get("title") or getattr(table, "export_title", None)
        if not title:
            model = getattr(table._meta, "model", None)
            title = model._meta.verbose_name_plural if model is not None else "STIMS"
        self.title = sheet_title(title)
        self.headers = [force_str(column.header, strings_only=True) for column in self.columns]
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            dataset = Dataset(title=self.title)
            dataset.headers = list(self.headers)
            for values in self.iter_rows():
                dataset.append(values)
            self._dataset = dataset
        return self._dataset

    @dataset.setter
    def dataset(self, value) -> None:
        self._dataset = value

    def records(self):
        """The table's rows, read from the database in chunks when its data is a query (with its
        ordering, select_related and prefetch_related), else as the table holds them."""
        data = getattr(self.table.data, "data", None)
        if isinstance(data, QuerySet):
            for record in data.iterator(chunk_size=CHUNK_ROWS):
                yield BoundRow(record, table=self.table)
        else:
            yield from self.table.rows

    def iter_rows(self):
        """Each row's exported values, one list a row, as they are read."""
        booleans = [isinstance(column.column, BooleanColumn) for column in self.columns]
        names = [column.name for column in self.columns]
        for row in self.records():
            values = []
            for name, boolean in zip(names, booleans, strict=True):
                value = force_str(row.get_cell_value(name), strings_only=True)
                if boolean and value in ("True", "False"):
                    value = yes_no(value == "True")
                values.append(value)
            yield values

    def response(self, filename=None):
        """The export as a download: whole up to `STREAM_AFTER` rows, streamed past it (CSV and XLSX;
        a table with total rows is always whole)."""
        if self.format not in (self.CSV, self.XLSX) or self.totals:
            return super().response(filename=filename)
        import itertools

        rows = self.iter_rows()
        head = list(itertools.islice(rows, STREAM_AFTER + 1))
        if len(head) <= STREAM_AFTER:
            dataset = Dataset(title=self.title)
            dataset.headers = list(self.headers)
            for values in head:
                dataset.append(values)
            self._dataset = dataset
            return super().response(filename=filename)
        stream = itertools.chain(head, rows)
        if self.format == self.CSV:
            body = stream_csv(self.headers, stream)
        else:
            body = stream_workbook(self.headers, stream, title=self.title)
        response = StreamingHttpResponse(body, content_type=self.content_type())
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export(self):
        headers = list(self.dataset.headers or [])
        if self.format == self.XLSX:
            return write_workbook(headers, list(self.dataset), title=self.title, totals=self.totals)
        if self.format == self.CSV:
            return write_csv(headers, list(self.dataset))
        return super().export()
