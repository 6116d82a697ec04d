"""Excel import of existing S&T tasks (the lists the department keeps in workbooks today).

Built on the import framework (`stims.core.imports`: reading the workbook safely, cell readers, a
django-import-export `ModelResource` bound to the importing user, preview inside a rolled-back
transaction, all rows or none on confirm, errors by row and column) and the unit reader of
`stims.geo.imports`. What is particular to tasks:

* columns with Vietnamese headers (English headers, or Vietnamese typed without diacritics, are
  accepted and renamed, see `COLUMNS` and `normalise_headers`);
* the ordering locality by its full name, legacy ("Huyện Định Hóa") or current ("Xã Định Hóa"),
  with the province after a comma where the name is ambiguous ("Huyện Châu Thành, Long An");
* organizations and people must already be in the directory: an import never creates them;
* a task code already on record is refused unless the user asks to update existing tasks;
* the workflow state of a task of an earlier year is set directly, and a `TaskEvent` without a step
  ("Imported from Excel") records where that state came from on the task's timeline. The state of a
  task already on record is not changed by an import: it moves only through workflow steps.

    resource = TaskResource(user, update_existing=False)
    sheet = normalise_headers(read_workbook(upload))   # ImportFileError with a clear message
    outcome = resource.run(sheet, dry_run=True)         # preview: nothing is kept
    outcome = resource.run(sheet, dry_run=False)        # confirm: every row in one transaction, or none
"""

from __future__ import annotations

import datetime
import io
import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import exports, permissions
from stims.core.imports import (
    MAX_BYTES,
    NO,
    OUTSIDE_SCOPE,
    YES,
    DateWidget,
    Importer,
    ImportFileError,
    ImportOutcome,
    ImportResource,
    ReferenceWidget,
    Sheet,
    TextWidget,
    YearWidget,
    YesNoWidget,
    fold,
    is_empty,
    read_workbook,
    register_importer,
    write_records,
)
from stims.geo.imports import CURRENT_LABEL, GENERATION, LEGACY_LABEL, PROVINCE, UnitWidget
from stims.orgs.models import Organization, Person

from . import rules as task_rules
from .models import Level, Programme, ScienceField, Task, TaskEvent, TaskType, WorkflowState

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "ImportFileError",
    "Sheet",
    "TaskResource",
    "normalise_headers",
    "read_workbook",
    "template_workbook",
]

# The columns, in the template's order: (resource field, Vietnamese header, English header).
CODE, TITLE, TYPE, LEVEL = "Mã nhiệm vụ", "Tên nhiệm vụ", "Loại", "Cấp"
PROGRAMME, FIELD, UNIT, AGENCY = "Chương trình", "Lĩnh vực", "Đơn vị đặt hàng", "Cơ quan đặt hàng"
LEAD, INVESTIGATOR, YEAR = "Tổ chức chủ trì", "Chủ nhiệm", "Năm kế hoạch"
START, END, CARRIED, CARRIED_YEAR = "Ngày bắt đầu", "Ngày kết thúc", "Chuyển tiếp", "Năm chuyển tiếp"
OBJECTIVES, PRODUCTS, STATE = "Mục tiêu", "Sản phẩm dự kiến", "Trạng thái"

COLUMNS = [
    ("code", CODE, "Code"),
    ("title", TITLE, "Title"),
    ("task_type", TYPE, "Type"),
    ("level", LEVEL, "Level"),
    ("programme", PROGRAMME, "Programme"),
    ("field", FIELD, "Field"),
    ("ordering_unit", UNIT, "Ordering locality"),
    ("ordering_organization", AGENCY, "Ordering agency"),
    ("lead_organization", LEAD, "Lead organization"),
    ("principal_investigator", INVESTIGATOR, "Principal investigator"),
    ("proposal_year", YEAR, "Plan year"),
    ("start_date", START, "Start date"),
    ("end_date", END, "End date"),
    ("is_carried_over", CARRIED, "Carried over"),
    ("carried_over_year", CARRIED_YEAR, "Carried over into year"),
    ("objectives", OBJECTIVES, "Objectives"),
    ("expected_products", PRODUCTS, "Expected products"),
    ("state", STATE, "State"),
]
REQUIRED_COLUMNS = (CODE, TITLE, TYPE, LEVEL, YEAR)

