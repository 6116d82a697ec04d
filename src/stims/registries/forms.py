from django import forms

from stims.core.forms import ScopedModelForm

from .models import Target


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = ["year", "admin_unit", "indicator", "value", "legal_basis"]
        widgets = {"legal_basis": forms.TextInput()}
