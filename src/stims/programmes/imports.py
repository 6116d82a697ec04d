"""Excel import of a plan's targets (on the import framework, `stims.core.imports`): one target a row, in
the usual layout of a plan's annex — indicator, unit, year, baseline, target — Vietnamese headers or
English. A row whose indicator and year are already a target of the plan updates it; every row is
checked before anything is saved, and all rows are saved or none.

    resource = TargetResource(user, plan=plan)
    outcome = resource.run(read_workbook(upload), dry_run=True)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    Importer,
    ImportOutcome,
    ImportResource,
    NumberWidget,
    TextWidget,
    YearWidget,
    fold,
    register_importer,
    write_workbook,
)

from .models import Plan, Target

INDICATOR, UNIT, YEAR, BASELINE, VALUE, NOTE = (
    "Chỉ tiêu",
    "Đơn vị tính",
    "Năm",
    "Giá trị gốc",
    "Chỉ tiêu giao",
    "Ghi chú",
)
# (field, Vietnamese header, other headers people use)
COLUMNS = [
    ("indicator", INDICATOR, ("Tên chỉ tiêu", "Nội dung chỉ tiêu")),
    ("unit", UNIT, ("ĐVT", "Đơn vị")),
    ("year", YEAR, ("Năm thực hiện",)),
    ("baseline", BASELINE, ("Hiện trạng", "Năm gốc")),
    ("value", VALUE, ("Mục tiêu", "Giá trị chỉ tiêu", "Kế hoạch")),
    ("note", NOTE, ("Diễn giải",)),
]
REQUIRED_COLUMNS = (INDICATOR, UNIT, VALUE)


def plan_for(user, pk) -> Plan:
    """The plan the targets go to, if the user may change it and add targets; PermissionDenied else."""
    plan = permissions.restrict(Plan.objects.filter(pk=pk), user, permissions.CHANGE).first()
    if plan is None or not permissions.has_perm(user, permissions.ADD, Target):
        raise PermissionDenied
    return plan


class TargetResource(ImportResource):
    indicator = Field(attribute="indicator", column_name=INDICATOR, widget=TextWidget())
    unit = Field(attribute="unit", column_name=UNIT, widget=TextWidget())
    year = Field(attribute="year", column_name=YEAR, widget=YearWidget())
    baseline = Field(attribute="baseline", column_name=BASELINE, widget=NumberWidget())
    value = Field(attribute="value", column_name=VALUE, widget=NumberWidget())
    note = Field(attribute="note", column_name=NOTE, widget=TextWidget())

    required_columns = REQUIRED_COLUMNS
    column_variants = {vietnamese: others for _f, vietnamese, others in COLUMNS}
    duplicate_column = INDICATOR

    class Meta(ImportResource.Meta):
        model = Target
        fields = import_order = export_order = tuple(name for name, _vi, _o in COLUMNS)

    def __init__(self, user, *, plan: Plan, **kwargs):
        super().__init__(user, **kwargs)
        self.target_plan = plan

    def match(self, row) -> dict | None:
        indicator = str(row.get(INDICATOR) or "").strip()
        if not indicator:
            return None
        year = YearWidget().clean(row.get(YEAR), row=row)
        return {"plan": self.target_plan.pk, "indicator": indicator, "year": year}

    def duplicate_key(self, row):
        return (fold(str(row.get(INDICATOR) or "")), str(row.get(YEAR) or ""))

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            instance.plan = self.target_plan

    def example_row(self) -> list:
        return ["Doanh nghiệp KH&CN phát triển thêm", "doanh nghiệp", self.target_plan.start_year, 0, 2, ""]

    def base_export_queryset(self):
        return Target.objects.filter(plan=self.target_plan).order_by("year", "pk")


def template_workbook(plan: Plan, user) -> bytes:
    resource = TargetResource(user, plan=plan)
    return write_workbook([vi for _f, vi, _o in COLUMNS], [resource.example_row()], title=str(plan)[:31])


def _message(outcome: ImportOutcome) -> str:
    return _("Imported %(new)d new targets and updated %(update)d targets already on record.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


register_importer(
    Importer(
        kind="plan-targets",
        label=lambda: str(Target._meta.verbose_name_plural),
        resource=lambda user, options: TargetResource(user, plan=plan_for(user, options.get("plan"))),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, Target),
        message=_message,
        list_url=lambda: reverse("programmes:plan_list"),
    )
)
