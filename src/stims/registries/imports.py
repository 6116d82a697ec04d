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
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    YES,
    DateWidget,
    Importer,
    ImportResource,
    NumberWidget,
    ReferenceWidget,
    TextWidget,
    YearWidget,
    YesNoWidget,
    fold,
    is_empty,
    register_importer,
    write_records,
    write_workbook,
)
from stims.geo.imports import (
    CURRENT_LABEL,
    GENERATION,
    LEVEL_HINT,
    PERIOD_HINT,
    PROVINCE,
    UNIT,
    UnitWidget,
    generation_label,
    level_of_header,
)
from stims.geo.models import REFORM_DATE, Generation
from stims.ip import rules as ip_rules
from stims.ip.models import IpAsset, IpStatus, IpStatusEvent, IpType
from stims.ip.services import check_status_move, initial_status
from stims.orgs.models import Organization, OrganizationKind
from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup, StarBand

BATCH = 500  # rows a bulk statement writes
# The other names district workbooks give the unit column (the unit itself may be shortened: "H. Ba Chẽ").
UNIT_VARIANTS = (
    "Địa phương",
    "Huyện",
    "Xã",
    "Địa bàn",
    "Huyện, thị xã, thành phố",
    "Huyện/Thị xã/Thành phố",
    "Xã, phường, thị trấn",
    "Xã/Phường/Thị trấn",
    "Đơn vị",
)
UPDATED_FIELDS = [
    "name",
    "group",
    "producer_kind",
    "producer",
    "producer_name",
    "admin_unit",
    "is_key_product",
    "is_ocop",
    "description",
    "search_text",
    "search_name",
    "updated_at",
]

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
        "ho kd": ProducerKind.HOUSEHOLD,
        "ho sxkd": ProducerKind.HOUSEHOLD,
        "ho san xuat kinh doanh": ProducerKind.HOUSEHOLD,
        "to hop tac": ProducerKind.HOUSEHOLD,
        "tht": ProducerKind.HOUSEHOLD,
        "dn": ProducerKind.ENTERPRISE,
        "cong ty tnhh": ProducerKind.ENTERPRISE,
        "cong ty co phan": ProducerKind.ENTERPRISE,
        "doanh nghiep tu nhan": ProducerKind.ENTERPRISE,
    }

    _words: dict[str, dict[str, str]] = {}  # by language: every accepted word → the kind

    def words(self) -> dict[str, str]:
        language = translation.get_language() or ""
        if language not in self._words:
            words = dict(self.ALIASES)
            for kind in ProducerKind:
                with translation.override("en"):
                    english = str(kind.label)
                for word in (kind.value, str(kind.label), english):
                    words[fold(word)] = kind.value
            self._words[language] = words
        return self._words[language]

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        found = self.words().get(fold(str(value)))
        if found:
            return found
        raise ValueError(
            _("not found “%(value)s”; write one of: %(choices)s")
            % {"value": value, "choices": ", ".join(str(k.label) for k in ProducerKind)}
        )

    def render(self, value, obj=None, **kwargs):
        return str(ProducerKind(value).label) if value else ""


# How a producer's name says what it is, when the workbook has no "Loại chủ thể" column (folded prefixes).
# A cooperative group (tổ hợp tác) has no legal personality: like a household it is kept by its name.
PRODUCER_PREFIXES = (
    (
        ("ho kd", "ho kinh doanh", "ho san xuat", "ho sxkd", "ho gia dinh", "ho ong", "ho ba", "ho "),
        ProducerKind.HOUSEHOLD,
    ),
    (("to hop tac", "tht "), ProducerKind.HOUSEHOLD),
    (("htx", "hop tac xa", "lien hiep htx", "lien hiep hop tac xa"), ProducerKind.COOPERATIVE),
    (
        ("cong ty", "cty", "doanh nghiep", "dntn", "tong cong ty", "chi nhanh cong ty"),
        ProducerKind.ENTERPRISE,
    ),
)


