"""The Excel import framework: upload → preview → confirm, used by every app that imports workbooks.

People keep their lists in Excel workbooks with Vietnamese column headers. This module reads such a
workbook safely (`read_workbook`), writes one (`write_workbook`), reads cells (the widgets below, each
raising ValueError with a message for the cell), and runs a django-import-export `ModelResource` bound
to the importing user (`ImportResource`): every row checked, a dry-run preview inside a rolled-back
transaction, all rows or none on confirm, errors by row and column, and the user's scope enforced on
every saved record. Between preview and confirm the upload waits in a per-user file (`pending_path`).
The pages themselves are `stims.core.import_views.ImportView`.

What the columns mean, how a row matches a record on record, and any lookup in the directory
(administrative units, organizations, people) belong to the domain resources that subclass
`ImportResource` (e.g. `stims.registries.imports`, `stims.sttasks.imports`); this module imports no
domain or directory app.

    resource = SomeResource(user)
    sheet = read_workbook(uploaded_file)           # ImportFileError with a clear message
    result = resource.run(sheet, dry_run=True)     # preview: nothing is kept
    result = resource.run(sheet, dry_run=False)    # confirm: every row in one transaction, or none
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import hashlib
import hmac
import io
import json
import logging
import operator
import os
import pickle  # nosec B403 # only files this server wrote and signed (keep_checked)
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connections, models, router, transaction
from django.db.models.fields import NOT_PROVIDED as NOT_PROVIDED_DB
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import resources, widgets
from import_export.fields import NOT_PROVIDED

from stims.core import exports, permissions, text

DATABASE_LOST_MESSAGE = _lazy(
    "The connection to the database was lost during the import: nothing was imported. Try again in a "
    "moment; if it happens again, tell the administrator."
)

logger = logging.getLogger(__name__)

# core.text.fold, remembered: a workbook repeats the same few units, groups and producers on every row.
fold = functools.lru_cache(maxsize=100_000)(text.fold)

# Why a row is refused when what it would save lies outside the user's scope, or when it matches a record
# the user may not see (the same words: an import never tells whether such a record exists).
OUTSIDE_SCOPE = _lazy("You may only save records that belong to your own unit or organization.")

# The largest workbook an import reads (settings IMPORT_MAX_BYTES and IMPORT_MAX_ROWS override them, as
# the benchmark of a national-scale import of 100,000 rows does).
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a 5 MB upload that inflates past this is not a register
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

YES, NO = "có", "không"


class ImportFileError(Exception):
    """The upload is not a workbook we can read; the message is shown as is."""


# --------------------------------------------------------------------------------------------------
# Column names as people write them
#
# Each import names its columns (the template's headers) and the other names people give the same
# column in their own workbooks (`ImportResource.column_variants`, documented in docs/registries.md).
# Headers are compared folded: no diacritics, any case, "(*)" and "*" marks ignored, and a trailing
# "(…)" ("Tổng điểm (100)") tried without it.

ROW_NUMBER = "STT"  # the row-number column: recognised so that it is never mistaken for data
ROW_NUMBER_VARIANTS = ("STT", "TT", "Số TT", "Số thứ tự", "No", "No.")
MATCH = "_match"  # where a row keeps its `match` lookup once computed
HEADER_SCAN_ROWS = 20  # title rows above the header: the header is looked for in the first 20 rows
_MARKS = re.compile(r"\(\s*\*\s*\)|\*")
_BRACKETS = re.compile(r"\([^()]*\)")
# A total row: its first text cell is "Tổng cộng", "Cộng", "Tổng số", "Tổng" (then perhaps ":" and a count).
_TOTAL_ROW = re.compile(r"^(tong cong|cong|tong so|tong|total)( \d+.*| san pham.*)?$")
_NUMBERING_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?$|^\(?[a-zA-Z]\)?$")


def header_key(text) -> str:
    return fold(_MARKS.sub(" ", str(text or "")))


class Columns:
    """The columns of an import: each canonical header and the other names people write for it."""

    def __init__(self, variants: dict[str, tuple[str, ...] | list[str]]):  # header → other names
        self.index: dict[str, str] = {}
        for canonical, names in variants.items():
            for name in (canonical, *names):
                self.index.setdefault(header_key(name), canonical)
        for name in ROW_NUMBER_VARIANTS:
            self.index.setdefault(header_key(name), ROW_NUMBER)

    def canonical(self, text) -> str | None:
        key = header_key(text)
        if not key:
            return None
        found = self.index.get(key)
        if found is None and "(" in str(text):
            found = self.index.get(header_key(_BRACKETS.sub(" ", str(text))))
        return found


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]
    row_numbers: list[int] = field(default_factory=list)  # the Excel row number of each row
    # Cells holding a formula that Excel never computed (no value kept in the file): (row number, header).
    formula_cells: set[tuple[int, str]] = field(default_factory=set)
    header_rows: tuple[int, ...] = (1,)  # the Excel row(s) the headers were read from
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row number, why) of rows not read
    source_headers: dict[str, str] = field(default_factory=dict)  # header → as written in the workbook


def _value(value):
    """A cell as openpyxl gives it: None when empty, whole numbers as int."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _first_sheet_xml(data: bytes) -> bytes:
    """The XML of the workbook's first worksheet (where merged cells and formulas are written)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml")
        first = re.search(rb"<(?:\w+:)?sheet\b[^>]*\br:id=\"([^\"]+)\"", workbook)
        rels = (
            archive.read("xl/_rels/workbook.xml.rels")
            if "xl/_rels/workbook.xml.rels" in archive.namelist()
            else b""
        )
        target = None
        if first:
            for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
                if re.search(rb'Id="' + re.escape(first.group(1)) + rb'"', rel.group(0)):
                    found = re.search(rb'Target="([^"]+)"', rel.group(0))
                    target = found.group(1).decode() if found else None
        if target is None:
            return b""
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            return archive.read(path)
        except KeyError:
            return b""


def _merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of the worksheet's merged cells."""
    from openpyxl.utils.cell import range_boundaries

    ranges: list[tuple[int, int, int, int]] = []
    for ref in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml):
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        except (ValueError, TypeError):
            continue
        ranges.append((int(min_col or 1), int(min_row or 1), int(max_col or 1), int(max_row or 1)))
    return ranges


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def _find_header(head: list[list], merges, columns: Columns | None) -> tuple[int, int, list[str]]:
    """(first header row index, number of header rows, headers) among the first rows of the sheet.

    Each row is scored by how many of its cells name a known column; a two-row header (a merged
    parent such as "Điểm đánh giá" above "A", "B", "C") is read as "parent child". Without a known
    column anywhere, the first row is the header (the message then names the missing columns)."""
    width = max((len(r) for r in head), default=0)
    filled = [[_text(v) for v in r] + [""] * (width - len(r)) for r in head]
    for min_col, min_row, max_col, max_row in merges:  # a merged header cell's text fills its range
        if min_row > len(filled):
            continue
        top = filled[min_row - 1][min_col - 1] if min_col - 1 < width else ""
        for r in range(min_row, min(max_row, len(filled)) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if not filled[r - 1][c - 1]:
                    filled[r - 1][c - 1] = top
    if columns is None or not filled:
        return 0, 1, filled[0] if filled else []

    def known(cells: list[str]) -> int:
        return len({columns.canonical(c) for c in cells if c} - {None, ROW_NUMBER})

    best = (0, 0, 1, filled[0])
    for index, cells in enumerate(filled):
        score = known(cells)
        if score > best[0]:
            best = (score, index, 1, cells)
        if index + 1 < len(filled):
            below = filled[index + 1]
            combined = []
            for top, bottom in zip(cells, below, strict=True):
                options = [top] if top == bottom or not bottom else [f"{top} {bottom}".strip(), bottom, top]
                combined.append(next((o for o in options if columns.canonical(o)), options[0]))
            two = known(combined)
            if two > best[0] and two > score:
                best = (two, index, 2, combined)
    return best[1], best[2], best[3]


def _is_numbering_row(values: list) -> bool:
    """The "(1) (2) (3) …" row some workbooks put under the header."""
    cells = [_text(v) for v in values if not is_empty(v)]
    return len(cells) >= 3 and all(_NUMBERING_CELL.match(c) for c in cells)


def byte_limit() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", MAX_BYTES))


def row_limit() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS))