# Other headers people use for the same columns; compared folded (no diacritics, any case).
EXTRA_ALIASES = {
    CODE: ["Mã số", "Mã", "Task code"],
    TITLE: ["Tên đề tài", "Tên đề tài, dự án", "Task title", "Name"],
    TYPE: ["Loại nhiệm vụ", "Task type"],
    LEVEL: ["Cấp quản lý", "Cấp nhiệm vụ"],
    FIELD: ["Lĩnh vực KH&CN", "S&T field"],
    UNIT: ["Địa phương đặt hàng", "Ordering unit"],
    AGENCY: ["Ordering organization"],
    LEAD: ["Cơ quan chủ trì", "Đơn vị chủ trì"],
    INVESTIGATOR: ["Chủ nhiệm nhiệm vụ", "Chủ nhiệm đề tài"],
    YEAR: ["Năm", "Proposal year"],
    CARRIED_YEAR: ["Carried over year"],
    STATE: ["Tình trạng", "Status"],
}


def _header_index() -> dict[str, str]:
    index = {}
    for _name, vietnamese, english in COLUMNS:
        for header in (vietnamese, english, *EXTRA_ALIASES.get(vietnamese, ())):
            index[fold(header)] = vietnamese
    return index


HEADERS = _header_index()


def normalise_headers(sheet: Sheet) -> Sheet:
    """The sheet with every recognised header renamed to its Vietnamese name (others kept as is)."""
    renamed, seen = [], {}
    for header in sheet.headers:
        canonical = HEADERS.get(fold(header), header)
        if canonical and canonical in seen:
            raise ImportFileError(
                _("The columns “%(first)s” and “%(second)s” are the same column; keep one of them.")
                % {"first": seen[canonical], "second": header}
            )
        if canonical:
            seen[canonical] = header
        renamed.append(canonical)
    return Sheet(renamed, sheet.rows, sheet.row_numbers)


# --------------------------------------------------------------------------------------------------
# Cell readers


