import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.orgs.models import Organization
from stims.sttasks.models import Level, Programme

from .models import Allocation


class AllocationFilterSet(SearchFilterSet):
    year = django_filters.NumberFilter(label=_("Year"), min_value=1990, max_value=2100)
    # Any unit, with the units under it and across the 2025 reform; a search box, not 13,000 options.
    recipient_unit = UnitFilter(
        queryset=AdminUnit.objects.all(),
        label=_("Receiving locality"),
        widget=SearchSelect("geo:unit_options"),
    )
    recipient_organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        label=_("Receiving agency"),
        widget=SearchSelect("orgs:organization_options"),
    )

    class Meta:
        model = Allocation
        fields = ["q", "year", "recipient_unit", "recipient_organization"]

    def filter_search(self, queryset, name, value):
        # Allocations have no folded search column: every word must appear in the purpose, the
        # decision number or the recipient's name.
        for word in value.split():
            queryset = queryset.filter(
                Q(purpose__icontains=word)
                | Q(decision_number__icontains=word)
                | Q(recipient_unit__name__icontains=word)
                | Q(recipient_organization__name__icontains=word)
            )
        return queryset


class BudgetByYearForm(forms.Form):
    """The filters of the budget-by-year page: a range of years and which tasks count."""

    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1990, max_value=2100)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", "---------"), *Level.choices])
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.all(),
        widget=forms.Select(attrs={"style": "max-width: 24rem"}),
    )

    MAX_YEARS = 50

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first and last:
            if last < first:
                raise ValidationError({"year_to": _("The last year cannot be before the first.")})
            if last - first >= self.MAX_YEARS:
                raise ValidationError(
                    {"year_to": _("Choose at most %(count)s years.") % {"count": self.MAX_YEARS}}
                )
        return data

    def years(self):
        """The years to report (None: every year with a figure), from a valid form."""
        first, last = self.cleaned_data.get("year_from"), self.cleaned_data.get("year_to")
        if first and last:
            return range(first, last + 1)
        return None

    def filter_tasks(self, tasks):
        if self.cleaned_data.get("level"):
            tasks = tasks.filter(level=self.cleaned_data["level"])
        if self.cleaned_data.get("programme"):
            tasks = tasks.filter(programme=self.cleaned_data["programme"])
        return tasks

    def keep(self, rows):
        """With one bound only, the rows on its side of it."""
        first, last = self.cleaned_data.get("year_from"), self.cleaned_data.get("year_to")
        return [r for r in rows if (not first or r.year >= first) and (not last or r.year <= last)]
