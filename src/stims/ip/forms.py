from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stims.core.forms import DateInput, ScopedModelForm
from stims.core.textlimits import TextLimitFormMixin
from stims.products.models import Product

from . import services
from .models import IpAsset, IpAuthorizedUser, IpStatus


class ProductMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.admin_unit.name}"


class IpAssetForm(ScopedModelForm):
    """The asset's own facts. Its status moves only through the status form (services.record_status);
    a new asset starts in the first status of the workflow."""

    products = ProductMultipleChoiceField(
        label=_("Products protected"),
        queryset=Product.objects.select_related("admin_unit").order_by("search_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Hold Ctrl (⌘ on a Mac) to choose several products; only products you may see are listed."
        ),
    )

    class Meta:
        model = IpAsset
        fields = [
            "ip_type",
            "name",
            "owner",
            "owner_name",
            "applicant",
            "representative",
            "admin_unit",
            "application_number",
            "application_date",
            "title_number",
            "grant_date",
            "expiry_date",
            "nice_classes",
            "product_scope",
            "geographic_area",
            "management_rules",
            "supporting_project",
            "products",
        ]
        widgets = {
            "product_scope": forms.Textarea(attrs={"rows": 3}),
            "geographic_area": forms.Textarea(attrs={"rows": 3}),
            "management_rules": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # The protection title is recorded with the "granted" step, expiry by renewals.
            for name in ("title_number", "grant_date", "expiry_date"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not data.get("owner_name"):
            self.add_error("owner_name", _("Choose the owner or type the owner's name."))
        if self.instance.pk is not None and self.instance.status.is_protected:
            for name in ("title_number", "grant_date"):
                if name in self.fields and not data.get(name):
                    self.add_error(
                        name, _("A protected asset keeps its protection title number and grant date.")
                    )
        return data

    def save(self, commit=True):
        is_new = self.instance.pk is None
        if is_new:
            self.instance.status = services.initial_status()
            self.instance.status_date = self.instance.application_date
        asset = super().save(commit=commit)
        if is_new and commit:
            services.open_history(asset, self.user)
        return asset


class StatusChangeForm(TextLimitFormMixin, forms.Form):
    """A step of the workflow; the protection title fields matter only for a protected status."""

    status = forms.ModelChoiceField(label=_("New status"), queryset=IpStatus.objects.all())
    date = forms.DateField(label=_("Date"), widget=DateInput())
    document = forms.CharField(label=_("Document"), max_length=150, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    title_number = forms.CharField(label=_("Protection title number"), max_length=50, required=False)
    grant_date = forms.DateField(label=_("Grant date"), required=False, widget=DateInput())
    expiry_date = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to count the term of protection of the type."),
    )

    def __init__(self, *args, asset, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asset, self.user = asset, user
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            # Validation and saving are one step: the service checks inside its transaction.
            self.event = services.record_status(
                self.asset,
                data["status"],
                data["date"],
                data.get("document", ""),
                data.get("note", ""),
                self.user,
                title_number=data.get("title_number"),
                grant_date=data.get("grant_date"),
                expiry_date=data.get("expiry_date"),
            )
        except ValidationError as exc:
            add_service_error(self, exc)
        return data


def add_service_error(form, exc: ValidationError) -> None:
    """A refusal of the services, shown beside the field it concerns (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RenewalForm(forms.Form):
    renewed_on = forms.DateField(label=_("Renewed on"), widget=DateInput())
    new_expiry_date = forms.DateField(label=_("New expiry date"), widget=DateInput())
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)

    def __init__(self, *args, asset, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.asset, self.user = asset, user
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.renewal = services.renew(
                self.asset,
                data["renewed_on"],
                data["new_expiry_date"],
                data.get("decision_number", ""),
                self.user,
            )
        except ValidationError as exc:
            add_service_error(self, exc)
        return data


class IpAuthorizedUserForm(ScopedModelForm):
    search_widgets = {"ip.ipasset": "ip:ipasset_options"}

    class Meta:
        model = IpAuthorizedUser
        fields = ["asset", "organization", "name", "authorized_on", "valid_to", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    # Only assets the user may change can receive authorised users: see grants.py (core.choices).

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not data.get("name"):
            self.add_error("name", _("Choose the organization or type the name of the household or person."))
        if data.get("authorized_on") and data.get("valid_to") and data["valid_to"] < data["authorized_on"]:
            self.add_error("valid_to", _("The authorisation cannot end before it starts."))
        return data