def read_workbook(
    upload, *, max_bytes: int | None = None, max_rows: int | None = None, columns: Columns | None = None
) -> Sheet:
    """The first worksheet of an .xlsx file: its header row and data rows, as people keep them.

    Given the import's `columns`, the header is looked for among the first 20 rows (title rows above
    it are skipped), merged and two-row headers are read, and known headers are renamed to the
    import's own names. Blank rows, a numbering row under the header, rows holding only a row number
    and total rows ("Tổng cộng", "Cộng") are skipped; formula cells Excel never computed are noted.
    The type is judged by content, not by the file name: a renamed text file, an old .xls or a
    broken archive each gets its own message.
    """
    max_bytes = byte_limit() if max_bytes is None else max_bytes
    max_rows = row_limit() if max_rows is None else max_rows
    data = upload.read(max_bytes + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > max_bytes:
        raise ImportFileError(
            _("The file is larger than %(size)d MB. Split it into smaller workbooks.")
            % {"size": max_bytes // (1024 * 1024)}
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("This is an old-format Excel file (.xls). Open it in Excel and save it as .xlsx.")
        )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        if data[:4] == b"PK\x03\x04":  # the start of a workbook, cut short or corrupted
            raise ImportFileError(_("The workbook is damaged and cannot be read."))
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx), whatever its name says."))
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ImportFileError(_("The file is a ZIP archive but not an Excel workbook (.xlsx)."))
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
                raise ImportFileError(_("The workbook is too large once unpacked."))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from exc

    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ImportFileError(_("The workbook has no worksheet."))
        # From cell A1 (so that a row's index is its Excel row number less one); an empty cell is "".
        all_rows = [
            [_value(v) for v in values]
            for values in workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        ]
        sheet_xml = _first_sheet_xml(data)
        merges = _merged_ranges(sheet_xml) if columns is not None else []
        formulas = b"<f>" in sheet_xml or b"<f " in sheet_xml
    except ImportFileError:
        raise
    except Exception as exc:  # the reader raises many kinds of errors for damaged files
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from exc

    first, height, headers = _find_header(all_rows[:HEADER_SCAN_ROWS], merges, columns)
    if columns is not None:
        renamed: list[str] = []
        seen: dict[str, str] = {}
        for header in headers:
            canonical = columns.canonical(header) if header else None
            if canonical and canonical in seen:
                if canonical == ROW_NUMBER:
                    renamed.append("")
                    continue
                raise ImportFileError(
                    _("The columns “%(first)s” and “%(second)s” are the same column; keep one of them.")
                    % {"first": seen[canonical], "second": header}
                )
            if canonical:
                seen[canonical] = header
            renamed.append(canonical or header)
        headers = renamed
    source = dict(seen) if columns is not None else {}
    headers = [str(h).strip() if h is not None else "" for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise ImportFileError(_("The first row of the first worksheet must hold the column headers."))
    width = len(headers)
    number_column = headers.index(ROW_NUMBER) if ROW_NUMBER in headers else None
    sheet = Sheet(
        headers, [], [], header_rows=tuple(range(first + 1, first + height + 1)), source_headers=source
    )
    start = first + height
    for offset, values in enumerate(all_rows[start:]):
        number = start + offset + 1
        values = list(values[:width]) + [None] * (width - len(values))
        values = [v.strip() if isinstance(v, str) else v for v in values]
        data_cells = [v for i, v in enumerate(values) if i != number_column and not is_empty(v)]
        if not data_cells:
            continue  # blank, or only a row number
        if offset == 0 and _is_numbering_row(values):
            sheet.skipped.append((number, "numbering"))
            continue
        first_text = next((v for v in values if isinstance(v, str) and v), None)
        if first_text is not None and _TOTAL_ROW.match(fold(first_text)):
            sheet.skipped.append((number, "total"))
            continue
        if len(sheet.rows) >= max_rows:
            raise ImportFileError(
                _("The workbook has more than %(rows)d rows. Split it into smaller workbooks.")
                % {"rows": max_rows}
            )
        sheet.rows.append(values)
        sheet.row_numbers.append(number)
    if formulas and sheet.rows:
        sheet.formula_cells = _uncomputed_formulas(data, sheet)
    return sheet


def _uncomputed_formulas(data: bytes, sheet: Sheet) -> set[tuple[int, str]]:
    """(row number, header) of the data cells holding a formula whose value Excel never stored."""
    import openpyxl

    wanted = {number: index for index, number in enumerate(sheet.row_numbers)}
    found = set()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            index = wanted.get(number)
            if index is None:
                continue
            for column, value in enumerate(values[: len(sheet.headers)]):
                if isinstance(value, str) and value.startswith("=") and is_empty(sheet.rows[index][column]):
                    found.add((number, sheet.headers[column]))
    finally:
        workbook.close()
    return found


def write_workbook(headers: list[str], rows, *, title: str = "STIMS") -> bytes:
    """An .xlsx with a bold, frozen header row, real dates (dd/mm/yyyy) and numbers, yes/no in words,
    capped column widths, and text written as text, never as a formula (`core.exports.write_workbook`)."""
    return exports.write_workbook(headers, rows, title=title)


# --------------------------------------------------------------------------------------------------
# Cell readers (django-import-export widgets): each raises ValueError with a message for the cell.


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # "Số đơn" typed as a number
        return str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return value or ""


class YesNoWidget(widgets.Widget):
    TRUE = {"co", "x", "yes", "true", "1", "dung"}
    FALSE = {"khong", "no", "false", "0", "sai", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        folded = fold(str(value)) if value is not None else ""
        if folded in self.TRUE:
            return True
        if folded in self.FALSE:
            return False
        raise ValueError(
            _("write “%(yes)s” or “%(no)s”, not “%(value)s”") % {"yes": YES, "no": NO, "value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


_DATE_IN_WORDS = re.compile(r"^(ngay )?(?P<day>\d{1,2}) thang (?P<month>\d{1,2}) nam (?P<year>\d{4})$")


class DateWidget(widgets.Widget):
    """A real Excel date, or text dd/mm/yyyy."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, int | float):
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(value).date()
            except Exception as exc:
                raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": value}) from exc
        return _date_from_text(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return value  # a real date: write_workbook formats it dd/mm/yyyy


@functools.lru_cache(maxsize=10_000)
def _date_from_text(text: str) -> datetime.date:
    """A date written as text, in figures or in words (remembered: a workbook repeats its dates)."""
    words = _DATE_IN_WORDS.search(fold(text))
    if words:  # "ngày 12 tháng 3 năm 2025"
        try:
            return datetime.date(int(words["year"]), int(words["month"]), int(words["day"]))
        except ValueError as exc:
            raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": text}) from exc
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": text})


class NumberWidget(widgets.Widget):
    """A decimal number; "32,5" (Vietnamese decimal comma) reads as 32.5."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("“%(value)s” is not a number") % {"value": value})
        text = str(value).strip().replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("“%(value)s” is not a number") % {"value": value}) from exc
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        return float(value) if value is not None else None


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        try:
            year = int(Decimal(str(value).strip()))
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(_("“%(value)s” is not a year") % {"value": value}) from exc
        if not 1990 <= year <= datetime.date.today().year + 1:
            raise ValueError(_("%(value)s is not a plausible year") % {"value": year})
        return year

    def render(self, value, obj=None, **kwargs):
        return value


class ReferenceWidget(widgets.Widget):
    """A row of a small reference list (product groups, IP types and statuses) by its name or code."""

    def __init__(self, model, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self._index = None

    def lookup(self):
        if self._index is None:
            index = {}
            for obj in self.model._default_manager.all():
                for key in (obj.code, obj.name):
                    index.setdefault(fold(key), []).append(obj)
            self._index = index
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        matches = {obj.pk: obj for obj in self.lookup().get(fold(str(value)), [])}
        if not matches:
            raise ValueError(_("not found “%(value)s”") % {"value": value})
        if len(matches) > 1:
            raise ValueError(_("“%(value)s” matches several entries; use the code") % {"value": value})
        return next(iter(matches.values()))

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


# --------------------------------------------------------------------------------------------------
# Resources


@dataclass
class PreviewRow:
    number: int
    status: str  # "new", "update", "error", "skip"
    values: list
    errors: list[str]
    # The same errors by column (None: the row as a whole), so the preview marks the offending cell.
    cells: dict[str | None, list[str]] = field(default_factory=dict)
    marked: list = field(default_factory=list)  # (value, its cell's errors), set for a preview page

    def cell_errors(self, headers: list[str]) -> list[list[str]]:
        return [self.cells.get(header, []) for header in headers]


@dataclass
class ImportOutcome:
    rows: list[PreviewRow]
    headers: list[str]
    counts: dict[str, int]
    skipped: list[tuple[int, str]] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)  # what the import would add besides rows

    @property
    def has_errors(self) -> bool:
        return self.counts.get("error", 0) > 0

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    def error_cells(self) -> list[dict]:
        """Every error as {"row", "column", "message"} (column None: the row as a whole)."""
        return [
            {"row": row.number, "column": column, "message": message}
            for row in self.rows
            for column, messages in row.cells.items()
            for message in messages
        ]

    def summary(self) -> dict:
        return {
            "rows": len(self.rows),
            "new": self.counts.get("new", 0),
            "updated": self.counts.get("update", 0),
            "errors": self.error_cells(),
            "skipped": [{"row": number, "reason": reason} for number, reason in self.skipped],
            "proposals": list(self.proposals),
        }


@dataclass
class Planned:
    """A checked row waiting to be saved."""

    instance: Any  # a model instance (None only for a row whose reading failed: never saved)
    new: bool
    row: dict
    number: int


def _key_part(value):
    return value.pk if isinstance(value, models.Model) else value


# --------------------------------------------------------------------------------------------------
# Writing checked rows in bulk
#
# Every import that writes in bulk goes through `write_records`: one place that writes the records with
# their history rows and tells whoever keeps something in step with the records (a search index, a
# cache) through the `records_written` signal.

BATCH = 500  # records a bulk statement writes

# Sent after each batch `write_records` writes, inside the import's transaction (so a receiver's writes
# are kept or rolled back with the import's): sender = the model, created = the batch's new records
# (with their ids), updated = the batch's changed records, fields = the fields the update wrote.
records_written = Signal()


def has_history(model) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def write_records(
    model,
    creates,
    updates,
    update_fields,
    *,
    user,
    reason: str,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
    batch_size: int = BATCH,
) -> None:
    """Create `creates` and update `updates` (their `update_fields`) in batches, each with its history
    rows naming `user` and `reason` when the model keeps a history: on PostgreSQL with COPY (batches of
    `COPY_BATCH`, see above), elsewhere with django-simple-history's bulk helpers (batches of
    `batch_size`). Call it inside a transaction: an error in any batch undoes every batch.
    `records_written` is sent and `progress(done, total)` told after each batch."""
    creates, updates = list(creates), list(updates)
    total = len(creates) + len(updates) if total is None else total
    fields = list(update_fields or ())
    connection = connections[router.db_for_write(model)]
    audited = has_history(model)
    if copy_supported(model, connection):
        when = timezone.now()
        with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:

            def create(chunk) -> None:
                _copy_creates(cursor, model, chunk)
                if audited:
                    _copy_history(cursor, model, chunk, user=user, reason=reason, history_type="+", when=when)

            def update(chunk) -> None:
                _copy_updates(cursor, model, chunk, fields)
                if audited:
                    _copy_history(cursor, model, chunk, user=user, reason=reason, history_type="~", when=when)

            _in_batches(model, creates, updates, fields, COPY_BATCH, create, update, progress, total)
        return
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    def bulk_create(chunk) -> None:
        if audited:
            bulk_create_with_history(
                chunk, model, batch_size=batch_size, default_user=user, default_change_reason=reason
            )
        else:
            model._default_manager.bulk_create(chunk, batch_size=batch_size)

    def bulk_update(chunk) -> None:
        if audited:
            bulk_update_with_history(
                chunk, model, fields, batch_size=batch_size, default_user=user, default_change_reason=reason
            )
        else:
            model._default_manager.bulk_update(chunk, fields, batch_size=batch_size)

    _in_batches(model, creates, updates, fields, batch_size, bulk_create, bulk_update, progress, total)


def _in_batches(model, creates, updates, fields, size, create, update, progress, total) -> None:
    """`create` then `update` called on batches of `size` records; after each, `records_written` sent
    and `progress(done, total)` told."""
    done = 0
    for start in range(0, len(creates), size):
        chunk = creates[start : start + size]
        create(chunk)
        records_written.send(sender=model, created=chunk, updated=[], fields=())
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    for start in range(0, len(updates), size):
        chunk = updates[start : start + size]
        update(chunk)
        records_written.send(sender=model, created=[], updated=chunk, fields=tuple(fields))
        done += len(chunk)
        if progress is not None:
            progress(done, total)


# --------------------------------------------------------------------------------------------------
# PostgreSQL: the records and their history rows written with COPY
#
# On PostgreSQL `write_records` streams the rows with COPY (psycopg 3's `cursor.copy`) instead of
# multi-row INSERT and CASE-WHEN UPDATE statements: new records get their ids first, drawn from the
# table's own sequence in one query (so that the history rows and the records that hang on them can
# name them), then are copied in; changed records are copied into a temporary table and applied by one
# UPDATE … FROM it; the history rows are copied in as simple-history's bulk helpers would write them
# (same values: the user, the reason, "+" or "~"). Every statement runs in the caller's transaction,
# so an error anywhere still undoes everything, and the statement triggers that keep the data version
# (core.aggregates) fire for COPY as for INSERT. A model COPY cannot write as Django would (a field
# with a database default) is written with bulk_create / bulk_update, as on SQLite.

COPY_BATCH = 10_000  # records a COPY writes (and `records_written` is told about) at a time

# Field types whose value psycopg writes as Django would (no pre_save, no preparing for the database).
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "DecimalField",
        "FloatField",
        "UUIDField",
        "ForeignKey",
        "OneToOneField",
    }
)


def _copy_fields(model) -> list:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _value_getter(field, connection, *, add: bool):
    """obj → the value COPY writes for `field` (what bulk_create / bulk_update would have sent)."""
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return operator.attrgetter(field.attname)
    if kind in {"DateField", "DateTimeField"} and not (field.auto_now or (add and field.auto_now_add)):
        return operator.attrgetter(field.attname)

    def value(obj):
        raw = field.pre_save(obj, add) if add else getattr(obj, field.attname)
        return field.get_db_prep_save(raw, connection)

    return value


def copy_supported(model, connection) -> bool:
    """Whether `write_records` may write this model's rows (and its history rows) with COPY."""
    if connection.vendor != "postgresql" or not getattr(settings, "IMPORT_COPY", True):
        return False
    models_ = [model]
    if has_history(model):
        history = model.history.model
        names = {f.name for f in history._meta.concrete_fields}
        if not {"history_user", "history_date", "history_type", "history_change_reason"} <= names:
            return False
        models_.append(history)
    for each in models_:
        if each._meta.parents or each._meta.proxy:
            return False
        if any(f.db_default is not NOT_PROVIDED_DB for f in each._meta.concrete_fields):
            return False
    return True


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = cursor.db.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"  # nosec B608 # our own table and column names
    # Django's error classes (IntegrityError, OperationalError…), as for any statement of its cursor.
    with cursor.db.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _copy_creates(cursor, model, chunk) -> None:
    """Insert `chunk` (new records) with COPY, each given its id first (as bulk_create does)."""
    connection = cursor.db
    opts = model._meta
    for obj in chunk:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    pk = opts.pk
    missing = [obj for obj in chunk if obj.pk is None]
    if missing:
        if pk.get_internal_type() not in {"AutoField", "BigAutoField", "SmallAutoField"}:
            for obj in missing:  # a pk with a default (a UUID): bulk_create would set it so
                obj.pk = pk.get_pk_value_on_save(obj)
        else:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(opts.db_table), pk.column, len(missing)],
            )
            for obj, (new_id,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = new_id
    fields = _copy_fields(model)
    getters = [_value_getter(f, connection, add=True) for f in fields]
    _copy(cursor, opts.db_table, [f.column for f in fields], ([get(obj) for get in getters] for obj in chunk))
    for obj in chunk:
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy_updates(cursor, model, chunk, fields: list[str]) -> None:
    """Update `fields` of `chunk` (existing records): COPY into a temporary table, one UPDATE … FROM."""
    if not fields:
        return
    connection = cursor.db
    quote = connection.ops.quote_name
    opts = model._meta
    for obj in chunk:
        obj._prepare_related_fields_for_save(
            operation_name="bulk_update", fields=[opts.get_field(n) for n in fields]
        )
    written = [opts.pk, *(opts.get_field(name) for name in fields)]
    columns = [f.column for f in written]
    temporary = f"stims_write_{opts.db_table}"[:60]
    listed = ", ".join(quote(c) for c in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {quote(temporary)}")  # nosec B608 # our own names
    cursor.execute(
        f"CREATE TEMPORARY TABLE {quote(temporary)} AS SELECT {listed} FROM {quote(opts.db_table)} WITH NO DATA"  # nosec B608 # our own names
    )
    getters = [_value_getter(f, connection, add=False) for f in written]
    _copy(cursor, temporary, columns, ([get(obj) for get in getters] for obj in chunk))
    assignments = ", ".join(f"{quote(c)} = source.{quote(c)}" for c in columns[1:])
    cursor.execute(
        f"UPDATE {quote(opts.db_table)} AS target SET {assignments} FROM {quote(temporary)} AS source "  # nosec B608 # our own names
        f"WHERE target.{quote(opts.pk.column)} = source.{quote(opts.pk.column)}"
    )
    cursor.execute(f"DROP TABLE {quote(temporary)}")  # nosec B608 # our own names


def _constant(value) -> Callable[[Any], Any]:
    return lambda obj: value


def _copy_history(cursor, model, chunk, *, user, reason: str, history_type: str, when) -> None:
    """The history rows of `chunk`, as simple-history's bulk_history_create would write them."""
    from simple_history.utils import get_change_reason_from_object

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    connection = cursor.db
    history = model.history.model
    tracked = {f.attname for f in history.tracked_fields}
    default_user = user.pk if user is not None else None
    specials: dict[str, Callable[[Any], Any]] = {
        "history_date": lambda obj: getattr(obj, "_history_date", when),
        "history_user_id": lambda obj: (
            obj._history_user.pk if getattr(obj, "_history_user", None) is not None else default_user
        ),
        "history_change_reason": lambda obj: get_change_reason_from_object(obj) or reason,
        "history_type": lambda obj: history_type,
        "history_relation_id": operator.attrgetter("pk"),
    }
    fields: list = []
    getters: list[Callable[[Any], Any]] = []
    for column in _copy_fields(history):
        if column.primary_key and column.attname not in tracked:
            continue  # history_id: the table's own sequence
        if column.attname in specials:
            getters.append(specials[column.attname])
        elif column.attname in tracked:
            getters.append(_value_getter(column, connection, add=False))
        else:
            getters.append(_constant(column.get_db_prep_save(column.get_default(), connection)))
        fields.append(column)
    _copy(
        cursor,
        history._meta.db_table,
        [f.column for f in fields],
        ([get(obj) for get in getters] for obj in chunk),
    )


def check_in_scope(model, pks, user, *, batch_size: int = BATCH) -> None:
    """Same rule as the forms: every record an import saved stays inside the user's scope (raises
    ValidationError, which undoes the import's transaction, otherwise). A few queries per 500 records."""
    pks = list(pks)
    allowed = 0
    for start in range(0, len(pks), batch_size):
        chunk = model._default_manager.filter(pk__in=pks[start : start + batch_size])
        allowed += permissions.restrict(chunk, user, permissions.CHANGE).count()
    if allowed != len(pks):
        raise ValidationError(OUTSIDE_SCOPE)


class ImportResource(resources.ModelResource):
    """A ModelResource bound to the importing user; see the module docstring.

    `run` checks every row without writing anything (lookups of the records on record, units and
    organizations are made once per workbook, in memory), and on confirm writes all rows in one
    short transaction (`save_plan`: row by row by default; a resource may write in bulk)."""

    required_columns: tuple[str, ...] = ()
    # Model fields whose errors belong to a column that is not their own import field.
    error_columns: dict[str, str] = {}
    # Other names people give a column in their own workbooks: {template header: (variants…)}.
    column_variants: dict[str, tuple[str, ...]] = {}
    # The columns compared with the template's example row (a row equal on all of them is refused).
    example_columns: tuple[str, ...] = ()
    # Where a row repeating another row of the workbook is marked (None: the row as a whole).
    duplicate_column: str | None = None
    # The fields an update writes when the rows are written in bulk (`write_records`); None: the rows
    # are saved one by one through the model's save().
    bulk_update_fields: tuple[str, ...] | list[str] | None = None

    class Meta:
        clean_model_instances = True
        skip_diff = True
        store_row_values = True
        import_id_fields = ()
        use_transactions = True

    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.model = self._meta.model
        self._row_numbers: list[int] = []
        self._existing: dict | None = None
        self._visible: set = set()
        self._changeable: set = set()
        self.plan: list[Planned] = []
        self.sheet: Sheet | None = None
        self._creates: list = []
        self._updates: list = []
        self.data_version = ""
        self.checked: ImportOutcome | None = None

    @classmethod
    def columns(cls) -> Columns:
        variants: dict[str, tuple[str, ...] | list[str]] = {
            f.column_name: () for f in cls.fields.values() if f.column_name
        }
        variants.update(cls.column_variants)
        return Columns(variants)

    # ---- running

    def check_columns(self, sheet: Sheet) -> None:
        missing = [c for c in self.required_columns if c not in sheet.headers]
        if missing:
            raise ImportFileError(
                _(
                    "The workbook lacks the column(s): %(columns)s. Download the template to see the expected headers."
                )
                % {"columns": ", ".join(f"“{c}”" for c in missing)}
            )

    def run(self, sheet: Sheet, *, dry_run: bool, progress=None) -> ImportOutcome:
        """Check every row (nothing is written); unless `dry_run` or any row has an error, then save all
        rows in one transaction. `progress(done, total)` is told how far the saving has come."""
        self.check_columns(sheet)
        # The version of every table the checks may read, taken before they read anything: a confirm
        # whose version is still this one may write the rows checked here (`keep_checked`).
        self.data_version = data_version()
        self.sheet = sheet
        self._row_numbers = sheet.row_numbers
        headers = sheet.headers
        dicts = [
            {h: v for h, v in zip(headers, values, strict=False) if h and h != ROW_NUMBER}
            for values in sheet.rows
        ]
        self.prepare(dicts)
        example = self.example_key()
        rows: list[PreviewRow] = []
        keys: dict = {}
        self.plan = []
        counts = {"new": 0, "update": 0, "error": 0, "skip": 0}
        for index, row in enumerate(dicts):
            number = sheet.row_numbers[index] if index < len(sheet.row_numbers) else index + 2
            cells: dict[str | None, list[str]] = {}
            planned = self.check_row(row, index, number, cells)
            for cell_row, column in sheet.formula_cells:
                if cell_row == number:
                    cells.setdefault(column, []).append(
                        _(
                            "the cell holds a formula whose result is not saved in the file; open the workbook in Excel, save it, and upload it again"
                        )
                    )
            if example is not None and self.row_example_key(row) == example:
                cells.setdefault(None, []).append(
                    _("this is the template's example row: delete it, or replace it with a real record")
                )
            key = self.duplicate_key(row)
            if key is not None:
                if key in keys:
                    first_index, first_number = keys[key]
                    cells.setdefault(self.duplicate_column, []).append(
                        _("the same record as row %(row)d of this workbook: give each record once")
                        % {"row": first_number}
                    )
                    rows[first_index].cells.setdefault(self.duplicate_column, []).append(
                        _(
                            "the same record is repeated on row %(row)d of this workbook: give each record once"
                        )
                        % {"row": number}
                    )
                else:
                    keys[key] = (index, number)
            status = "error" if cells else ("new" if planned.new else "update")
            rows.append(PreviewRow(number, status, [row.get(h) for h in headers], [], cells))
            if not cells:
                self.plan.append(planned)
        for preview in rows:  # duplicates mark rows already counted: count and word the errors at the end
            if preview.cells:
                preview.status = "error"
            preview.errors = self.error_texts(preview.number, preview.cells)
            counts[preview.status] += 1
        outcome = ImportOutcome(rows, headers, counts, list(sheet.skipped), self.proposals())
        self.checked = ImportOutcome([], headers, counts, list(sheet.skipped), outcome.proposals)
        if dry_run or outcome.has_errors:
            return outcome
        self.write_checked(progress=progress)
        return outcome

    def write_checked(self, *, progress=None) -> ImportOutcome:
        """Write the rows `run` checked (all of them in one transaction) and return what it counted."""
        # Everything that can be computed without writing is computed before the transaction opens: on
        # SQLite (IMMEDIATE transactions) the write lock is taken at BEGIN, and other users' saves wait
        # for as long as it is held.
        self.prepare_plan(self.plan)
        with transaction.atomic():  # the write lock is held only for the writing, never for the checks
            self.save_plan(self.plan, progress=progress)
        if self.checked is None:
            raise RuntimeError("write_checked() writes the rows run() checked")
        return self.checked

    def check_row(self, row: dict, index: int, number: int, cells: dict) -> Planned:
        """Read one row into a (new or existing) instance; errors go into `cells` by column."""
        instance, new = None, True
        errors: dict = {}
        try:
            self.before_import_row(row, row_number=index + 1)
            instance, new = self.get_or_init_instance(None, row)
            self.after_init_instance(instance, new, row)
            try:
                self.import_instance(instance, row)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            self.validate_instance(instance, errors)
        except ValidationError as exc:
            errors = (
                exc.update_error_dict({}) if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            )
        except Exception as exc:  # a bug, never the user's fault: shown rather than hidden
            logger.exception("import of %s: row %s", self.model._meta.label, number)
            cells.setdefault(None, []).append(_("unexpected error: %(error)s") % {"error": exc})
        for field_name, messages in errors.items():
            column = self.column_for(field_name)
            for message in messages:
                text = message.messages[0] if isinstance(message, ValidationError) else str(message)
                cells.setdefault(column, []).append(text)
        return Planned(instance, new, row, number)

    def error_texts(self, number: int, cells: dict) -> list[str]:
        texts = []
        for column, messages in cells.items():
            for message in messages:
                if column:
                    texts.append(
                        _("Row %(row)d, column “%(column)s”: %(message)s")
                        % {"row": number, "column": column, "message": message}
                    )
                else:
                    texts.append(_("Row %(row)d: %(message)s") % {"row": number, "message": message})
        return texts

    def column_for(self, field_name: str) -> str | None:
        if field_name == NON_FIELD_ERRORS:
            return None
        if field_name in self.error_columns:
            return self.error_columns[field_name]
        if field_name in self.fields:
            return self.fields[field_name].column_name
        return None

    def get_import_fields(self):
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_instance(self, instance, row, **kwargs):
        """As django-import-export does (each cell read by its field's widget, the errors gathered by
        field), in fewer steps: this runs once per cell of a 5,000-row workbook."""
        errors = {}
        for cell in self.get_import_fields():
            if not cell.attribute or cell.column_name not in row:
                continue
            try:
                if "__" in cell.attribute or isinstance(cell.widget, widgets.ManyToManyWidget):
                    cell.save(instance, row, **kwargs)
                    continue
                value = cell.widget.clean(row[cell.column_name], row=row)
                if value in cell.empty_values and cell.default != NOT_PROVIDED:
                    value = cell.default
                if value is not None or cell.saves_null_values:
                    setattr(instance, cell.attribute, value)
            except ValueError as exc:
                errors[cell.attribute] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, without re-checking links just read from the database (Django would
        ask the database once per link and row)."""
        errors = dict(import_validation_errors or {})
        looked_up = {
            f.name
            for f in self.model._meta.concrete_fields
            if f.is_relation and f.is_cached(instance) and getattr(instance, f.name) is not None
        }
        try:
            instance.full_clean(exclude={*errors, *looked_up}, validate_unique=validate_unique)
        except ValidationError as exc:
            for key, messages in exc.update_error_dict({}).items():
                if key not in errors:
                    errors[key] = messages
        if errors:
            raise ValidationError(errors)

    # ---- saving

    def prepare_plan(self, plan: list[Planned]) -> None:
        """Ready the checked rows for saving, outside the write transaction: for a resource writing in
        bulk (`bulk_update_fields` set), what save() would have set (`prepare_record`), and the rows
        split into new and existing records; row by row, nothing to do."""
        self._creates, self._updates = [], []
        if self.bulk_update_fields is None:
            return
        now = timezone.now()
        for item in plan:
            self.before_save_instance(item.instance, item.row)
            self.prepare_record(item.instance, item.new, now)
            (self._creates if item.new else self._updates).append(item.instance)

    def prepare_record(self, instance, new: bool, now) -> None:
        """What the model's save() would set on a record written in bulk (bulk writes call no save()):
        the search text and name of a searchable record, and the update stamp."""
        if hasattr(instance, "build_search_text"):
            instance.search_text = instance.build_search_text()
            instance.search_name = fold(instance._resolve(instance.search_name_field) or "")[:255]
        if hasattr(instance, "updated_at"):
            instance.updated_at = now

    def before_bulk_write(self, plan: list[Planned], *, reason: str) -> None:
        """Write what the rows' records refer to before them (e.g. producers new to the directory)."""

    def after_bulk_write(self, plan: list[Planned], *, reason: str) -> None:
        """Write what hangs on the rows' records once they have their ids (events, evaluations…)."""

    def change_reason(self) -> str:
        return _("Imported from Excel")

    def save_plan(self, plan: list[Planned], *, progress=None) -> None:
        """Save the checked rows (inside the caller's transaction): in bulk when `bulk_update_fields`
        is set (`write_records`: a few statements per 500 rows, with their history rows), else row by
        row (each record's own save(), and its scope checked after it)."""
        if self.bulk_update_fields is not None:
            reason = self.change_reason()
            self.before_bulk_write(plan, reason=reason)
            write_records(
                self.model,
                self._creates,
                self._updates,
                self.bulk_update_fields,
                user=self.user,
                reason=reason,
                progress=progress,
                total=len(plan),
            )
            self.after_bulk_write(plan, reason=reason)
            check_in_scope(self.model, [item.instance.pk for item in plan], self.user)
            if progress is not None:
                progress(len(plan), len(plan))
            return
        for done, item in enumerate(plan, start=1):
            self.before_save_instance(item.instance, item.row)
            item.instance.save()
            self.after_save_instance(item.instance, item.row)
            if progress is not None and (done % 100 == 0 or done == len(plan)):
                progress(done, len(plan))

    # ---- hooks

    def prepare(self, rows: list[dict]) -> None:
        """Look up once, for the whole workbook, what the rows will ask for (default: the records on
        record that the rows match, and which of them the user may see and change)."""
        lookups = [lookup for lookup in map(self.row_match, rows) if lookup]
        self._existing = self.records_matching(lookups)

    def records_matching(self, lookups: list[dict]) -> dict:
        """{key: [records]} of the records on record matching any of the lookups, in few queries."""
        found: dict = {}
        by_fields: dict[tuple, list[dict]] = {}
        for lookup in lookups:
            by_fields.setdefault(tuple(sorted(lookup)), []).append(lookup)
        for names, group in by_fields.items():
            # Filter on the most telling field: a name or number rather than a link (a unit holds many).
            first = next((n for n in names if not self.model._meta.get_field(n).is_relation), names[0])
            values = sorted({_key_part(lookup[first]) for lookup in group}, key=str)
            attnames = [self.model._meta.get_field(n).attname for n in names]
            for start in range(0, len(values), 500):
                for obj in self.model._default_manager.filter(
                    **{f"{first}__in": values[start : start + 500]}
                ).order_by("pk"):
                    key = (names, tuple(getattr(obj, a) for a in attnames))
                    found.setdefault(key, []).append(obj)
        pks = [obj.pk for objs in found.values() for obj in objs]
        self._visible, self._changeable = set(), set()
        for start in range(0, len(pks), 500):
            chunk = self.model._default_manager.filter(pk__in=pks[start : start + 500])
            self._visible |= set(
                permissions.restrict(chunk, self.user, permissions.VIEW).values_list("pk", flat=True)
            )
            self._changeable |= set(
                permissions.restrict(chunk, self.user, permissions.CHANGE).values_list("pk", flat=True)
            )
        return found

    def lookup_key(self, lookup: dict):
        names = tuple(sorted(lookup))
        return (names, tuple(_key_part(lookup[n]) for n in names))

    def cell(self, row, column, widget, errors, key):
        """A cleaned cell outside the model fields; its error is collected under `key`."""
        try:
            return widget.clean(row.get(column), row=row)
        except ValueError as exc:
            errors[key] = ValidationError(str(exc))
            return None

    def row_match(self, row) -> dict | None:
        """`match`, once per row (the checks ask for it several times)."""
        if MATCH not in row:
            try:
                row[MATCH] = self.match(row)
            except (ValueError, ValidationError, KeyError):
                row[MATCH] = None
        return row[MATCH]

    def get_instance(self, instance_loader, row):
        lookup = self.row_match(row)
        if lookup is None:
            return None
        if self._existing is None:  # not prepared (a single row checked on its own)
            self._existing = self.records_matching([lookup])
        matches = self._existing.get(self.lookup_key(lookup))
        if not matches:
            return None
        existing = matches[0]
        if existing.pk not in self._changeable:
            if existing.pk not in self._visible:
                # Outside what the user may see: refused as a new record outside their scope is, naming
                # nothing, so that a workbook of keys cannot probe the records of other localities.
                raise ValidationError({NON_FIELD_ERRORS: OUTSIDE_SCOPE})
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _("“%(object)s” is already on record and you may not change it.")
                    % {"object": existing}
                }
            )
        return existing

    def match(self, row) -> dict | None:
        """The lookup of the record a row updates, or None (abstract: each resource says)."""
        raise NotImplementedError

    def duplicate_key(self, row):
        """What makes two rows of one workbook the same record (default: the `match` lookup)."""
        lookup = self.row_match(row)
        return self.lookup_key(lookup) if lookup else None

    def example_key(self):
        """The template's example row, as compared by `row_example_key` (None: no example row)."""
        if not self.example_columns:
            return None
        headers = self.get_export_headers()
        example = dict(zip(headers, self.example_row(), strict=False))
        return self.row_example_key(example)

    def row_example_key(self, row):
        return tuple(fold(str(row.get(c) or "")) for c in self.example_columns)

    def example_row(self) -> list:
        """The template's example row (abstract: resources with a template say)."""
        raise NotImplementedError

    def proposals(self) -> list[str]:
        """What confirming would add besides the rows' records (e.g. producers new to the directory)."""
        return []

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user  # the history names the importer, in a request or not

    def after_save_instance(self, instance, row, **kwargs):
        # Same rule as the forms: a saved record must stay inside the user's scope.
        if not permissions.restrict(
            self.model._default_manager.filter(pk=instance.pk), self.user, permissions.CHANGE
        ).exists():
            raise ValidationError({NON_FIELD_ERRORS: OUTSIDE_SCOPE})

    def export_rows(self, queryset):
        dataset = self.export(queryset)
        return dataset.headers, [list(row) for row in dataset]

    def base_export_queryset(self):
        """The rows an export starts from (abstract: resources that export say; the task import has none)."""
        raise NotImplementedError

    def export_queryset(self):
        return permissions.restrict(self.base_export_queryset(), self.user, permissions.VIEW)


