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

import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import resources, widgets
from import_export.results import RowResult

from stims.core import exports, permissions
from stims.core.text import fold

# Why a row is refused when what it would save lies outside the user's scope, or when it matches a record
# the user may not see (the same words: an import never tells whether such a record exists).
OUTSIDE_SCOPE = _lazy("You may only save records that belong to your own unit or organization.")

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a 5 MB upload that inflates past this is not a register
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

YES, NO = "có", "không"


class ImportFileError(Exception):
    """The upload is not a workbook we can read; the message is shown as is."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list]
    row_numbers: list[int] = field(default_factory=list)  # the Excel row number of each row


def read_workbook(upload, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> Sheet:
    """The first worksheet of an .xlsx file: header row, then data rows (blank rows skipped).

    The type is judged by content, not by the file name: a renamed text file, an old .xls or a
    broken archive each gets its own message.
    """
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

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from exc
    try:
        worksheet = workbook.worksheets[0] if workbook.worksheets else None
        if worksheet is None:
            raise ImportFileError(_("The workbook has no worksheet."))
        rows_iter = worksheet.iter_rows(values_only=True)
        header_row = next(rows_iter, None)
        headers = [str(v).strip() if v is not None else "" for v in (header_row or ())]
        while headers and not headers[-1]:
            headers.pop()
        if not any(headers):
            raise ImportFileError(_("The first row of the first worksheet must hold the column headers."))
        rows: list[list] = []
        numbers: list[int] = []
        for number, values in enumerate(rows_iter, start=2):
            values = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
            values = [v.strip() if isinstance(v, str) else v for v in values]
            if all(v in (None, "") for v in values):
                continue
            if len(rows) >= max_rows:
                raise ImportFileError(
                    _("The workbook has more than %(rows)d rows. Split it into smaller workbooks.")
                    % {"rows": max_rows}
                )
            rows.append(values)
            numbers.append(number)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(_("The workbook is damaged and cannot be read.")) from exc
    finally:
        workbook.close()
    return Sheet(headers, rows, numbers)


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
        text = str(value).strip()
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy)") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value  # a real date: write_workbook formats it dd/mm/yyyy


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


@dataclass
class ImportOutcome:
    rows: list[PreviewRow]
    headers: list[str]
    counts: dict[str, int]

    @property
    def has_errors(self) -> bool:
        return self.counts.get("error", 0) > 0

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]


class ImportResource(resources.ModelResource):
    """A ModelResource bound to the importing user; see the module docstring."""

    required_columns: tuple[str, ...] = ()
    # Model fields whose errors belong to a column that is not their own import field.
    error_columns: dict[str, str] = {}

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

    # ---- running

    def run(self, sheet: Sheet, *, dry_run: bool) -> ImportOutcome:
        """Preview (dry_run) or import: one transaction, rolled back on the first error of any row."""
        missing = [c for c in self.required_columns if c not in sheet.headers]
        if missing:
            raise ImportFileError(
                _(
                    "The workbook lacks the column(s): %(columns)s. Download the template to see the expected headers."
                )
                % {"columns": ", ".join(f"“{c}”" for c in missing)}
            )
        import tablib

        dataset = tablib.Dataset(*[tuple(r) for r in sheet.rows], headers=sheet.headers)
        self._row_numbers = sheet.row_numbers
        result = self.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            raise_errors=False,
        )
        rows, counts = [], {"new": 0, "update": 0, "error": 0, "skip": 0}
        for index, row_result in enumerate(result.rows):
            number = sheet.row_numbers[index] if index < len(sheet.row_numbers) else index + 2
            errors = self.row_errors(number, row_result)
            status = {
                RowResult.IMPORT_TYPE_NEW: "new",
                RowResult.IMPORT_TYPE_UPDATE: "update",
                RowResult.IMPORT_TYPE_SKIP: "skip",
            }.get(row_result.import_type, "error")
            if errors:
                status = "error"
            counts[status] += 1
            values = row_result.row_values or {}
            rows.append(PreviewRow(number, status, [values.get(h) for h in sheet.headers], errors))
        for error in result.base_errors:  # errors outside any row
            counts["error"] += 1
            rows.append(
                PreviewRow(0, "error", [], [_("Unexpected error: %(error)s") % {"error": error.error}])
            )
        return ImportOutcome(rows, sheet.headers, counts)

    def column_for(self, field_name: str) -> str | None:
        if field_name == NON_FIELD_ERRORS:
            return None
        if field_name in self.error_columns:
            return self.error_columns[field_name]
        if field_name in self.fields:
            return self.fields[field_name].column_name
        return None

    def row_errors(self, number: int, row_result) -> list[str]:
        messages = []
        if row_result.validation_error is not None:
            error = row_result.validation_error
            items = (
                error.message_dict.items()
                if hasattr(error, "error_dict")
                else [(NON_FIELD_ERRORS, error.messages)]
            )
            for field_name, field_messages in items:
                column = self.column_for(field_name)
                for message in field_messages:
                    if column:
                        messages.append(
                            _("Row %(row)d, column “%(column)s”: %(message)s")
                            % {"row": number, "column": column, "message": message}
                        )
                    else:
                        messages.append(_("Row %(row)d: %(message)s") % {"row": number, "message": message})
        for error in row_result.errors:
            messages.append(
                _("Row %(row)d: unexpected error: %(error)s") % {"row": number, "error": error.error}
            )
        return messages

    # ---- hooks

    def cell(self, row, column, widget, errors, key):
        """A cleaned cell outside the model fields; its error is collected under `key`."""
        try:
            return widget.clean(row.get(column), row=row)
        except ValueError as exc:
            errors[key] = ValidationError(str(exc))
            return None

    def get_instance(self, instance_loader, row):
        lookup = self.match(row)
        if lookup is None:
            return None
        existing = self.model._default_manager.filter(**lookup).order_by("pk").first()
        if existing is None:
            return None
        if not permissions.has_perm(self.user, permissions.CHANGE, existing):
            if not permissions.has_perm(self.user, permissions.VIEW, existing):
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


def discard_pending(request, session_key: str) -> None:
    """Forget the upload kept under `session_key` in the session, and delete its file."""
    pending = request.session.pop(session_key, None)
    if pending:
        try:
            pending_path(request.user, pending.get("token", "")).unlink(missing_ok=True)
        except PermissionDenied:
            pass


def sweep_stale(user) -> None:
    """Forget this user's uploads left unconfirmed for more than a day."""
    folder = import_dir()
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.glob(f"{int(user.pk)}-*.xlsx"):
        if now - path.stat().st_mtime > STALE_SECONDS:
            path.unlink(missing_ok=True)


def workbook_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
