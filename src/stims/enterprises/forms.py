from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.forms import DateInput, ScopedModelForm, SearchSelect, VndField
from stims.core.textlimits import TextLimitFormMixin
from stims.orgs.models import OrganizationKind

from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


class StEnterpriseForm(ScopedModelForm):
    class Meta:
        model = StEnterprise
        fields = ["organization", "certificate_number", "certificate_date", "issued_by", "st_result", "field"]
        widgets = {"st_result": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "organization": _(
                "An organization of kind “enterprise” already in the directory; its tax code and unit come from there."
            ),
            "st_result": _("The recognised S&T result the certificate rests on (NĐ 13/2019/NĐ-CP)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = field.queryset.filter(kind=OrganizationKind.ENTERPRISE)
        field.widget = SearchSelect("enterprises:enterprise_organization_options")
        field.widget.choices = field.choices
        field.widget.attrs["class"] = "form-select"

    def clean_certificate_date(self):
        return _not_in_future(
            self.cleaned_data.get("certificate_date"), _("The certificate date cannot be in the future.")
        )


class RevokeForm(TextLimitFormMixin, forms.Form):
    on_date = forms.DateField(
        label=capfirst(_("certificate revoked on")), widget=DateInput(attrs={"class": "form-control"})
    )
    reason = forms.CharField(
        label=capfirst(_("reason for revocation")),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class StRevenueShareForm(ScopedModelForm):
    total_revenue = VndField(label=capfirst(_("total revenue (VND)")))
    st_revenue = VndField(label=capfirst(_("revenue from S&T products (VND)")))

    class Meta:
        model = StRevenueShare
        fields = ["enterprise", "year", "total_revenue", "st_revenue"]

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year > timezone.localdate().year:
            raise ValidationError(_("Revenue cannot be recorded for a year still to come."))
        return year

    def clean(self):
        cleaned = super().clean()
        total, st = cleaned.get("total_revenue"), cleaned.get("st_revenue")
        if total is not None and st is not None and st > total:
            self.add_error("st_revenue", _("Revenue from S&T products cannot exceed total revenue."))
        return cleaned


class StIncentiveForm(ScopedModelForm):
    amount = VndField(label=capfirst(_("amount (VND)")), required=False)

    class Meta:
        model = StIncentive
        fields = ["enterprise", "year", "kind", "amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class StartupForm(ScopedModelForm):
    class Meta:
        model = Startup
        fields = ["name", "organization", "admin_unit", "field", "stage", "founded_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_founded_on(self):
        return _not_in_future(
            self.cleaned_data.get("founded_on"), _("The founding date cannot be in the future.")
        )


class StartupFounderForm(ScopedModelForm):
    class Meta:
        model = StartupFounder
        fields = ["startup", "person", "name", "role"]

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("person")
            and not (cleaned.get("name") or "").strip()
            and "person" not in self.errors
        ):
            self.add_error("name", _("Choose a person on record or type the founder's name."))
        return cleaned


class StartupSupportForm(ScopedModelForm):
    amount = VndField(label=capfirst(_("amount (VND)")), required=False)

    class Meta:
        model = StartupSupport
        fields = ["startup", "date", "kind", "provider", "counterpart", "amount", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean_date(self):
        return _not_in_future(
            self.cleaned_data.get("date"), _("Support yet to come cannot be recorded as received.")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == "investor" and not (cleaned.get("counterpart") or "").strip():
            self.add_error("counterpart", _("Name the investor met."))
        return cleaned
