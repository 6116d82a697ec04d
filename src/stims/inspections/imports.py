"""Excel import of establishments (`stims import establishments FILE --user U`, and the page
/quality/establishments/import/), on the import framework `stims.core.imports`.

A district keeps its list of fuel stations, LPG shops or producers in its own workbook: title rows
above the header, a two-row merged header, an STT column, the district written short ("H. Ba Chẽ",
"Ba Chẽ"), the sector written as people say it ("Xăng dầu", "Gas"). The framework finds the header
row, reads merged headers, skips STT, blank and total rows and flags duplicates, formula cells and the
template's example row; this module says what the columns mean:

  * an establishment is matched on record by its name and administrative unit (a row naming one on
    record updates it — if the user may change it; one outside the user's scope is refused with the
    same words as a new one outside it, naming nothing);
  * the unit must be one the importer may attach establishments to (`UnitWidget`: a district inspector
    imports only their district's rows);
  * the organization running it is linked when the directory has exactly one of that name the user may
    see; otherwise the establishment is imported unlinked and the preview lists those names.

Every row is checked before anything is written; confirming writes all rows or none, in bulk with
their history rows (`core.imports.write_records`), each history row naming the importer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    Importer,
    ImportResource,
    TextWidget,
    fold,
    is_empty,
    register_importer,
    write_workbook,
)
from stims.geo.imports import (
    CURRENT_LABEL,
    GENERATION,
    LEVEL_HINT,
    PROVINCE,
    UNIT,
    UnitWidget,
    generation_label,
    level_of_header,
)
from stims.orgs.models import Organization

from .models import Establishment, Sector

KIND = "establishments"
UPDATED_FIELDS = ["name", "sector", "organization", "admin_unit", "address", "owner_name", "phone", "note"]


class SectorWidget(widgets.Widget):
    """A sector by its name or code, or as districts write it ("Xăng dầu", "Gas", "LPG", "X-quang")."""

    ALIASES = {
        "xang dau": "fuel-retail",
        "cua hang xang dau": "fuel-retail",
        "cay xang": "fuel-retail",
        "gas": "lpg",
        "lpg": "lpg",
        "khi dau mo hoa long": "lpg",
        "kinh doanh gas": "lpg",
        "hang dong goi san": "prepackaged",
        "dong goi san": "prepackaged",
        "ghi nhan": "labelling",
        "nhan hang hoa": "labelling",
        "chat luong": "goods-quality",
        "phuong tien do": "measuring-instruments",
        "do luong": "measuring-instruments",
        "x-quang": "radiation",
        "x quang": "radiation",
        "buc xa": "radiation",
        "an toan buc xa": "radiation",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._index: dict[str, Sector] | None = None

    def index(self) -> dict[str, Sector]:
        if self._index is None:
            sectors = list(Sector.objects.filter(is_active=True))
            by_code = {s.code: s for s in sectors}
            index = {fold(alias): by_code[code] for alias, code in self.ALIASES.items() if code in by_code}
            for sector in sectors:
                index[fold(sector.code)] = sector
                index[fold(sector.name)] = sector
            self._index = index
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        key = fold(str(value)).strip(" .")
        found = self.index().get(key)
        if found is None:  # "Kinh doanh xăng dầu bán lẻ": a sector whose name the cell contains, if one
            hits = {s.pk: s for k, s in self.index().items() if len(k) > 2 and k in key}
            if len(hits) == 1:
                found = next(iter(hits.values()))
        if found is None:
            names = ", ".join(sorted({s.name for s in self.index().values()}))
            raise ValueError(
                _("unknown sector “%(value)s”; write one of: %(names)s") % {"value": value, "names": names}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


class EstablishmentResource(ImportResource):
    NAME, SECTOR, ORG = "Tên cơ sở", "Lĩnh vực", "Tổ chức, doanh nghiệp"
    ADDRESS, OWNER, PHONE, NOTE = "Địa chỉ", "Chủ cơ sở", "Điện thoại", "Ghi chú"

    name = Field(attribute="name", column_name=NAME, widget=TextWidget())
    sector = Field(attribute="sector", column_name=SECTOR, widget=SectorWidget())
    organization = Field(column_name=ORG, readonly=True)
    admin_unit = Field(attribute="admin_unit", column_name=UNIT, widget=widgets.Widget())
    province_name = Field(column_name=PROVINCE, readonly=True)
    generation = Field(column_name=GENERATION, readonly=True)
    address = Field(attribute="address", column_name=ADDRESS, widget=TextWidget())
    owner_name = Field(attribute="owner_name", column_name=OWNER, widget=TextWidget())
    phone = Field(attribute="phone", column_name=PHONE, widget=TextWidget())
    note = Field(attribute="note", column_name=NOTE, widget=TextWidget())

    required_columns = (NAME, SECTOR, UNIT)
    error_columns = {"organization": ORG}
    # The other names district workbooks give these columns (docs/inspections.md lists them).
    column_variants = {
        NAME: (
            "Tên cơ sở kinh doanh",
            "Tên cơ sở sản xuất, kinh doanh",
            "Cơ sở",
            "Tên cửa hàng",
            "Tên cửa hàng xăng dầu",
            "Tên đơn vị",
            "Tên cơ sở được kiểm tra",
        ),
        SECTOR: (
            "Loại hình",
            "Loại hình kinh doanh",
            "Ngành nghề",
            "Lĩnh vực kinh doanh",
            "Lĩnh vực kiểm tra",
        ),
        ORG: ("Doanh nghiệp", "Tổ chức", "Đơn vị chủ quản", "Thương nhân", "Công ty"),
        UNIT: (
            "Địa phương",
            "Huyện",
            "Xã",
            "Địa bàn",
            "Huyện, thị xã, thành phố",
            "Huyện/Thị xã/Thành phố",
            "Xã, phường, thị trấn",
            "Xã/Phường/Thị trấn",
            "Đơn vị hành chính",
        ),
        ADDRESS: ("Địa chỉ cơ sở", "Địa chỉ kinh doanh", "Địa điểm"),
        OWNER: ("Chủ cơ sở/Người quản lý", "Người đại diện", "Người quản lý", "Chủ hộ", "Người đứng đầu"),
        PHONE: ("Số điện thoại", "SĐT", "Điện thoại liên hệ"),
        NOTE: ("Ghi chú", "Ghi chú khác"),
    }
    example_columns = (NAME, OWNER)
    duplicate_column = NAME
    bulk_update_fields = (*UPDATED_FIELDS, "search_text", "search_name", "updated_at")

    class Meta(ImportResource.Meta):
        model = Establishment
        export_order = (
            "name",
            "sector",
            "organization",
            "admin_unit",
            "province_name",
            "generation",
            "address",
            "owner_name",
            "phone",
            "note",
        )
        import_order = fields = export_order

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.fields["admin_unit"].widget = UnitWidget(user, Establishment)
        self._organizations: dict[str, list[Organization]] | None = None
        self._unlinked: set[str] = set()

    def prepare(self, rows):
        source = self.sheet.source_headers.get(UNIT, "") if self.sheet is not None else ""
        level = level_of_header(source)
        if level:
            for row in rows:
                row[LEVEL_HINT] = level
        super().prepare(rows)

    def clean_unit(self, row):
        try:
            return self.fields["admin_unit"].clean(row)
        except (ValueError, KeyError):
            return None

    def match(self, row):
        unit = self.clean_unit(row)
        name = TextWidget().clean(row.get(self.NAME))
        return {"name": name, "admin_unit": unit} if unit is not None and name else None

    def organizations(self) -> dict[str, list[Organization]]:
        """The organizations the user may see, by folded name: read once per workbook."""
        if self._organizations is None:
            index: dict[str, list[Organization]] = {}
            visible = permissions.restrict(Organization.objects.all(), self.user, permissions.VIEW)
            for org in visible.only("id", "name").order_by("pk"):
                index.setdefault(fold(org.name), []).append(org)
            self._organizations = index
        return self._organizations

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field_name in ("name", "sector", "admin_unit"):
            if field_name not in errors and not getattr(
                instance, "name" if field_name == "name" else f"{field_name}_id"
            ):
                errors[field_name] = ValidationError(_("this column is required"))
        org_name = TextWidget().clean(row.get(self.ORG))
        if org_name:
            found = self.organizations().get(fold(org_name), [])
            exact = [o for o in found if o.name == org_name]
            found = exact or found
            if len(found) == 1:
                instance.organization = found[0]
            else:  # not (or not unambiguously) in the directory: imported unlinked, and said so
                instance.organization = None
                self._unlinked.add(org_name)
        elif self.ORG in row:
            instance.organization = None
        if errors:
            raise ValidationError(errors)

    def proposals(self) -> list[str]:
        if not self._unlinked:
            return []
        names = sorted(self._unlinked)
        shown = ", ".join(f"“{n}”" for n in names[:10]) + ("…" if len(names) > 10 else "")
        return [
            _(
                "%(count)d organization(s) named in the workbook are not (or not unambiguously) in the "
                "directory; their establishments are imported without a link: %(names)s"
            )
            % {"count": len(names), "names": shown}
        ]

    # ---- export and template

    def base_export_queryset(self):
        return Establishment.objects.select_related("sector", "organization", "admin_unit__province")

    def dehydrate_organization(self, obj):
        return obj.organization.name if obj.organization_id else ""

    def dehydrate_admin_unit(self, obj):
        return obj.admin_unit.name

    def dehydrate_province_name(self, obj):
        return obj.admin_unit.province.name if obj.admin_unit.province_id else ""

    def dehydrate_generation(self, obj):
        return generation_label(obj.admin_unit)

    def example_row(self) -> list:
        sector = Sector.objects.filter(code="fuel-retail").first() or Sector.objects.first()
        own = [a.admin_unit for a in permissions.active_assignments(self.user) if a.admin_unit_id]
        unit = (
            own[0]
            if own
            else permissions.assignable_units(self.user, Establishment)
            .order_by("-generation", "level", "code")
            .first()
        )
        return [
            "Cửa hàng xăng dầu số 1 (ví dụ)",
            sector.name if sector else "",
            "",
            unit.name if unit else "",
            unit.province.name if unit and unit.province_id else "",
            generation_label(unit) if unit else CURRENT_LABEL,
            "Tiểu khu 3",
            "Nguyễn Văn A",
            "0212 3850 000",
            "",
        ]


def template_workbook(user) -> bytes:
    resource = EstablishmentResource(user)
    return write_workbook(
        resource.get_export_headers(),
        [resource.example_row()],
        title=str(Establishment._meta.verbose_name_plural),
    )


def export_workbook(user) -> bytes:
    resource = EstablishmentResource(user)
    headers, rows = resource.export_rows(resource.export_queryset())
    return write_workbook(headers, rows, title=str(Establishment._meta.verbose_name_plural))


def _message(outcome) -> str:
    return _("Imported %(new)d new and updated %(update)d existing records.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


def _list_url() -> str | None:
    try:
        return reverse("inspections:establishment_list")
    except NoReverseMatch:
        return None


register_importer(
    Importer(
        kind=KIND,
        label=lambda: str(Establishment._meta.verbose_name_plural),
        resource=lambda user, options: EstablishmentResource(user),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, Establishment),
        message=_message,
        list_url=_list_url,
    )
)
