"""Excel import and export of the registries (products with their latest OCOP evaluation, IP assets).

The lists are kept today in Excel workbooks with Vietnamese column headers; this module reads such a
workbook, checks every row against the data and the user's permissions, and writes all rows or none.

The machinery (reading the workbook safely, cell readers, preview inside a rolled-back transaction,
all-or-nothing commit, errors by row and column, export) is `stims.core.imports`; units named by their
full name (with province and "trước/sau 2025" to disambiguate) are read by `stims.geo.imports`. What
is particular to the registries: their Vietnamese headers, how a row matches a record on record,
producers and owners looked up in the directory, and the OCOP evaluation carried on a product row.

    resource = RESOURCES["products"](user)
    sheet = core.imports.read_workbook(upload)     # ImportFileError with a clear message
    result = resource.run(sheet, dry_run=True)     # preview: nothing is kept
    result = resource.run(sheet, dry_run=False)    # confirm: every row in one transaction, or none
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    YES,
    DateWidget,
    ImportResource,
    NumberWidget,
    ReferenceWidget,
    TextWidget,
    YearWidget,
    YesNoWidget,
    is_empty,
    write_workbook,
)
from stims.core.text import fold
from stims.geo.imports import CURRENT_LABEL, GENERATION, PROVINCE, UNIT, UnitWidget, generation_label
from stims.ip import rules as ip_rules
from stims.ip.models import IpAsset, IpStatus, IpStatusEvent, IpType
from stims.ip.services import check_status_move, initial_status
from stims.orgs.models import Organization
from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup

# --------------------------------------------------------------------------------------------------
# Cell readers


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
        if is_empty(value):
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


# --------------------------------------------------------------------------------------------------
# Resources


class RegistryResource(ImportResource):
    """An import resource for records attached to an administrative unit (`unit_field`), whose
    producers or owners are looked up in the directory."""

    unit_field = "admin_unit"

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.fields[self.unit_field].widget = UnitWidget(user, self.model)

    def clean_unit(self, row):
        try:
            return self.fields[self.unit_field].clean(row)
        except (ValueError, KeyError):
            return None

    def organization_named(self, name: str) -> list[Organization]:
        visible = permissions.restrict(Organization.objects.all(), self.user, permissions.VIEW)
        found = list(visible.filter(name=name)[:5])
        if not found:
            key = fold(name)
            found = [o for o in visible.filter(search_name=key[:255])[:5] if fold(o.name) == key]
        return found


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
            key for key, (column, _w) in self.EVALUATION_COLUMNS.items() if not is_empty(row.get(column))
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
        if "is_ocop" not in errors and is_empty(row.get(self.OCOP)):
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
        if (
            not errors
            and instance.pk is None
            and not ip_rules.has(ip_rules.IMPORT_ASSET_STATUS, self.user, instance.status)
        ):
            # A new asset starts in the initial status, as on the asset form, unless the department's
            # staff import it where it stands today.
            errors["status"] = ValidationError(
                ip_rules.refusal(ip_rules.IMPORT_ASSET_STATUS, initial=initial_status().name)
            )
        if not errors and instance.pk and instance.status_id != instance._status_before:
            # A status change in a spreadsheet obeys the same rule and workflow as the asset page.
            saved = IpAsset.objects.select_related("status", "ip_type").get(pk=instance.pk)
            if not ip_rules.has(ip_rules.RECORD_STATUS, self.user, saved):
                raise ValidationError(
                    {"status": ValidationError(ip_rules.refusal(ip_rules.RECORD_STATUS, asset=saved))}
                )
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