# --------------------------------------------------------------------------------------------------
# The upload kept between preview and confirm
#
# The uploaded workbook waits in a per-user temporary file under MEDIA_ROOT/imports; the session holds
# only a random token, and the path is always rebuilt on the server from the user's id and that token
# (never from anything the browser sends).

TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 24 * 3600


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def pending_path(user, token: str) -> Path:
    if not TOKEN.match(token or ""):
        raise PermissionDenied
    return import_dir() / f"{int(user.pk)}-{token}.xlsx"


def side_path(user, token: str, suffix: str) -> Path:
    """A file kept beside the upload: its preview (".preview.json") or its job's progress (".status.json")."""
    return pending_path(user, token).with_suffix(suffix)


def write_json(path: Path, data: dict) -> None:
    """Written whole or not at all (the progress page may read it while the job writes it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(partial, path)


def read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


CHECKED = ".checked.pickle"  # the checked rows of a preview without errors, ready to be written


def data_version() -> str:
    """The version of every STIMS table (core.aggregates): it moves whenever any change is committed."""
    from . import aggregates

    return aggregates.version(aggregates.tracked_models())


class _Signed(io.RawIOBase):
    """A file written (or read) through an HMAC of its bytes, keyed by the SECRET_KEY."""

    def __init__(self, file):
        super().__init__()
        self.file = file
        self.mac = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.mac.update(data)
        return self.file.write(data)


@contextlib.contextmanager
def _no_gc():
    """The cyclic garbage collector paused: pickling 100,000 records makes millions of objects, which
    would set off full collections over and over (they find nothing to free)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_checked(resource: ImportResource, path: Path) -> dict | None:
    """Keep a previewed resource, its rows checked and without errors, on disk for the confirm: written
    to `path` (pickled and signed), so that the confirm writes these rows instead of checking the
    workbook again when nothing changed in between (`load_checked`). Returns what the confirm needs to
    trust the file ({"version", "digest"}), or None when the resource cannot be kept (the confirm then
    checks the workbook again)."""
    sheet, resource.sheet = resource.sheet, None  # the rows are in the plan; the workbook is on disk
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as out, _no_gc():
            signed = _Signed(out)
            pickle.dump(resource, signed, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except Exception:  # an unpicklable resource: its confirm checks the workbook again, as before
        logger.warning(
            "import of %s: the checked rows could not be kept", resource.model._meta.label, exc_info=True
        )
        partial.unlink(missing_ok=True)
        return None
    finally:
        resource.sheet = sheet
    return {"version": resource.data_version, "digest": signed.mac.hexdigest()}


def load_checked(user, path: Path, kept: dict | None) -> ImportResource | None:
    """The resource `keep_checked` kept, if the file is the one it wrote and no change was committed
    to any table since its rows were checked; else None (the workbook must be checked again)."""
    if not kept or not kept.get("digest") or kept.get("version") != data_version():
        return None
    mac = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)
    try:
        with open(path, "rb") as kept_file:
            while block := kept_file.read(1 << 20):
                mac.update(block)
            if not hmac.compare_digest(mac.hexdigest(), kept["digest"]):
                return None
            kept_file.seek(0)
            with _no_gc():
                resource = pickle.load(kept_file)  # nosec B301 # written by keep_checked, its HMAC checked above
    except Exception:  # unreadable, or kept by an older version of the code: checked again
        logger.warning("import: the checked rows kept at %s could not be read", path, exc_info=True)
        return None
    if not isinstance(resource, ImportResource) or resource.user.pk != user.pk:
        return None
    resource.user = user
    return resource


