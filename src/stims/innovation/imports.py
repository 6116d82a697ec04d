"""Indicator values from an Excel workbook, on the import framework (`stims.core.imports`): one row per
unit and indicator of one framework (chosen on the upload page). A row whose unit and indicator already
have a value updates it; every row is checked (the indicator's code in this framework, the unit among
the framework's units and within the user's scope, a number within the indicator's bounds) before
anything is saved, and then all rows are saved or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from stims.core import permissions
from stims.core.imports import (
    OUTSIDE_SCOPE,
    Importer,
    ImportOutcome,
    ImportResource,
    NumberWidget,
    TextWidget,
    fold,
    register_importer,
)

from . import services
from .models import Framework, Indicator, IndicatorValue

CODE, UNIT, VALUE, SOURCE, NOTE = "Mã chỉ số", "Đơn vị hành chính", "Giá trị", "Nguồn số liệu", "Ghi chú"
COLUMNS = (
    ("indicator", CODE, "Indicator code"),
    ("admin_unit", UNIT, "Administrative unit"),
    ("value", VALUE, "Value"),
    ("source", SOURCE, "Source"),
    ("note", NOTE, "Note"),
)
REQUIRED_COLUMNS = (CODE, UNIT, VALUE)


class IndicatorCodeWidget(widgets.Widget):
    def __init__(self, framework: Framework, **kwargs):
        super().__init__(**kwargs)
        self.by_code = {
            i.code: i
            for i in Indicator.objects.filter(group__pillar__framework=framework).select_related("group")
        }

    def clean(self, value, row=None, **kwargs):
        code = TextWidget().clean(value)
        if not code:
            raise ValueError(_("give the indicator's code"))
        if code not in self.by_code:
            raise ValueError(_("no indicator “%(code)s” in this framework") % {"code": code})
        return self.by_code[code]


class FrameworkUnitWidget(widgets.Widget):
    """A unit of the framework by its official code or its name (any accents and case)."""

    def __init__(self, framework: Framework, **kwargs):
        super().__init__(**kwargs)
        self.by_key: dict[str, list] = {}
        for unit in services.units_of(framework):
            for key in {unit.code, fold(unit.name), fold(unit.short_name)}:
                self.by_key.setdefault(key, []).append(unit)

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            raise ValueError(_("give the administrative unit"))
        found = self.by_key.get(text) or self.by_key.get(fold(text)) or []
        if not found:
            raise ValueError(_("“%(unit)s” is not a unit ranked by this framework") % {"unit": text})
        if len(found) > 1:
            raise ValueError(_("“%(unit)s” names several units: give its official code") % {"unit": text})
        return found[0]


class IndicatorValueResource(ImportResource):
    indicator = Field(attribute="indicator", column_name=CODE, widget=widgets.Widget())
    admin_unit = Field(attribute="admin_unit", column_name=UNIT, widget=widgets.Widget())
    value = Field(attribute="value", column_name=VALUE, widget=NumberWidget())
    source = Field(attribute="source", column_name=SOURCE, widget=TextWidget())
    note = Field(attribute="note", column_name=NOTE, widget=TextWidget())

    required_columns = REQUIRED_COLUMNS
    column_variants = {vi: (en,) for _n, vi, en in COLUMNS}

    class Meta(ImportResource.Meta):
        model = IndicatorValue
        fields = import_order = export_order = tuple(name for name, _vi, _en in COLUMNS)

    def __init__(self, user, framework: Framework, **kwargs):
        super().__init__(user, **kwargs)
        self.framework = framework
        self.fields["indicator"].widget = IndicatorCodeWidget(framework)
        self.fields["admin_unit"].widget = FrameworkUnitWidget(framework)
        self.unit_ids = {u.pk for units in self.fields["admin_unit"].widget.by_key.values() for u in units}
        self._allowed_units: set | None = None

    def match(self, row):
        indicator = self.fields["indicator"].widget.clean(row.get(CODE))
        unit = self.fields["admin_unit"].widget.clean(row.get(UNIT))
        return {"indicator": indicator, "admin_unit": unit}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.value is not None:
            instance.value = float(instance.value)
            ind = getattr(instance, "indicator", None) if instance.indicator_id else None
            if ind is not None:
                if ind.lower_bound is not None and instance.value < ind.lower_bound:
                    raise ValidationError(
                        {"value": _("below the indicator's lower bound (%(b)s)") % {"b": ind.lower_bound}}
                    )
                if ind.upper_bound is not None and instance.value > ind.upper_bound:
                    raise ValidationError(
                        {"value": _("above the indicator's upper bound (%(b)s)") % {"b": ind.upper_bound}}
                    )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.admin_unit_id and "admin_unit" not in errors:
            if self._allowed_units is None:
                allowed = permissions.assignable_units(self.user, IndicatorValue, permissions.ADD)
                self._allowed_units = set(allowed.filter(pk__in=self.unit_ids).values_list("pk", flat=True))
            if instance.admin_unit_id not in self._allowed_units:
                errors["admin_unit"] = [ValidationError(OUTSIDE_SCOPE)]
        # The unique (indicator, unit) pair is this import's match: an existing one is updated.
        super().validate_instance(instance, errors, validate_unique=False)


def _message(outcome: ImportOutcome) -> str:
    return _("Imported %(new)d new values and updated %(update)d values already on record.") % {
        "new": outcome.counts["new"],
        "update": outcome.counts["update"],
    }


register_importer(
    Importer(
        kind="innovation",
        label=lambda: str(IndicatorValue._meta.verbose_name_plural),
        resource=lambda user, options: IndicatorValueResource(
            user, Framework.objects.get(pk=options["framework"])
        ),
        allowed=lambda user: permissions.has_perm(user, permissions.ADD, IndicatorValue),
        message=_message,
    )
)
