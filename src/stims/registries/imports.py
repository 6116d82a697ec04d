"""Excel import and export of the registries (products with their latest OCOP evaluation, IP assets).

The lists are kept today in Excel workbooks with Vietnamese column headers; this module reads such a
workbook, checks every row against the data and the user's permissions, and writes all rows or none.

The generic machinery (rows to model instances, per-field errors, dry-run preview inside a rolled-back
transaction, all-or-nothing commit, export) is django-import-export's `ModelResource`; what is ours is
the STIMS part: Vietnamese headers, units named by their full name (with province and "trước/sau 2025"
to disambiguate), lookups limited to what the user may use (`permissions.assignable_units`,
`permissions.restrict`), the OCOP evaluation carried on a product row, and reading the workbook safely.

    resource = RESOURCES["products"](user)
    sheet = read_workbook(uploaded_file)           # ImportFileError with a clear message
    result = resource.run(sheet, dry_run=True)     # preview: nothing is kept
    result = resource.run(sheet, dry_run=False)    # confirm: every row in one transaction, or none
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import RowResult

from stims.core import permissions
from stims.core.text import fold
from stims.geo.models import AdminUnit, Generation
from stims.ip.models import IpAsset, IpStatus, IpStatusEvent, IpType
from stims.ip.services import check_status_move
from stims.orgs.models import Organization
from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # a 5 MB upload that inflates past this is not a register

# Shared column headers (the Vietnamese words people already use in their workbooks).
UNIT = "Đơn vị hành chính"
PROVINCE = "Tỉnh"
GENERATION = "Giai đoạn"
LEGACY_LABEL, CURRENT_LABEL = "trước 2025", "sau 2025"
YES, NO = "có", "không"


class ImportFileError(Exception):
    """The upload is not a workbook we can read; the message is shown as is."""


# --------------------------------------------------------------------------------------------------
# Reading the workbook


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
        rows, numbers = [], []
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
    """An .xlsx with a bold, frozen header row; dates written as real Excel dates (dd/mm/yyyy)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(list(row))
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
        for cell in column[1:]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Cell readers (django-import-export widgets): each raises ValueError with a message for the cell.


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
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
        if _is_empty(value):
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
        if _is_empty(value):
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
        if _is_empty(value):
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
        if _is_empty(value):
            return None
        matches = {obj.pk: obj for obj in self.lookup().get(fold(str(value)), [])}
        if not matches:
            raise ValueError(_("not found “%(value)s”") % {"value": value})
        if len(matches) > 1:
            raise ValueError(_("“%(value)s” matches several entries; use the code") % {"value": value})
        return next(iter(matches.values()))

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class ProducerKindWidget(widgets.Widget):
    """The producer type by its code, its label in either language, or the usual Vietnamese words."""

    ALIASES = {
        "doanh nghiep": ProducerKind.ENTERPRISE,
        "cong ty": ProducerKind.ENTERPRISE,
        "hop tac xa": ProducerKind.COOPERATIVE,
        "htx": ProducerKind.COOPERATIVE,
        "ho gia dinh": ProducerKind.HOUSEHOLD,
        "ho kinh doanh": ProducerKind.HOUSEHOLD,
        "ho san xuat": ProducerKind.HOUSEHOLD,
        "ho gia dinh ho kinh doanh": ProducerKind.HOUSEHOLD,
    }

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            return ""
        folded = fold(str(value))
        for kind in ProducerKind:
            with translation.override("en"):
                english = str(kind.label)
            if folded in {fold(kind.value), fold(str(kind.label)), fold(english)}:
                return kind.value
        if folded in self.ALIASES:
            return self.ALIASES[folded]
        raise ValueError(
            _("not found “%(value)s”; write one of: %(choices)s")
            % {"value": value, "choices": ", ".join(str(k.label) for k in ProducerKind)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(ProducerKind(value).label) if value else ""


def generation_label(unit: AdminUnit) -> str:
    return LEGACY_LABEL if unit.generation == Generation.LEGACY else CURRENT_LABEL


class UnitWidget(widgets.Widget):
    """An administrative unit by its full name ("Xã Đạp Thanh"), narrowed by the row's "Tỉnh" and
    "Giai đoạn" columns, then by the home province, then by the units the user may use. The unit must
    be one the user may attach this kind of record to."""

    GENERATIONS = {
        fold(LEGACY_LABEL): Generation.LEGACY,
        "truoc": Generation.LEGACY,
        "legacy": Generation.LEGACY,
        fold(CURRENT_LABEL): Generation.CURRENT,
        "sau": Generation.CURRENT,
        "2025": Generation.CURRENT,
    }

    def __init__(self, user, model, **kwargs):
        super().__init__(**kwargs)
        self.user, self.model = user, model
        self._candidates: dict[str, list[AdminUnit]] = {}
        self._assignable: dict[int, bool] = {}

    def candidates(self, name: str) -> list[AdminUnit]:
        key = fold(name)
        if key not in self._candidates:
            units = list(AdminUnit.objects.filter(name=name).select_related("province"))
            if not units:  # typed without diacritics or with other capitals: compare folded names
                units = [
                    u
                    for u in AdminUnit.objects.filter(search_text__contains=key).select_related("province")
                    if fold(u.name) == key
                ]
            self._candidates[key] = units
        return self._candidates[key]

    def assignable(self, unit: AdminUnit) -> bool:
        if unit.pk not in self._assignable:
            self._assignable[unit.pk] = (
                permissions.assignable_units(self.user, self.model, permissions.ADD)
                .filter(pk=unit.pk)
                .exists()
            )
        return self._assignable[unit.pk]

    def clean(self, value, row=None, **kwargs):
        if _is_empty(value):
            raise ValueError(_("this column is required"))
        row = row or {}
        units = self.candidates(str(value).strip())
        if not units:
            raise ValueError(_("not found “%(value)s”") % {"value": value})
        province = row.get(PROVINCE)
        if not _is_empty(province):
            wanted = fold(str(province))
            units = [
                u
                for u in units
                if wanted in {fold(u.name), fold(u.short_name)}
                and u.province_id is None
                or u.province_id is not None
                and wanted in {fold(u.province.name), fold(u.province.short_name)}
            ]
            if not units:
                raise ValueError(
                    _("not found “%(value)s” in “%(province)s”") % {"value": value, "province": province}
                )
        generation = row.get(GENERATION)
        if not _is_empty(generation):
            wanted = self.GENERATIONS.get(fold(str(generation)))
            if wanted is None:
                raise ValueError(
                    _("“%(column)s” must be “%(legacy)s” or “%(current)s”")
                    % {"column": GENERATION, "legacy": LEGACY_LABEL, "current": CURRENT_LABEL}
                )
            units = [u for u in units if u.generation == wanted]
            if not units:
                raise ValueError(_("not found “%(value)s” in that period") % {"value": value})
        if len(units) > 1:
            home = [
                u for u in units if (u.province.code if u.province_id else u.code) == settings.STIMS_PROVINCE
            ]
            units = home or units
        if len(units) > 1:
            usable = [u for u in units if self.assignable(u)]
            units = usable or units
        if len(units) > 1:
            raise ValueError(
                _("“%(value)s” matches several units; fill in “%(province)s” or “%(generation)s”")
                % {"value": value, "province": PROVINCE, "generation": GENERATION}
            )
        unit = units[0]
        if not self.assignable(unit):
            raise ValueError(_("you may not add records to “%(unit)s”") % {"unit": unit})
        return unit

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


class RegistryResource(resources.ModelResource):
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
        self.fields[self.unit_field].widget = UnitWidget(user, self.model)
        self._row_numbers: list[int] = []

    unit_field = "admin_unit"

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
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _("“%(object)s” is already on record and you may not change it.")
                    % {"object": existing}
                }
            )
        return existing

    def match(self, row) -> dict | None:
        raise NotImplementedError

    def clean_unit(self, row):
        try:
            return self.fields[self.unit_field].clean(row)
        except (ValueError, KeyError):
            return None

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user  # the history names the importer, in a request or not

    def after_save_instance(self, instance, row, **kwargs):
        # Same rule as the forms: a saved record must stay inside the user's scope.
        if not permissions.restrict(
            self.model._default_manager.filter(pk=instance.pk), self.user, permissions.CHANGE
        ).exists():
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: _(
                        "You may only save records that belong to your own unit or organization."
                    )
                }
            )

    def organization_named(self, name: str) -> list[Organization]:
        visible = permissions.restrict(Organization.objects.all(), self.user, permissions.VIEW)
        found = list(visible.filter(name=name)[:5])
        if not found:
            key = fold(name)
            found = [o for o in visible.filter(search_name=key[:255])[:5] if fold(o.name) == key]
        return found

    def export_rows(self, queryset):
        dataset = self.export(queryset)
        return dataset.headers, [list(row) for row in dataset]

    def base_export_queryset(self):
        raise NotImplementedError

    def export_queryset(self):
        return permissions.restrict(self.base_export_queryset(), self.user, permissions.VIEW)


