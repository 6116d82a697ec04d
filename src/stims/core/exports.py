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
import itertools
import math
import re
from contextlib import nullcontext
from decimal import Decimal

from django.db import connections, transaction
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
# length); past it, streamed. Whether it is streamed is judged on one LIMIT query of the first rows (no
# count of the list first); the streamed export then sends its first bytes at once (CSV: the header
# line; XLSX: the archive's fixed parts and the header row) and reads every row through one cursor (on
# PostgreSQL a server-side cursor in a transaction of its own, so that the first rows come before the
# last are computed). Plain columns are read straight from their accessor (`cell_readers`), not
# through django-tables2's per-cell machinery. A streamed workbook is written as `write_sheet` writes one — bold wrapped
# frozen header, typed cells with the same number formats, text as text with the quote prefix on
# formula-like text — except that its column widths and year columns are judged on the first
# `STREAM_AFTER` rows (the sheet's column widths precede its rows in the file).

STREAM_AFTER = 500  # rows: a larger export is streamed
CHUNK_ROWS = 2000  # rows read from the database at a time, and written out at a time
FIRST_CHUNK_ROWS = 100  # rows of the first piece written out (the first rows arrive at once)

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


def _chunks(rows):
    """`rows` in lists: `FIRST_CHUNK_ROWS` first (the first rows go out soon), then `CHUNK_ROWS`."""
    rows = iter(rows)
    size = FIRST_CHUNK_ROWS
    while chunk := list(itertools.islice(rows, size)):
        yield chunk
        size = CHUNK_ROWS