class LevelWidget(widgets.Widget):
    """Quốc gia / Tỉnh / Cơ sở (or "cấp tỉnh"…, the codes, the English labels)."""

    VIETNAMESE = {Level.NATIONAL: "Quốc gia", Level.PROVINCIAL: "Tỉnh", Level.GRASSROOTS: "Cơ sở"}

    _index: dict[str, str] | None = None

    def lookup(self) -> dict[str, str]:
        """Every word for each level, folded: built once (it names the levels in both languages, so it
        does not depend on the active one), not once per cell (issue #20: it was 40% of a preview)."""
        if self._index is not None:
            return self._index
        index = {}
        for level in Level:
            words = {level.value, self.VIETNAMESE[level], f"cấp {self.VIETNAMESE[level]}", str(level.label)}
            for language in ("en", "vi"):
                with translation.override(language):
                    words.add(str(level.label))
            for word in words:
                index[fold(word)] = level.value
        self._index = index
        return index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        found = self.lookup().get(fold(str(value)))
        if found is None:
            raise ValueError(
                _("not found “%(value)s”; write one of: %(choices)s")
                % {"value": value, "choices": ", ".join(self.VIETNAMESE.values())}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return self.VIETNAMESE.get(value, "")


class OrderingUnitWidget(UnitWidget):
    """The ordering locality in one cell: "Xã Định Hóa", "Xã Định Hóa, Thái Nguyên", or with the
    period as written on the task page: "Huyện Ba Chẽ, Tỉnh Quảng Ninh (trước 2025)". Empty is
    allowed (the ordering agency may stand instead). The unit must be one the user may add tasks to."""

    PERIOD = re.compile(r"\(([^()]*)\)\s*$")
    PERIODS = {
        fold(LEGACY_LABEL): LEGACY_LABEL,
        "before 2025": LEGACY_LABEL,
        "legacy": LEGACY_LABEL,
        fold(CURRENT_LABEL): CURRENT_LABEL,
        "from 2025": CURRENT_LABEL,
        "after 2025": CURRENT_LABEL,
    }

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text, parts = str(value).strip(), {}
        period = self.PERIOD.search(text)
        if period and fold(period.group(1)) in self.PERIODS:
            parts[GENERATION] = self.PERIODS[fold(period.group(1))]
            text = text[: period.start()].strip()
        if "," in text:
            text, province = (piece.strip() for piece in text.rsplit(",", 1))
            parts[PROVINCE] = province
        try:
            return super().clean(text, row=parts, **kwargs)
        except ValueError as exc:
            message = str(exc)
            if GENERATION in message and PROVINCE in message:  # "matches several units": say how here
                raise ValueError(
                    _("“%(value)s” matches several units; add the province after a comma, e.g. “%(example)s”")
                    % {"value": value, "example": f"{text}, {self.example_province(text)}"}
                ) from exc
            raise

    def example_province(self, name: str) -> str:
        units = self.candidates(name)
        return units[0].province.short_name if units and units[0].province_id else "Quảng Ninh"

    def render(self, value, obj=None, **kwargs):
        return unit_cell(value) if value is not None else ""


def unit_cell(unit) -> str:
    """How a unit is written in a workbook so that it reads back as the same unit."""
    if unit.province_id and unit.province_id != unit.pk:
        return f"{unit.name}, {unit.province.short_name}"
    return unit.name


class DirectoryWidget(widgets.Widget):
    """An organization or a person of the directory, by name, among those the user may see; the
    import never creates them. Results are kept per name, so a name repeated on many rows costs
    one lookup."""

    def __init__(self, user, model, name_field, **kwargs):
        super().__init__(**kwargs)
        self.user, self.model, self.name_field = user, model, name_field
        self._found: dict[str, list] = {}

    def named(self, name: str) -> list:
        key = fold(name)
        if key not in self._found:
            visible = permissions.restrict(self.model._default_manager.all(), self.user, permissions.VIEW)
            found = list(visible.filter(**{self.name_field: name})[:10])
            if not found:  # typed without diacritics or with other capitals
                found = [
                    o
                    for o in visible.filter(search_name=key[:255])[:10]
                    if fold(getattr(o, self.name_field)) == key
                ]
            self._found[key] = found
        return self._found[key]

    def not_found(self, value) -> str:
        return _("no organization named “%(name)s” in the directory; add it there first") % {"name": value}

    def ambiguous(self, value) -> str:
        return _("several organizations are named “%(name)s”; use the full registered name") % {"name": value}

    def choose(self, found: list, row):
        return found

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        found = self.named(str(value).strip())
        if not found:
            raise ValueError(self.not_found(value))
        found = self.choose(found, row or {})
        if len(found) > 1:
            raise ValueError(self.ambiguous(value))
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.name_field) if value is not None else ""


class PersonWidget(DirectoryWidget):
    """A person by full name; namesakes are told apart by a position in the row's lead organization."""

    def __init__(self, user, organizations: DirectoryWidget, **kwargs):
        super().__init__(user, Person, "full_name", **kwargs)
        self.organizations = organizations
        self._members: dict[int, set[int]] = {}

    def not_found(self, value) -> str:
        return _("no person named “%(name)s” in the directory; add them there first") % {"name": value}

    def ambiguous(self, value) -> str:
        return _(
            "several people are named “%(name)s”; give each a position in the lead organization to tell them apart"
        ) % {"name": value}

    def choose(self, found: list, row):
        if len(found) < 2:
            return found
        try:
            lead = self.organizations.clean(row.get(LEAD), row=row)
        except ValueError:
            lead = None
        if lead is None:
            return found
        if lead.pk not in self._members:
            self._members[lead.pk] = set(lead.positions.values_list("person_id", flat=True))
        members = [person for person in found if person.pk in self._members[lead.pk]]
        return members or found