def discard_pending(request, session_key: str) -> None:
    """Forget the upload kept under `session_key` in the session, and delete its file."""
    pending = request.session.pop(session_key, None)
    if pending:
        try:
            pending_path(request.user, pending.get("token", "")).unlink(missing_ok=True)
            side_path(request.user, pending.get("token", ""), ".preview.json").unlink(missing_ok=True)
            side_path(request.user, pending.get("token", ""), CHECKED).unlink(missing_ok=True)
        except PermissionDenied:
            pass


def sweep_stale(user) -> None:
    """Forget this user's uploads left unconfirmed for more than a day."""
    folder = import_dir()
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.glob(f"{int(user.pk)}-*"):
        if now - path.stat().st_mtime > STALE_SECONDS:
            path.unlink(missing_ok=True)


def workbook_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------------------------------
# The imports of the domains, by kind ("products", "ip", "tasks")
#
# Core knows no domain: each domain registers its importer (`register_importer`) in its `imports`
# module, which is loaded on first use. The `stims import` command and the background job of a
# confirmed import find an importer by its kind.


@dataclass
class Importer:
    kind: str
    label: Callable[[], str]  # "products", "IP assets"… in the user's language
    resource: Callable[[object, dict], ImportResource]  # (user, options) → the resource
    allowed: Callable[[object], bool]  # whether the user may import this kind at all
    message: Callable[[ImportOutcome], str]  # what the page says once the import is done
    list_url: Callable[[], str | None] = lambda: None  # where the imported records are listed
    progress_url: Callable[[str], str] | None = None  # (token) → the progress page of a confirmed import


_IMPORTERS: dict[str, Importer] = {}
_DISCOVERED: list[bool] = []


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def importers() -> dict[str, Importer]:
    """Every domain's importer (each domain's `imports` module loaded once, even when one of them was
    imported before for its own sake)."""
    if not _DISCOVERED:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("imports")
        _DISCOVERED.append(True)
    return dict(_IMPORTERS)


def importer(kind: str) -> Importer:
    found = importers().get(kind)
    if found is None:
        raise KeyError(kind)
    return found


def read_for(resource: ImportResource, data: bytes) -> Sheet:
    """The workbook read with the resource's column names and their variants."""
    return read_workbook(data, columns=type(resource).columns())
