"""Excel import of ISO 9001 records, one row per agency and year (`stims import iso FILE --user U`, and
the page /iso/records/import/), on the import framework `stims.core.imports`.

The workbook a district or the department's ISO team keeps: title rows, a merged two-row header, an STT
column, the agency written as in the directory ("UBND huyện Ba Chẽ"), the status in words ("Đang áp
dụng", "Đã công bố", "Duy trì, cải tiến", "Chưa áp dụng"). A row matches the record of its agency and
year (updating it); the agency must be a state agency in the directory and in the importer's scope —
a district officer importing another district's row is refused with the same words as any record
outside their scope, naming nothing. All rows or none.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    OUTSIDE_SCOPE,
    DateWidget,
    Importer,
    ImportResource,
    TextWidget,
    YearWidget,
    fold,
    is_empty,
    register_importer,
    write_workbook,
)
from stims.orgs.imports import OrganizationIndex
from stims.orgs.models import Organization

from .models import AGENCY_KINDS, IsoRecord, IsoStatus, level_of

KIND = "iso"


class StatusWidget(widgets.Widget):
    """The ISO status by its label (either language), its code, or the words people write."""

    WORDS = {
        "chua ap dung": IsoStatus.NOT_YET,
        "chua": IsoStatus.NOT_YET,
        "chua xay dung": IsoStatus.NOT_YET,
        "dang ap dung": IsoStatus.APPLYING,
        "da xay dung, ap dung": IsoStatus.APPLYING,
        "xay dung, ap dung": IsoStatus.APPLYING,
        "ap dung": IsoStatus.APPLYING,
        "da cong bo": IsoStatus.ANNOUNCED,
        "cong bo": IsoStatus.ANNOUNCED,
        "da cong bo phu hop": IsoStatus.ANNOUNCED,
        "duy tri": IsoStatus.MAINTAINED,
        "duy tri, cai tien": IsoStatus.MAINTAINED,
        "duy tri cai tien": IsoStatus.MAINTAINED,
        "da duy tri, cai tien": IsoStatus.MAINTAINED,
    }

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        key = fold(str(value)).strip(" .")
        for status in IsoStatus:
            if key in (status.value, fold(str(status.label))):
                return status.value
        if key in self.WORDS:
            return self.WORDS[key]
        raise ValueError(
            _("unknown status “%(value)s”; write one of: %(names)s")
            % {"value": value, "names": "Chưa áp dụng, Đang áp dụng, Đã công bố, Duy trì, cải tiến"}
        )

    def render(self, value, obj=None, **kwargs):
        return str(IsoStatus(value).label) if value else ""


class IsoRecordResource(ImportResource):
    AGENCY, YEAR, STATUS, SCOPE = "Cơ quan", "Năm", "Tình trạng", "Phạm vi áp dụng"
    NUMBER, DATE, NOTES = "Số quyết định công bố", "Ngày công bố", "Ghi chú"

    agency = Field(column_name=AGENCY, readonly=True)
    year = Field(attribute="year", column_name=YEAR, widget=YearWidget())
    status = Field(attribute="status", column_name=STATUS, widget=StatusWidget())
    scope = Field(attribute="scope", column_name=SCOPE, widget=TextWidget())
    announcement_number = Field(attribute="announcement_number", column_name=NUMBER, widget=TextWidget())
    announcement_date = Field(attribute="announcement_date", column_name=DATE, widget=DateWidget())
    notes = Field(attribute="notes", column_name=NOTES, widget=TextWidget())

    required_columns = (AGENCY, YEAR, STATUS)
    error_columns = {"agency": AGENCY}
    column_variants = {
        AGENCY: ("Tên cơ quan", "Cơ quan, đơn vị", "Đơn vị", "Tên đơn vị", "Cơ quan hành chính"),
        YEAR: ("Năm báo cáo", "Năm đánh giá"),
        STATUS: ("Tình trạng áp dụng", "Kết quả", "Tình hình áp dụng", "Tình trạng ISO"),
        SCOPE: ("Phạm vi", "Phạm vi áp dụng HTQLCL"),
        NUMBER: ("Số QĐ công bố", "Quyết định công bố", "Số công bố"),
        DATE: ("Ngày QĐ công bố", "Ngày ban hành quyết định công bố"),
        NOTES: ("Ghi chú khác",),
    }
    example_columns = (AGENCY, SCOPE)
    duplicate_column = AGENCY
    # Written in bulk with their history rows (`core.imports.write_records`); the agency and year are
    # what a row is matched on, so an update never changes them.
    bulk_update_fields = (
        "status",
        "scope",
        "announcement_number",
        "announcement_date",
        "notes",
        "level",
        "search_text",
        "search_name",
        "updated_at",
    )

    class Meta(ImportResource.Meta):
        model = IsoRecord
        export_order = (
            "agency",
            "year",
            "status",
            "scope",
            "announcement_number",
            "announcement_date",
            "notes",
        )
        import_order = fields = export_order

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.agencies = OrganizationIndex(user, AGENCY_KINDS)
        self._units_allowed: dict[int, bool] = {}

    def agency_named(self, row) -> Organization | None:
        name = TextWidget().clean(row.get(self.AGENCY))
        return self.agencies.find(name)[0] if name else None

    def may_attach(self, agency: Organization) -> bool:
        if agency.admin_unit_id not in self._units_allowed:
            self._units_allowed[agency.admin_unit_id] = (
                permissions.assignable_units(self.user, IsoRecord).filter(pk=agency.admin_unit_id).exists()
            )
        return self._units_allowed[agency.admin_unit_id]

    def match(self, row):
        agency = self.agency_named(row)
        try:
            year = YearWidget().clean(row.get(self.YEAR))
        except ValueError:
            return None
        return {"agency": agency, "year": year} if agency is not None and year else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        name = TextWidget().clean(row.get(self.AGENCY))
        agency = self.agency_named(row)
        if not name:
            errors["agency"] = [ValidationError(_("this column is required"))]
        elif agency is None:
            errors["agency"] = [ValidationError(self.agencies.find(name)[1])]
        else:
            instance.agency = agency
            if not self.may_attach(agency):
                errors[NON_FIELD_ERRORS] = [ValidationError(OUTSIDE_SCOPE)]
        for field_name in ("year", "status"):
            if field_name not in errors and not getattr(instance, field_name):
                errors[field_name] = [ValidationError(_("this column is required"))]
        if not instance.scope:
            instance.scope = _("Administrative procedures under the agency's remit")
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._change_reason = _("Imported from Excel")

    def prepare_record(self, instance, new, now) -> None:
        """What IsoRecord.save() would set besides the search text: the agency's level of government."""
        if not instance.level and instance.agency_id:
            instance.level = level_of(instance.agency)
        super().prepare_record(instance, new, now)

    # ---- export and template

    def base_export_queryset(self):
        return IsoRecord.objects.select_related("agency")

    def dehydrate_agency(self, obj):
        return obj.agency.name

    def example_row(self) -> list:
        own = [a.organization for a in permissions.active_assignments(self.user) if a.organization_id]
        agency = own[0].name if own else "UBND huyện Ba Chẽ"
        return [
            agency,
            2024,
            "Duy trì, cải tiến",
            "Các thủ tục hành chính thuộc thẩm quyền (ví dụ)",
            "12/QĐ-UBND",
            "15/03/2019",
            "",
        ]


def template_workbook(user) -> bytes:
    resource = IsoRecordResource(user)
    return write_workbook(
        resource.get_export_headers(),
        [resource.example_row()],
        title=str(IsoRecord._meta.verbose_name_plural),
    )


def _message(outcome) -> str:
    return _("Imported %(new)d new and updated %(update)d existing records.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


def _list_url() -> str | None:
    try:
        return reverse("iso:isorecord_list")
    except NoReverseMatch:
        return None


register_importer(
    Importer(
        kind=KIND,
        label=lambda: str(IsoRecord._meta.verbose_name_plural),
        resource=lambda user, options: IsoRecordResource(user),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, IsoRecord),
        message=_message,
        list_url=_list_url,
    )
)
