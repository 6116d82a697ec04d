from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.forms import ScopedModelForm

from .models import LocalBody, LocalBodyMember, Organization, Person, Position


class OrganizationForm(ScopedModelForm):
    website = forms.URLField(label=capfirst(_("website")), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "admin_unit",
            "tax_code",
            "address",
            "phone",
            "email",
            "website",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "academic_title",
            "degree",
            "expertise",
            "admin_unit",
            "email",
            "phone",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class PositionForm(ScopedModelForm):
    class Meta:
        model = Position
        fields = ["person", "organization", "title", "start_date", "end_date", "is_primary"]


class LocalBodyForm(ScopedModelForm):
    class Meta:
        model = LocalBody
        fields = [
            "kind",
            "name",
            "admin_unit",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "decision_signer",
            "valid_from",
            "valid_to",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class LocalBodyMemberForm(ScopedModelForm):
    class Meta:
        model = LocalBodyMember
        fields = ["body", "person", "role", "position_text", "start_date", "end_date"]