# --------------------------------------------------------------------------------------------------
# The resource


# What a row may change on a task on record (its state changes only through the workflow), and what
# Task.save() and SearchableModel.save() would set besides.
UPDATED_FIELDS = [
    *(name for name, _vi, _en in COLUMNS if name != "state"),
    "original_end_date",
    "search_text",
    "search_name",
    "updated_at",
]


class TaskResource(ImportResource):
    code = Field(attribute="code", column_name=CODE, widget=TextWidget())
    title = Field(attribute="title", column_name=TITLE, widget=TextWidget())
    task_type = Field(attribute="task_type", column_name=TYPE, widget=ReferenceWidget(TaskType))
    level = Field(attribute="level", column_name=LEVEL, widget=LevelWidget())
    programme = Field(attribute="programme", column_name=PROGRAMME, widget=ReferenceWidget(Programme))
    field = Field(attribute="field", column_name=FIELD, widget=ReferenceWidget(ScienceField))
    ordering_unit = Field(attribute="ordering_unit", column_name=UNIT, widget=widgets.Widget())
    ordering_organization = Field(
        attribute="ordering_organization", column_name=AGENCY, widget=widgets.Widget()
    )
    lead_organization = Field(attribute="lead_organization", column_name=LEAD, widget=widgets.Widget())
    principal_investigator = Field(
        attribute="principal_investigator", column_name=INVESTIGATOR, widget=widgets.Widget()
    )
    proposal_year = Field(attribute="proposal_year", column_name=YEAR, widget=YearWidget())
    start_date = Field(attribute="start_date", column_name=START, widget=DateWidget())
    end_date = Field(attribute="end_date", column_name=END, widget=DateWidget())
    is_carried_over = Field(attribute="is_carried_over", column_name=CARRIED, widget=YesNoWidget())
    carried_over_year = Field(attribute="carried_over_year", column_name=CARRIED_YEAR, widget=YearWidget())
    objectives = Field(attribute="objectives", column_name=OBJECTIVES, widget=TextWidget())
    expected_products = Field(attribute="expected_products", column_name=PRODUCTS, widget=TextWidget())
    # Read in import_instance: the state is not an editable field, and an event records it.
    state = Field(column_name=STATE, readonly=True)

    required_columns = REQUIRED_COLUMNS
    # The English headers and the other names people use (EXTRA_ALIASES); docs/registries.md lists them.
    column_variants = {
        vietnamese: (english, *EXTRA_ALIASES.get(vietnamese, ())) for _n, vietnamese, english in COLUMNS
    }
    example_columns = (TITLE,)
    duplicate_column = CODE
    LOOKED_UP = (
        "task_type",
        "programme",
        "field",
        "ordering_unit",
        "ordering_organization",
        "lead_organization",
        "principal_investigator",
        "state",
    )
    bulk_update_fields = UPDATED_FIELDS

    class Meta(ImportResource.Meta):
        model = Task
        fields = import_order = export_order = tuple(name for name, _vi, _en in COLUMNS)

    def __init__(self, user, *, update_existing: bool = False, **kwargs):
        super().__init__(user, **kwargs)
        self.update_existing = update_existing
        self.fields["ordering_unit"].widget = OrderingUnitWidget(user, Task)
        organizations = DirectoryWidget(user, Organization, "name")
        self.fields["ordering_organization"].widget = organizations
        self.fields["lead_organization"].widget = organizations
        self.fields["principal_investigator"].widget = PersonWidget(user, organizations)
        self.states = ReferenceWidget(WorkflowState)
        self._initial_state = None
        self._row_number = 0
        self._code_problem: str | None = None

    def run(self, sheet: Sheet, *, dry_run: bool, progress=None) -> ImportOutcome:
        missing = [column for column in self.required_columns if column not in sheet.headers]
        if missing:
            raise ImportFileError(
                _(
                    "The workbook lacks the column(s): %(columns)s. Download the template to see the expected headers."
                )
                % {"columns": ", ".join(f"“{column}”" for column in missing)}
            )
        if UNIT not in sheet.headers and AGENCY not in sheet.headers:
            raise ImportFileError(
                _(
                    "The workbook needs the column “%(unit)s” or “%(agency)s”: who proposed or ordered each task."
                )
                % {"unit": UNIT, "agency": AGENCY}
            )
        return super().run(sheet, dry_run=dry_run, progress=progress)

    def initial_state(self):
        if self._initial_state is None:
            from .workflow import initial_state

            self._initial_state = initial_state()
        return self._initial_state

    # ---- matching a row to a task on record

    def before_import_row(self, row, **kwargs):
        index = kwargs.get("row_number", 1) - 1
        self._row_number = self._row_numbers[index] if index < len(self._row_numbers) else index + 2
        self._code_problem = None

    def match(self, row):
        code = TextWidget().clean(row.get(CODE))
        return {"code": code} if code else None

    def get_instance(self, instance_loader, row):
        code = TextWidget().clean(row.get(CODE))
        if not code:
            return None
        # A code given twice in the workbook is flagged on both rows by the import framework.
        if self._existing is None:  # not prepared (a single row checked on its own)
            self._existing = self.records_matching([{"code": code}])
        matches = self._existing.get(self.lookup_key({"code": code}))
        if not matches:
            return None
        existing = matches[0]
        if existing.pk not in self._visible:
            # Another locality's task: refused as a new task outside the user's scope is, naming nothing.
            self._code_problem = str(OUTSIDE_SCOPE)
            return None
        if not task_rules.has(task_rules.UPDATE_TASK_BY_IMPORT, self.user):
            self._code_problem = str(task_rules.REFUSALS[task_rules.UPDATE_TASK_BY_IMPORT]) % {"code": code}
            return None
        if not self.update_existing:
            self._code_problem = _(
                "a task with the code “%(code)s” is already on record; tick “Update tasks already on record” to update it"
            ) % {"code": code}
            return None
        if not task_rules.has(task_rules.CHANGE_TASK, self.user, existing):
            self._code_problem = _("the task “%(code)s” is already on record and you may not change it") % {
                "code": code
            }
            return None
        return existing

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._imported_state = None
        instance._state_before = None if new else instance.state

    # ---- reading and checking a row

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self._code_problem:
            errors["code"] = [ValidationError(self._code_problem)]
        for name, value in (
            ("code", instance.code),
            ("title", instance.title),
            ("task_type", instance.task_type_id),
            ("level", instance.level),
            ("proposal_year", instance.proposal_year),
        ):
            if name not in errors and not value:
                errors[name] = [ValidationError(_("this column is required"))]
        self.import_state(instance, row, errors)
        # The model's rules (Task.clean) stop at the first that fails; a workbook is corrected once,
        # so every broken rule of the row is reported, each under its column.
        if (
            "start_date" not in errors
            and "end_date" not in errors
            and instance.start_date
            and instance.end_date
            and instance.end_date < instance.start_date
        ):
            errors["end_date"] = [ValidationError(_("The end date cannot be before the start date."))]
        if (
            instance.is_carried_over
            and not instance.carried_over_year
            and "carried_over_year" not in errors
            and "is_carried_over" not in errors
        ):
            errors["carried_over_year"] = [
                ValidationError(_("Give the year the task was carried over into."))
            ]
        if (
            not instance.ordering_unit_id
            and not instance.ordering_organization_id
            and "ordering_unit" not in errors
            and "ordering_organization" not in errors
        ):
            errors["ordering_unit"] = [
                ValidationError(_("Give the locality or the agency that proposed or ordered the task."))
            ]
        if errors:
            raise ValidationError(errors)

    def import_state(self, instance, row, errors):
        if instance.pk is None:
            instance.state = self.initial_state()
        try:
            state = self.states.clean(row.get(STATE), row=row)
        except ValueError as exc:
            errors["state"] = [ValidationError(str(exc))]
            return
        if state is None or state.pk == instance.state_id:
            return
        if instance.pk is not None:
            errors["state"] = [
                ValidationError(
                    _(
                        "the task is on record in the state “%(state)s”; its state changes only through the steps on the task page"
                    )
                    % {"state": instance.state.name}
                )
            ]
            return
        allowed = getattr(self, "_state_allowed", None)
        if allowed is None:
            allowed = self._state_allowed = {}
        if state.pk not in allowed:  # the rule asked once per state, not once per row
            allowed[state.pk] = task_rules.has(task_rules.IMPORT_TASK_STATE, self.user, state)
        if not allowed[state.pk]:
            errors["state"] = [
                ValidationError(
                    str(task_rules.REFUSALS[task_rules.IMPORT_TASK_STATE])
                    % {"initial": self.initial_state().name}
                )
            ]
            return
        instance._imported_state = state

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's full_clean, without repeating what import_instance already reported."""
        errors = dict(import_validation_errors or {})
        # Links were set from rows just read from the database (or left empty, checked above), so
        # Django's per-link existence query is skipped: it would cost one query per link and row.
        exclude = {*errors, *self.LOOKED_UP}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
            if validate_unique:
                # A code on record is found by `match` among the codes read once for the whole workbook
                # (and a code given twice by `duplicate_key`): Django's check would ask once per row.
                instance.validate_unique(exclude={*exclude, "code"})
        except ValidationError as exc:
            found = exc.update_error_dict({})
            for key, messages in found.items():
                if key == NON_FIELD_ERRORS and (
                    "ordering_unit" in errors or "ordering_organization" in errors
                ):
                    continue  # "give the locality or the agency": already said under its column
                if key not in errors:
                    errors[key] = messages
        if errors:
            raise ValidationError(errors)

    # ---- saving

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._change_reason = _("Imported from Excel")
        if instance._imported_state is not None:
            instance.state = instance._imported_state
            instance.state_since = timezone.localdate()

    def prepare_record(self, instance, new, now) -> None:
        """What Task.save() would set besides SearchableModel's search text and name."""
        if instance.state_id is None:
            instance.state = self.initial_state()
        if instance.original_end_date is None and instance.end_date is not None:
            instance.original_end_date = instance.end_date
        super().prepare_record(instance, new, now)

    def after_bulk_write(self, plan, *, reason) -> None:
        """The events of the tasks imported in a later state. Not a workflow step: the event says where
        the task's state came from on its timeline."""
        events = [
            TaskEvent(
                task=task,
                transition=None,
                from_state=self.initial_state(),
                to_state=task._imported_state,
                happened_on=timezone.localdate(),
                reason=reason,
                actor=self.user,
            )
            for task in self._creates
            if task._imported_state is not None
        ]
        write_records(TaskEvent, events, [], (), user=self.user, reason=reason)

    # ---- the template

    def example_row(self) -> list:
        today = timezone.localdate()
        task_type = TaskType.objects.filter(is_active=True).order_by("sort_order", "name").first()
        field = ScienceField.objects.order_by("sort_order", "name").first()
        running = (
            WorkflowState.objects.filter(is_running=True, is_final=False).order_by("-sort_order").first()
        )
        if running is not None and not task_rules.has(task_rules.IMPORT_TASK_STATE, self.user, running):
            running = None  # the example imports as a new proposal for those who import no other state
        units = permissions.assignable_units(self.user, Task).select_related("province")
        unit = (
            units.filter(province__code=settings.STIMS_PROVINCE, generation="legacy", level="district")
            .order_by("code")
            .first()
            or units.order_by("-generation", "level", "code").first()
        )
        year = today.year - 2
        return [
            f"ĐTCS.{year}.01",
            "Ứng dụng tiến bộ kỹ thuật xây dựng mô hình trồng ba kích tím theo chuỗi giá trị",
            task_type.name if task_type else "",
            LevelWidget.VIETNAMESE[Level.GRASSROOTS],
            "",
            field.name if field else "",
            unit_cell(unit) if unit else "",
            "",
            "",
            "",
            year,
            datetime.date(year, 3, 1),
            datetime.date(year + 2, 2, 28),
            YES.capitalize(),
            year + 1,
            "Xây dựng mô hình 5 ha; chuyển giao quy trình cho 30 hộ",
            "Quy trình kỹ thuật; mô hình trình diễn",
            running.name if running else "",
        ]


