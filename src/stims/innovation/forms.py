from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.forms import ScopedModelForm

from .models import Framework, Indicator, IndicatorGroup, IndicatorValue, Pillar, PublishedScore


class FrameworkForm(ScopedModelForm):
    class Meta:
        model = Framework
        fields = [
            "code",
            "name",
            "year",
            "unit_level",
            "legacy_units",
            "province",
            "missing_values",
            "deadline",
            "synthetic",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PillarForm(ScopedModelForm):
    class Meta:
        model = Pillar
        fields = ["framework", "sub_index", "number", "name", "weight", "placeholder"]


class IndicatorGroupForm(ScopedModelForm):
    class Meta:
        model = IndicatorGroup
        fields = ["pillar", "code", "name", "weight", "placeholder"]


class IndicatorForm(ScopedModelForm):
    class Meta:
        model = Indicator
        fields = [
            "group",
            "code",
            "name",
            "unit",
            "direction",
            "source",
            "weight",
            "transformation",
            "lower_bound",
            "upper_bound",
            "placeholder",
        ]


class IndicatorValueForm(ScopedModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "admin_unit", "value", "source", "evidence", "note"]

    def clean(self):
        data = super().clean()
        indicator, value = data.get("indicator"), data.get("value")
        if indicator is not None and value is not None:
            if indicator.lower_bound is not None and value < indicator.lower_bound:
                self.add_error(
                    "value",
                    _("The value is below the indicator's lower bound (%(b)s).")
                    % {"b": indicator.lower_bound},
                )
            if indicator.upper_bound is not None and value > indicator.upper_bound:
                self.add_error(
                    "value",
                    _("The value is above the indicator's upper bound (%(b)s).")
                    % {"b": indicator.upper_bound},
                )
        return data


class PublishedScoreForm(ScopedModelForm):
    class Meta:
        model = PublishedScore
        fields = ["framework", "admin_unit", "overall", "rank", "source"]


class WhatIfForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(), label=pgettext_lazy("innovation index", "Indicator")
    )
    value = forms.FloatField(label=_("New value"))

    def __init__(self, *args, framework=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            group__pillar__framework=framework
        ).order_by("group__pillar__number", "group__code", "code")