class ProductResource(RegistryResource):
    NAME, GROUP, PRODUCER, KIND = "Tên sản phẩm", "Nhóm sản phẩm", "Chủ thể", "Loại chủ thể"
    KEY, OCOP, DESCRIPTION = "Sản phẩm chủ lực", "Sản phẩm OCOP", "Mô tả"
    YEAR, SCORE_A, SCORE_B, SCORE_C = "Năm đánh giá", "Điểm A", "Điểm B", "Điểm C"
    DECISION_NO, DECISION_DATE = "Số quyết định", "Ngày quyết định"

    name = Field(attribute="name", column_name=NAME, widget=TextWidget())
    group = Field(attribute="group", column_name=GROUP, widget=ReferenceWidget(ProductGroup))
    producer_kind = Field(attribute="producer_kind", column_name=KIND, widget=ProducerKindWidget())
    producer = Field(column_name=PRODUCER, readonly=True)
    admin_unit = Field(attribute="admin_unit", column_name=UNIT, widget=widgets.Widget())
    province_name = Field(column_name=PROVINCE, readonly=True)
    generation = Field(column_name=GENERATION, readonly=True)
    is_key_product = Field(attribute="is_key_product", column_name=KEY, widget=YesNoWidget())
    is_ocop = Field(attribute="is_ocop", column_name=OCOP, widget=YesNoWidget())
    description = Field(attribute="description", column_name=DESCRIPTION, widget=TextWidget())
    evaluation_year = Field(column_name=YEAR, readonly=True)
    score_a = Field(column_name=SCORE_A, readonly=True)
    score_b = Field(column_name=SCORE_B, readonly=True)
    score_c = Field(column_name=SCORE_C, readonly=True)
    decision_number = Field(column_name=DECISION_NO, readonly=True)
    decision_date = Field(column_name=DECISION_DATE, readonly=True)

    required_columns = (NAME, GROUP, KIND, PRODUCER, UNIT)
    error_columns = {
        "producer_name": PRODUCER,
        "evaluation": YEAR,
        **{
            "score_a": SCORE_A,
            "score_b": SCORE_B,
            "score_c": SCORE_C,
            "year": YEAR,
            "decision_number": DECISION_NO,
            "decision_date": DECISION_DATE,
            "producer": PRODUCER,
        },
    }
    EVALUATION_COLUMNS = {
        "year": (YEAR, YearWidget()),
        "score_a": (SCORE_A, NumberWidget()),
        "score_b": (SCORE_B, NumberWidget()),
        "score_c": (SCORE_C, NumberWidget()),
        "decision_number": (DECISION_NO, TextWidget()),
        "decision_date": (DECISION_DATE, DateWidget()),
    }

    class Meta(RegistryResource.Meta):
        model = Product
        export_order = (
            "name",
            "group",
            "producer_kind",
            "producer",
            "admin_unit",
            "province_name",
            "generation",
            "is_key_product",
            "is_ocop",
            "description",
            "evaluation_year",
            "score_a",
            "score_b",
            "score_c",
            "decision_number",
            "decision_date",
        )
        import_order = fields = export_order

    def match(self, row):
        unit = self.clean_unit(row)
        name = TextWidget().clean(row.get(self.NAME))
        return {"name": name, "admin_unit": unit} if unit is not None and name else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not instance.name:
            errors.setdefault("name", ValidationError(_("this column is required")))
        if not instance.group_id and "group" not in errors:
            errors["group"] = ValidationError(_("this column is required"))
        if not instance.producer_kind and "producer_kind" not in errors:
            errors["producer_kind"] = ValidationError(_("this column is required"))
        self.import_producer(instance, row, errors)
        self.import_evaluation(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_producer(self, instance, row, errors):
        name = TextWidget().clean(row.get(self.PRODUCER))
        if not name:
            errors.setdefault("producer", ValidationError(_("this column is required")))
            return
        if instance.producer_kind == ProducerKind.HOUSEHOLD:
            instance.producer, instance.producer_name = None, name
            return
        if not instance.producer_kind:
            return
        found = self.organization_named(name)
        if not found:
            errors["producer"] = ValidationError(
                _(
                    "no enterprise or cooperative named “%(name)s” in the directory; add it there first, or make the producer a household"
                )
                % {"name": name}
            )
        elif len(found) > 1:
            errors["producer"] = ValidationError(
                _("several organizations are named “%(name)s”; give the producer its full registered name")
                % {"name": name}
            )
        else:
            instance.producer, instance.producer_name = found[0], ""

    def import_evaluation(self, instance, row, errors):
        instance._import_evaluation = None
        present = [
            key for key, (column, _w) in self.EVALUATION_COLUMNS.items() if not _is_empty(row.get(column))
        ]
        if not present:
            return
        values, local = {}, {}
        for key, (column, widget) in self.EVALUATION_COLUMNS.items():
            values[key] = self.cell(row, column, widget, local, key)
        for key in ("year", "score_a", "score_b", "score_c"):
            if values[key] is None and key not in local:
                local[key] = ValidationError(_("required when an OCOP evaluation is given"))
        evaluation = OcopEvaluation(
            **{k: v if v is not None else ("" if k == "decision_number" else None) for k, v in values.items()}
        )
        try:
            evaluation.clean_fields(exclude=["product", "total_score", "stars", *local])
        except ValidationError as exc:
            local = exc.update_error_dict(local)
        if local:
            errors.update(local)
            return
        if "is_ocop" not in errors and _is_empty(row.get(self.OCOP)):
            instance.is_ocop = True
        instance._import_evaluation = values

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        values = getattr(instance, "_import_evaluation", None)
        if not values:
            return
        values = {**values, "decision_number": values["decision_number"] or ""}
        evaluation = OcopEvaluation.objects.filter(product=instance, year=values["year"]).first()
        if evaluation is None:
            evaluation = OcopEvaluation(product=instance)
        elif all(getattr(evaluation, k) == v for k, v in values.items()):
            return
        for key, value in values.items():
            setattr(evaluation, key, value)
        evaluation._history_user = self.user
        evaluation.save()

    # ---- export (the same layout, so export → edit → import round-trips)

    def base_export_queryset(self):
        return Product.objects.select_related("group", "producer", "admin_unit__province").prefetch_related(
            Prefetch(
                "evaluations", queryset=OcopEvaluation.objects.order_by("-year"), to_attr="evaluations_desc"
            )
        )

    def _latest(self, obj):
        evaluations = getattr(obj, "evaluations_desc", None)
        if evaluations is None:
            evaluations = list(obj.evaluations.order_by("-year")[:1])
        return evaluations[0] if evaluations else None

    def dehydrate_producer(self, obj):
        return obj.producer_label

    def dehydrate_province_name(self, obj):
        return obj.admin_unit.province.name if obj.admin_unit.province_id else ""

    def dehydrate_generation(self, obj):
        return generation_label(obj.admin_unit)

    def dehydrate_admin_unit(self, obj):
        return obj.admin_unit.name

    def dehydrate_evaluation_year(self, obj):
        latest = self._latest(obj)
        return latest.year if latest else None

    def _score(self, obj, attr):
        latest = self._latest(obj)
        return float(getattr(latest, attr)) if latest else None

    def dehydrate_score_a(self, obj):
        return self._score(obj, "score_a")

    def dehydrate_score_b(self, obj):
        return self._score(obj, "score_b")

    def dehydrate_score_c(self, obj):
        return self._score(obj, "score_c")

    def dehydrate_decision_number(self, obj):
        latest = self._latest(obj)
        return latest.decision_number if latest else ""

    def dehydrate_decision_date(self, obj):
        latest = self._latest(obj)
        return latest.decision_date if latest else None

    def example_row(self) -> list:
        group = ProductGroup.objects.filter(is_active=True).first()
        unit = (
            permissions.assignable_units(self.user, Product)
            .filter(province__code=settings.STIMS_PROVINCE)
            .order_by("-generation", "level", "code")
            .first()
        )
        return [
            "Mật ong rừng Ba Chẽ",
            group.name if group else "",
            str(ProducerKind.HOUSEHOLD.label),
            "Hộ ông Nguyễn Văn A",
            unit.name if unit else "",
            unit.province.name if unit and unit.province_id else "",
            generation_label(unit) if unit else CURRENT_LABEL,
            YES,
            YES,
            "",
            datetime.date.today().year - 1,
            32,
            20,
            25,
            "123/QĐ-UBND",
            datetime.date(datetime.date.today().year - 1, 12, 15),
        ]


class IpAssetResource(RegistryResource):
    TYPE, NAME, OWNER, APPLICANT = "Loại đối tượng", "Tên đối tượng", "Chủ sở hữu", "Người nộp đơn"
    REPRESENTATIVE, APP_NO, APP_DATE = "Tổ chức đại diện", "Số đơn", "Ngày nộp đơn"
    STATUS, STATUS_DATE, TITLE_NO, GRANT_DATE, EXPIRY = (
        "Tình trạng",
        "Ngày tình trạng",
        "Số văn bằng",
        "Ngày cấp",
        "Ngày hết hạn",
    )
    NICE, SCOPE, AREA, PROJECT = "Nhóm Nice", "Sản phẩm, dịch vụ", "Khu vực địa lý", "Dự án hỗ trợ"

    ip_type = Field(attribute="ip_type", column_name=TYPE, widget=ReferenceWidget(IpType))
    name = Field(attribute="name", column_name=NAME, widget=TextWidget())
    owner = Field(column_name=OWNER, readonly=True)
    applicant = Field(attribute="applicant", column_name=APPLICANT, widget=TextWidget())
    representative = Field(attribute="representative", column_name=REPRESENTATIVE, widget=TextWidget())
    admin_unit = Field(attribute="admin_unit", column_name=UNIT, widget=widgets.Widget())
    province_name = Field(column_name=PROVINCE, readonly=True)
    generation = Field(column_name=GENERATION, readonly=True)
    application_number = Field(attribute="application_number", column_name=APP_NO, widget=TextWidget())
    application_date = Field(attribute="application_date", column_name=APP_DATE, widget=DateWidget())
    status = Field(attribute="status", column_name=STATUS, widget=ReferenceWidget(IpStatus))
    status_date = Field(attribute="status_date", column_name=STATUS_DATE, widget=DateWidget())
    title_number = Field(attribute="title_number", column_name=TITLE_NO, widget=TextWidget())
    grant_date = Field(attribute="grant_date", column_name=GRANT_DATE, widget=DateWidget())
    expiry_date = Field(attribute="expiry_date", column_name=EXPIRY, widget=DateWidget())
    nice_classes = Field(attribute="nice_classes", column_name=NICE, widget=TextWidget())
    product_scope = Field(attribute="product_scope", column_name=SCOPE, widget=TextWidget())
    geographic_area = Field(attribute="geographic_area", column_name=AREA, widget=TextWidget())
    supporting_project = Field(attribute="supporting_project", column_name=PROJECT, widget=TextWidget())

    required_columns = (TYPE, NAME, UNIT, STATUS)
    error_columns = {"owner_name": OWNER}

    class Meta(RegistryResource.Meta):
        model = IpAsset
        export_order = (
            "ip_type",
            "name",
            "owner",
            "applicant",
            "representative",
            "admin_unit",
            "province_name",
            "generation",
            "application_number",
            "application_date",
            "status",
            "status_date",
            "title_number",
            "grant_date",
            "expiry_date",
            "nice_classes",
            "product_scope",
            "geographic_area",
            "supporting_project",
        )
        import_order = fields = export_order

    def match(self, row):
        ip_type = self._clean_quiet("ip_type", row)
        if ip_type is None:
            return None
        number = TextWidget().clean(row.get(self.APP_NO))
        if number:
            return {"ip_type": ip_type, "application_number": number}
        unit = self.clean_unit(row)
        name = TextWidget().clean(row.get(self.NAME))
        return {"ip_type": ip_type, "name": name, "admin_unit": unit} if unit is not None and name else None

    def _clean_quiet(self, field_name, row):
        try:
            return self.fields[field_name].clean(row)
        except (ValueError, KeyError):
            return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._status_before = None if new else instance.status_id

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field_name in ("ip_type", "name", "status"):
            if field_name not in errors and not getattr(
                instance, f"{field_name}_id" if field_name != "name" else field_name, None
            ):
                errors[field_name] = ValidationError(_("this column is required"))
        owner = TextWidget().clean(row.get(self.OWNER))
        if owner:
            found = self.organization_named(owner)
            if len(found) == 1:
                instance.owner, instance.owner_name = found[0], ""
            else:  # a person, or an organization not (or not unambiguously) on record: keep the name
                instance.owner, instance.owner_name = None, owner
        elif self.OWNER in row:
            instance.owner, instance.owner_name = None, ""
        if not errors and instance.pk and instance.status_id != instance._status_before:
            # A status change in a spreadsheet obeys the same workflow as the asset page.
            saved = IpAsset.objects.select_related("status", "ip_type").get(pk=instance.pk)
            try:
                check_status_move(
                    saved,
                    instance.status,
                    instance.status_date or datetime.date.today(),
                    title_number=instance.title_number,
                    grant_date=instance.grant_date,
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if getattr(instance, "_status_before", None) != instance.status_id:
            event = IpStatusEvent(
                asset=instance,
                status=instance.status,
                date=instance.status_date or datetime.date.today(),
                note=_("Imported from a spreadsheet"),
            )
            event._history_user = self.user
            event.save()

    def base_export_queryset(self):
        return IpAsset.objects.select_related("ip_type", "status", "owner", "admin_unit__province")

    def dehydrate_owner(self, obj):
        return obj.owner_label

    def dehydrate_province_name(self, obj):
        return obj.admin_unit.province.name if obj.admin_unit.province_id else ""

    def dehydrate_generation(self, obj):
        return generation_label(obj.admin_unit)

    def dehydrate_admin_unit(self, obj):
        return obj.admin_unit.name

    def example_row(self) -> list:
        ip_type = IpType.objects.first()
        status = IpStatus.objects.first()
        unit = (
            permissions.assignable_units(self.user, IpAsset)
            .filter(province__code=settings.STIMS_PROVINCE)
            .order_by("-generation", "level", "code")
            .first()
        )
        year = datetime.date.today().year - 2
        return [
            ip_type.name if ip_type else "",
            "Miến dong Bình Liêu",
            "Hợp tác xã Miến dong Bình Liêu",
            "",
            "",
            unit.name if unit else "",
            unit.province.name if unit and unit.province_id else "",
            generation_label(unit) if unit else CURRENT_LABEL,
            f"4-{year}-01234",
            datetime.date(year, 3, 1),
            status.name if status else "",
            datetime.date(year + 1, 5, 20),
            "",
            None,
            None,
            "30",
            "Miến dong",
            "",
            "",
        ]


RESOURCES: dict[str, type[RegistryResource]] = {"products": ProductResource, "ip": IpAssetResource}


def kind_label(kind: str) -> str:
    return str(RESOURCES[kind]._meta.model._meta.verbose_name_plural)


def template_workbook(kind: str, user) -> bytes:
    resource = RESOURCES[kind](user)
    return write_workbook(resource.get_export_headers(), [resource.example_row()], title=kind_label(kind))


def export_workbook(kind: str, user) -> bytes:
    resource = RESOURCES[kind](user)
    headers, rows = resource.export_rows(resource.export_queryset())
    return write_workbook(headers, rows, title=kind_label(kind))