def column_guide() -> list[tuple[str, str, str]]:
    """(column, required?, what to write) for the template's second sheet."""
    states = ", ".join(WorkflowState.objects.order_by("sort_order").values_list("name", flat=True))
    types = ", ".join(
        TaskType.objects.filter(is_active=True).order_by("sort_order", "name").values_list("name", flat=True)
    )
    fields = ", ".join(ScienceField.objects.order_by("sort_order", "name").values_list("name", flat=True))
    programmes = ", ".join(Programme.objects.order_by("name").values_list("code", flat=True))
    required, optional = _("required"), _("optional")
    return [
        (CODE, required, _("Unique code of the task, e.g. ĐTCS.2023.01.")),
        (TITLE, required, _("Title of the task.")),
        (TYPE, required, _("Name or code of the type: %(values)s.") % {"values": types}),
        (LEVEL, required, ", ".join(LevelWidget.VIETNAMESE.values())),
        (PROGRAMME, optional, _("Code or name of the programme: %(values)s.") % {"values": programmes}),
        (FIELD, optional, _("Name or code of the field: %(values)s.") % {"values": fields}),
        (
            UNIT,
            _("this or the ordering agency"),
            _(
                "Full name of the commune, district (before 2025) or province, e.g. “Huyện Định Hóa” or “Xã Định Hóa”; "
                "add the province after a comma when the name exists in several provinces: “Xã Định Hóa, Thái Nguyên”."
            ),
        ),
        (AGENCY, _("this or the ordering locality"), _("Name of an organization already in the directory.")),
        (LEAD, optional, _("Name of an organization already in the directory.")),
        (INVESTIGATOR, optional, _("Full name of a person already in the directory.")),
        (YEAR, required, _("The year the task was proposed or ordered for.")),
        (START, optional, _("dd/mm/yyyy, or an Excel date.")),
        (END, optional, _("dd/mm/yyyy, or an Excel date; not before the start date.")),
        (CARRIED, optional, f"{YES.capitalize()} / {NO.capitalize()}"),
        (CARRIED_YEAR, _("required when carried over"), _("The year the task was carried over into.")),
        (OBJECTIVES, optional, ""),
        (PRODUCTS, optional, ""),
        (
            STATE,
            optional,
            _(
                "Where a task of an earlier year stands today (name or code): %(values)s. Empty: a new proposal. "
                "The task's timeline records that the state was imported. Only the department's staff import "
                "a state other than the first."
            )
            % {"values": states},
        ),
    ]