def _fixed_parts(sheet_name: str) -> dict[str, str]:
    """The parts of a streamed workbook that do not depend on its rows."""
    return {
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


def stream_workbook(headers, rows, *, title="STIMS", sample=None):
    """An .xlsx of one named sheet, yielded in pieces as `rows` (an iterable) is read. The column widths
    and year columns are judged on the rows `sample()` gives (the first rows, read apart) when given,
    after the archive's fixed parts are yielded (the first bytes, at once); without it, on the first
    `STREAM_AFTER` rows of `rows`. Then one piece every `CHUNK_ROWS` rows (the first ones
    sooner). Memory holds one chunk of rows, never the workbook."""
    import zipfile

    headers = [force_str(h) for h in headers]
    rows = iter(rows)
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    sheet_name = _escape(sheet_title(title)).replace('"', "&quot;")
    for name, content in _fixed_parts(sheet_name).items():
        archive.writestr(name, content)
    if sample is not None:
        yield sink.drain()  # the first bytes, before any row is read
        head: list = []
        judged = [list(row) for row in itertools.islice(sample(), STREAM_AFTER)]
    else:
        head = judged = [list(row) for row in itertools.islice(rows, STREAM_AFTER)]
    years, widths = [], []
    for position, header in enumerate(headers):
        column = [excel_value(row[position]) if position < len(row) else None for row in judged]
        years.append(_is_year_column(header, column))
        widest = max([(_shown_length(header) + 1) // 2, *(_shown_length(v) for v in column)], default=0)
        widths.append(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
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
        del head, judged
        yield sink.drain()
        for chunk in _chunks(rows):
            write(chunk)
            yield sink.drain()
        sheet.write(b"</sheetData></worksheet>")
    archive.close()
    yield sink.drain()


def stream_csv(headers, rows):
    """CSV text with a UTF-8 byte-order mark, cells as `csv_value` writes them, yielded as bytes every
    `CHUNK_ROWS` rows."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(CSV_BOM)
    writer.writerow([csv_safe(force_str(h)) for h in headers])
    yield buffer.getvalue().encode("utf-8")  # the first byte at once
    buffer.seek(0)
    buffer.truncate()
    for chunk in _chunks(rows):
        for row in chunk:
            writer.writerow([csv_value(value) for value in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def _plain_reader(accessor, empty, default):
    """A plain column's exported value, as `BoundRow.get_cell_value` gives it."""

    def read(row):
        try:
            value = accessor.resolve(row.record)
        except Exception:
            return None
        if value in empty:
            return None
        return default if value is None else value

    return read


def _cell_reader(name: str):
    def read(row):
        return row.get_cell_value(name)

    return read


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
        self._queryset: QuerySet | None = None

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

    def queryset(self) -> QuerySet | None:
        """The table's rows as a query (with its ordering, select_related and prefetch_related), read
        from the database chosen now (the read replica while the view exports), or None."""
        if self._queryset is None:
            data = getattr(self.table.data, "data", None)
            if isinstance(data, QuerySet):
                self._queryset = data.using(data.db)
        return self._queryset

    def records(self, limit: int | None = None):
        """The table's rows (the first `limit` of them), read from the database in chunks when its data
        is a query, else as the table holds them.

        On PostgreSQL the whole list is read through one server-side cursor inside a transaction of its
        own (opened when the first row is asked for): a cursor outside a transaction would be declared
        WITH HOLD, which makes PostgreSQL compute every row before giving the first."""
        data = self.queryset()
        if data is None:
            rows = self.table.rows
            yield from (rows if limit is None else itertools.islice(rows, limit))
            return
        if limit is not None:
            for record in data[:limit]:
                yield BoundRow(record, table=self.table)
            return
        connection = connections[data.db]
        streamed = connection.vendor == "postgresql" and not connection.settings_dict.get(
            "DISABLE_SERVER_SIDE_CURSORS"
        )
        with (
            transaction.atomic(using=data.db)
            if streamed and not connection.in_atomic_block
            else nullcontext()
        ):
            for record in data.iterator(chunk_size=CHUNK_ROWS):
                yield BoundRow(record, table=self.table)

    def cell_readers(self) -> list:
        """For each exported column, row → its exported value: as django-tables2's
        `BoundRow.get_cell_value`, and for a plain column (the value as the record holds it: no
        `value_…`/`render_…` method, no choices, no link or many-to-many column) straight from the
        accessor, which is most of the time an export of 100,000 rows spends."""
        from django_tables2.columns.base import Column
        from django_tables2.columns.linkcolumn import BaseLinkColumn
        from django_tables2.columns.manytomanycolumn import ManyToManyColumn
        from django_tables2.utils import Accessor

        model = getattr(self.table._meta, "model", None)
        readers = []
        for bound in self.columns:
            column, name = bound.column, bound.name
            boolean = isinstance(column, BooleanColumn)
            plain = (
                model is not None
                and type(column).value is Column.value
                and type(column).render is Column.render
                and not isinstance(column, BaseLinkColumn | ManyToManyColumn)
                and getattr(bound.value, "__func__", None) is Column.value
            )
            accessor = Accessor(bound.accessor)
            if plain:
                try:
                    field = accessor.get_field(model)
                except Exception:
                    field = None
                plain = field is None or not getattr(field, "choices", None)
            read = (
                _plain_reader(accessor, column.empty_values, bound.default) if plain else _cell_reader(name)
            )
            readers.append((read, boolean))
        return readers

    def iter_rows(self, records=None):
        """Each row's exported values, one list a row, as they are read."""
        readers = self.cell_readers()
        for row in self.records() if records is None else records:
            values = []
            for read, boolean in readers:
                value = force_str(read(row), strings_only=True)
                if boolean and value in ("True", "False"):
                    value = yes_no(value == "True")
                values.append(value)
            yield values

    def response(self, filename=None):
        """The export as a download: whole up to `STREAM_AFTER` rows, streamed past it (CSV and XLSX;
        a table with total rows is always whole). Whether to stream is judged on the first rows alone
        (one LIMIT query, no count); a streamed export sends its header at once, then the rows as one
        cursor reads them."""
        if self.format not in (self.CSV, self.XLSX) or self.totals:
            return super().response(filename=filename)
        data = self.queryset()
        if data is not None:  # more than STREAM_AFTER rows? One cheap query: no sort, no columns
            large = bool(list(data.order_by().values_list("pk", flat=True)[STREAM_AFTER : STREAM_AFTER + 1]))
        else:
            large = len(self.table.rows) > STREAM_AFTER
        if not large:
            dataset = Dataset(title=self.title)
            dataset.headers = list(self.headers)
            for values in self.iter_rows():
                dataset.append(values)
            self._dataset = dataset
            return super().response(filename=filename)
        if self.format == self.CSV:
            body = stream_csv(self.headers, self.iter_rows())
        else:  # the first rows (read once the archive's first parts are out) set the column widths
            body = stream_workbook(
                self.headers,
                self.iter_rows(),
                title=self.title,
                sample=lambda: self.iter_rows(self.records(limit=STREAM_AFTER)),
            )
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