def kind_from_name(name: str) -> str:
    folded = fold(name) + " "
    for prefixes, kind in PRODUCER_PREFIXES:
        if folded.startswith(prefixes):
            return kind
    return ""


class StarsWidget(widgets.Widget):
    """An OCOP star rating as people write it: 3, "3 sao", "4*", "3 ★", "★★★", "3 sao (2024)"."""

    PATTERN = re.compile(r"^\s*([1-5])(?:[.,]0+)?\s*(?:sao|\*|★|☆|stars?)?\s*(?:\(.*\))?\s*$", re.IGNORECASE)

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            if float(value).is_integer() and 1 <= value <= 5:
                return int(value)
        else:
            text = str(value).strip()
            if text and set(text) <= {"★", "*"} and 1 <= len(text) <= 5:
                return len(text)
            found = self.PATTERN.match(text)
            if found:
                return int(found.group(1))
        raise ValueError(
            _("“%(value)s” is not a star rating: write 1 to 5, e.g. “3 sao”, “4*” or “★★★”")
            % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value


# --------------------------------------------------------------------------------------------------
# Resources


class RegistryResource(ImportResource):
    """An import resource for records attached to an administrative unit (`unit_field`), whose
    producers or owners are looked up in the directory."""

    unit_field = "admin_unit"

    def prepare(self, rows):
        source = self.sheet.source_headers.get(UNIT, "") if self.sheet is not None else ""
        level = level_of_header(source)
        if level:
            for row in rows:
                row[LEVEL_HINT] = level
        super().prepare(rows)

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self.fields[self.unit_field].widget = UnitWidget(user, self.model)

    def clean_unit(self, row):
        try:
            return self.fields[self.unit_field].clean(row)
        except (ValueError, KeyError):
            return None

    def organizations(self) -> dict[str, list[Organization]]:
        """The organizations the user may see, by folded name: read once per workbook."""
        if getattr(self, "_organizations", None) is None:
            index: dict[str, list[Organization]] = {}
            visible = permissions.restrict(Organization.objects.all(), self.user, permissions.VIEW)
            for org in visible.only("id", "name", "kind", "admin_unit_id").order_by("pk"):
                index.setdefault(fold(org.name), []).append(org)
            self._organizations = index
        return self._organizations

    def organization_named(self, name: str) -> list[Organization]:
        folded = self.organizations().get(fold(name), [])
        exact = [o for o in folded if o.name == name]
        return (exact or folded)[:5]


class ProductResource(RegistryResource):
    NAME, GROUP, PRODUCER, KIND = "Tên sản phẩm", "Nhóm sản phẩm", "Chủ thể", "Loại chủ thể"
    KEY, OCOP, DESCRIPTION = "Sản phẩm chủ lực", "Sản phẩm OCOP", "Mô tả"
    YEAR, SCORE_A, SCORE_B, SCORE_C = "Năm đánh giá", "Điểm A", "Điểm B", "Điểm C"
    DECISION_NO, DECISION_DATE = "Số quyết định", "Ngày quyết định"
    TOTAL, STARS = "Tổng điểm", "Số sao"

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
    total_score = Field(column_name=TOTAL, readonly=True)
    stars = Field(column_name=STARS, readonly=True)

    required_columns = (NAME, GROUP, PRODUCER, UNIT)
    # The other names district workbooks give these columns (docs/registries.md lists them).
    column_variants = {
        NAME: ("Sản phẩm", "Tên SP", "Tên sản phẩm OCOP", "Tên sản phẩm, dịch vụ"),
        GROUP: ("Nhóm", "Nhóm SP", "Nhóm ngành", "Bộ sản phẩm", "Nhóm, bộ sản phẩm"),
        KIND: ("Loại hình chủ thể", "Loại hình", "Loại hình tổ chức"),
        PRODUCER: (
            "Chủ thể sản xuất",
            "Đơn vị sản xuất",
            "Chủ thể OCOP",
            "Tên chủ thể",
            "Cơ sở sản xuất",
            "Chủ thể sản xuất, kinh doanh",
        ),
        UNIT: UNIT_VARIANTS,
        KEY: ("Chủ lực", "SP chủ lực"),
        OCOP: ("OCOP",),
        DESCRIPTION: ("Mô tả sản phẩm",),
        YEAR: ("Năm", "Năm công nhận", "Năm xếp hạng", "Năm đánh giá, phân hạng"),
        SCORE_A: ("Phần A", "Điểm phần A", "Điểm đánh giá A", "Điểm A (40)", "Điểm đánh giá phần A"),
        SCORE_B: ("Phần B", "Điểm phần B", "Điểm đánh giá B", "Điểm B (25)", "Điểm đánh giá phần B"),
        SCORE_C: ("Phần C", "Điểm phần C", "Điểm đánh giá C", "Điểm C (35)", "Điểm đánh giá phần C"),
        TOTAL: ("Điểm", "Tổng điểm đánh giá", "Điểm đánh giá", "Tổng số điểm", "Điểm tổng"),
        STARS: (
            "Hạng sao",
            "Xếp hạng",
            "Xếp hạng sao",
            "Kết quả xếp hạng",
            "Hạng",
            "Số sao đạt",
            "Phân hạng",
        ),
        DECISION_NO: ("Số QĐ", "Quyết định", "Số quyết định công nhận", "QĐ công nhận"),
        DECISION_DATE: ("Ngày QĐ", "Ngày công nhận", "Ngày ký quyết định", "Ngày ký"),
    }
    example_columns = (NAME, PRODUCER)
    duplicate_column = NAME
    error_columns = {
        "producer_name": PRODUCER,
        "total_score": TOTAL,
        "stars": STARS,
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
        "total_score": (TOTAL, NumberWidget()),
        "stars": (STARS, StarsWidget()),
    }
    PARTS = ("score_a", "score_b", "score_c")
    bulk_update_fields = UPDATED_FIELDS

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
            "total_score",
            "stars",
            "decision_number",
            "decision_date",
        )
        import_order = fields = export_order

    def __init__(self, user, **kwargs):
        super().__init__(user, **kwargs)
        self._new_producers: dict[str, Organization] = {}
        self._may_add_producer: dict[int, bool] = {}
        self._bands: list | None = None

    def prepare(self, rows):
        for row in rows:  # the period each row speaks of, for a unit name shortened to "Ba Chẽ"
            row[PERIOD_HINT] = self.period_of(row)
        super().prepare(rows)

    def period_of(self, row) -> str | None:
        try:
            day = DateWidget().clean(row.get(self.DECISION_DATE))
            year = YearWidget().clean(row.get(self.YEAR))
        except ValueError:
            return None
        day = day or (datetime.date(year, 12, 31) if year and year != REFORM_DATE.year else None)
        if day is None:
            return None
        return Generation.LEGACY if day < REFORM_DATE else Generation.CURRENT

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
        self.import_producer(instance, row, errors)
        if not instance.producer_kind and "producer_kind" not in errors and "producer" not in errors:
            errors["producer_kind"] = ValidationError(
                _("this column is required: the producer's name does not say whether it is %(choices)s")
                % {"choices": ", ".join(str(k.label) for k in ProducerKind)}
            )
        self.import_evaluation(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_producer(self, instance, row, errors):
        name = TextWidget().clean(row.get(self.PRODUCER))
        instance._new_producer = None
        if not name:
            errors.setdefault("producer", ValidationError(_("this column is required")))
            return
        if not instance.producer_kind and "producer_kind" not in errors:
            instance.producer_kind = kind_from_name(name)  # "Hộ KD …", "HTX …", "Công ty …"
        if instance.producer_kind == ProducerKind.HOUSEHOLD:
            instance.producer, instance.producer_name = None, name
            return
        found = self.organization_named(name)
        if len(found) > 1:
            errors["producer"] = ValidationError(
                _("several organizations are named “%(name)s”; give the producer its full registered name")
                % {"name": name}
            )
        elif found:
            instance.producer, instance.producer_name = found[0], ""
            if not instance.producer_kind and found[0].kind in (
                ProducerKind.ENTERPRISE,
                ProducerKind.COOPERATIVE,
            ):
                instance.producer_kind = found[0].kind
        elif instance.producer_kind:
            self.propose_producer(instance, name, errors)

    def propose_producer(self, instance, name: str, errors) -> None:
        """A producer not yet in the directory: proposed as a new enterprise or cooperative of the
        product's unit, created on confirm, if the user may add organizations there."""
        unit = instance.admin_unit if instance.admin_unit_id else None
        if unit is None:
            return  # the unit's own error says what is wrong
        if unit.pk not in self._may_add_producer:
            self._may_add_producer[unit.pk] = permissions.has_perm(
                self.user, permissions.ADD, Organization
            ) and (
                permissions.assignable_units(self.user, Organization, permissions.ADD)
                .filter(pk=unit.pk)
                .exists()
            )
        if not self._may_add_producer[unit.pk]:
            errors["producer"] = ValidationError(
                _(
                    "no enterprise or cooperative named “%(name)s” in the directory; add it there first, or make the producer a household"
                )
                % {"name": name}
            )
            return
        key = fold(name)
        producer = self._new_producers.get(key)
        if producer is None:
            kind = (
                OrganizationKind.COOPERATIVE
                if instance.producer_kind == ProducerKind.COOPERATIVE
                else OrganizationKind.ENTERPRISE
            )
            producer = self._new_producers[key] = Organization(name=name, kind=kind, admin_unit=unit)
        instance.producer, instance.producer_name = producer, ""
        instance._new_producer = producer

    def proposals(self) -> list[str]:
        return [
            _("new %(kind)s “%(name)s” (%(unit)s)")
            % {"kind": org.get_kind_display().lower(), "name": org.name, "unit": org.admin_unit.name}
            for org in self._new_producers.values()
        ]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:  # a product has no unique field: no uniqueness to ask the database about
            super().validate_instance(instance, import_validation_errors, validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            if getattr(instance, "_new_producer", None) is not None:
                errors.pop("producer", None)  # the producer is proposed: it gets its id on confirm
            if errors:
                raise ValidationError(errors) from None

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
        if values["year"] is None and "year" not in local and values["decision_date"] is not None:
            values["year"] = values["decision_date"].year  # the year of the recognition decision
        with_parts = any(values[k] is not None or k in local for k in self.PARTS)
        # Part scores A/B/C give the total and the stars; without them, a total score or a star
        # rating (as district lists keep them) is recorded as given.
        required = ("year", *self.PARTS) if with_parts else ("year",)
        for key in required:
            if values[key] is None and key not in local:
                local[key] = ValidationError(_("required when an OCOP evaluation is given"))
        if with_parts:
            values["total_score"] = values["stars"] = None  # derived from the parts on save
        elif values["total_score"] is not None and not 0 <= values["total_score"] <= 100:
            local["total_score"] = ValidationError(_("a total score lies between 0 and 100"))
        elif values["total_score"] is None and values["stars"] is None and not local:
            local["total_score"] = ValidationError(_("give the part scores, the total score or the stars"))
        # The model fields' own checks (part scores within 40/25/35, lengths), without a model instance.
        for key in ("year", *self.PARTS, "decision_number", "decision_date"):
            if key in local or values[key] is None:
                continue
            try:
                OcopEvaluation._meta.get_field(key).clean(values[key], None)
            except ValidationError as exc:
                local[key] = exc
        if local:
            errors.update(local)
            return
        if "is_ocop" not in errors and is_empty(row.get(self.OCOP)):
            instance.is_ocop = True
        instance._import_evaluation = values

    # ---- saving: in bulk, in the caller's one transaction

    def prepare_plan(self, plan) -> None:
        """What save() would set on the new producers and the products, set before the write
        transaction opens."""
        used = {
            id(item.instance._new_producer) for item in plan if getattr(item.instance, "_new_producer", None)
        }
        self._producers = [org for org in self._new_producers.values() if id(org) in used]
        for org in self._producers:
            org.search_text, org.search_name = org.build_search_text(), fold(org.name)[:255]
        super().prepare_plan(plan)

    def before_bulk_write(self, plan, *, reason) -> None:
        """The producers new to the directory first: the products refer to them."""
        write_records(Organization, self._producers, [], (), user=self.user, reason=reason)
        for product in (*self._creates, *self._updates):
            if product.producer is not None and product.producer_id is None:
                product.producer = product.producer  # the new producer has its id now

    def after_bulk_write(self, plan, *, reason) -> None:
        """Then the products' evaluations, in bulk with their history."""
        self._evaluations = []
        for item in plan:
            self.after_save_instance(item.instance, item.row, bulk=True)
        self.save_evaluations(self._evaluations, updated={p.pk for p in self._updates}, reason=reason)

    def stars_for(self, total, on_date):
        """StarBand.stars_for without a query per evaluation: the bands are read once."""
        if self._bands is None:
            self._bands = list(StarBand.objects.all())
        bands = [
            b
            for b in self._bands
            if b.min_score <= total <= b.max_score
            and (
                on_date is None
                or (
                    (b.valid_from is None or b.valid_from <= on_date)
                    and (b.valid_to is None or b.valid_to >= on_date)
                )
            )
        ]
        return max((b.stars for b in bands), default=None)

    def save_evaluations(self, pending, *, updated, reason) -> None:
        existing = {}
        updated = sorted(updated)
        for start in range(0, len(updated), BATCH):
            for evaluation in OcopEvaluation.objects.filter(product_id__in=updated[start : start + BATCH]):
                existing[(evaluation.product_id, evaluation.year)] = evaluation
        now = timezone.now()
        creates, changes = [], []
        for product, values in pending:
            evaluation = existing.get((product.pk, values["year"]))
            if evaluation is not None and all(
                getattr(evaluation, k) == v for k, v in values.items() if v is not None
            ):
                continue
            if evaluation is None:
                evaluation = OcopEvaluation(product=product)
                creates.append(evaluation)
            else:
                changes.append(evaluation)
            for key, value in values.items():
                if value is None and evaluation.pk and key in (*self.PARTS, "total_score", "stars"):
                    continue  # a rating without part scores leaves the recorded part scores alone
                setattr(evaluation, key, value)
            evaluation.derive_scores(self.stars_for)
            evaluation.updated_at = now
        write_records(
            OcopEvaluation,
            creates,
            changes,
            ["year", *self.PARTS, "total_score", "stars", "decision_number", "decision_date", "updated_at"],
            user=self.user,
            reason=reason,
        )

    def after_save_instance(self, instance, row, bulk=False, **kwargs):
        values = getattr(instance, "_import_evaluation", None)
        if bulk:  # save_plan checks the scope of all rows at once and writes the evaluations in bulk
            if values:
                self._evaluations.append(
                    (instance, {**values, "decision_number": values["decision_number"] or ""})
                )
            return
        super().after_save_instance(instance, row, **kwargs)
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
        value = getattr(latest, attr) if latest else None
        return float(value) if value is not None else None

    def dehydrate_total_score(self, obj):
        return self._score(obj, "total_score")

    def dehydrate_stars(self, obj):
        latest = self._latest(obj)
        return latest.stars if latest else None

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
            None,
            None,
            "123/QĐ-UBND",
            datetime.date(datetime.date.today().year - 1, 12, 15),
        ]


# What an IP row may change on an asset on record (bulk_update names its columns).
IP_UPDATED_FIELDS = [
    "ip_type",
    "name",
    "owner",
    "owner_name",
    "applicant",
    "representative",
    "admin_unit",
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
    "search_text",
    "search_name",
    "updated_at",
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
    # The other names people give these columns (docs/registries.md lists them).
    column_variants = {
        TYPE: ("Loại", "Loại hình", "Loại văn bằng", "Đối tượng SHTT", "Loại đối tượng SHTT"),
        NAME: ("Tên", "Tên nhãn hiệu", "Nhãn hiệu", "Tên đối tượng SHTT", "Tên nhãn hiệu, chỉ dẫn địa lý"),
        OWNER: ("Chủ văn bằng", "Chủ đơn", "Tổ chức, cá nhân sở hữu", "Chủ sở hữu văn bằng"),
        APPLICANT: ("Người nộp", "Tổ chức nộp đơn"),
        REPRESENTATIVE: ("Đại diện SHCN", "Tổ chức đại diện SHCN"),
        UNIT: UNIT_VARIANTS,
        APP_NO: ("Số đơn đăng ký", "Số đơn ĐK"),
        APP_DATE: ("Ngày nộp", "Ngày nộp đơn đăng ký"),
        STATUS: ("Trạng thái", "Tình trạng văn bằng", "Tình trạng đơn"),
        STATUS_DATE: ("Ngày cập nhật tình trạng",),
        TITLE_NO: ("Số VB", "Số bằng", "Số GCN", "Số văn bằng bảo hộ"),
        GRANT_DATE: ("Ngày cấp văn bằng", "Ngày cấp bằng"),
        EXPIRY: ("Hiệu lực đến", "Ngày hết hiệu lực", "Thời hạn bảo hộ"),
        NICE: ("Nhóm", "Nhóm sản phẩm/dịch vụ (Nice)"),
        SCOPE: ("Sản phẩm/dịch vụ", "Sản phẩm, dịch vụ mang nhãn hiệu"),
        AREA: ("Khu vực", "Vùng địa lý"),
        PROJECT: ("Dự án", "Dự án hỗ trợ đăng ký"),
    }
    example_columns = (NAME, OWNER)
    duplicate_column = NAME
    bulk_update_fields = IP_UPDATED_FIELDS

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
        if not errors and instance.pk is None and not self.may_import_status(instance.status):
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

    def after_bulk_write(self, plan, *, reason) -> None:
        """Then the assets' status events (where an asset's status is new or changed), with their
        history."""
        today = datetime.date.today()
        events = [
            IpStatusEvent(
                asset=asset,
                status=asset.status,
                date=asset.status_date or today,
                note=_("Imported from a spreadsheet"),
            )
            for asset in (*self._creates, *self._updates)
            if getattr(asset, "_status_before", None) != asset.status_id
        ]
        write_records(IpStatusEvent, events, [], (), user=self.user, reason=reason)

    def may_import_status(self, status) -> bool:
        """Whether the user may import a new asset in `status`: the rule asked once per status, not
        once per row."""
        allowed = self.__dict__.setdefault("_status_allowed", {})
        key = getattr(status, "pk", None)
        if key not in allowed:
            allowed[key] = ip_rules.has(ip_rules.IMPORT_ASSET_STATUS, self.user, status)
        return allowed[key]

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


def _message(outcome) -> str:
    return _("Imported %(new)d new and updated %(update)d existing records.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


def _list_url(name: str):
    def url() -> str | None:
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    return url


for _kind, _list in (("products", "products:product_list"), ("ip", "ip:ipasset_list")):
    register_importer(
        Importer(
            kind=_kind,
            label=lambda kind=_kind: kind_label(kind),
            resource=lambda user, options, kind=_kind: RESOURCES[kind](user),
            allowed=lambda user, kind=_kind: permissions.has_perm(
                user, permissions.ADD, RESOURCES[kind]._meta.model
            ),
            message=_message,
            list_url=_list_url(_list),
        )
    )