def template_workbook(user) -> bytes:
    """The headers, one example row, and a second sheet explaining each column."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    resource = TaskResource(user)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = exports.sheet_title(_("Tasks"))
    # Header, example row, dates and numbers as every export writes them (core.exports).
    exports.write_sheet(sheet, [vietnamese for _name, vietnamese, _en in COLUMNS], [resource.example_row()])
    guide = workbook.create_sheet(str(_("Columns"))[:31])
    guide.append([str(_("Column")), str(_("Required")), str(_("What to write"))])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for row in column_guide():
        guide.append([str(value) for value in row])
    for letter, width in (("A", 22), ("B", 26), ("C", 100)):
        guide.column_dimensions[letter].width = width
    for cell in guide["C"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _message(outcome: ImportOutcome) -> str:
    return _("Imported %(new)d new tasks and updated %(update)d tasks already on record.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


def _list_url() -> str | None:
    try:
        return reverse("sttasks:task_list")
    except NoReverseMatch:
        return None


register_importer(
    Importer(
        kind="tasks",
        label=lambda: str(Task._meta.verbose_name_plural),
        resource=lambda user, options: TaskResource(
            user, update_existing=bool(options.get("update_existing"))
        ),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, Task),
        message=_message,
        list_url=_list_url,
    )
)
