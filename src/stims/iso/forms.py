from django import forms

from stims.core.forms import ScopedModelForm

from .models import AGENCY_KINDS, IsoActivity, IsoCheck, IsoRecord


class IsoRecordForm(ScopedModelForm):
    class Meta:
        model = IsoRecord
        fields = ["agency", "year", "status", "scope", "announcement_number", "announcement_date", "notes"]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = field.queryset.filter(kind__in=AGENCY_KINDS)


class IsoActivityForm(ScopedModelForm):
    class Meta:
        model = IsoActivity
        fields = ["record", "kind", "date", "nonconformities", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class IsoCheckForm(ScopedModelForm):
    class Meta:
        model = IsoCheck
        fields = ["record", "date", "team", "result", "findings", "remedies", "remedy_deadline"]
        widgets = {
            "findings": forms.Textarea(attrs={"rows": 3}),
            "remedies": forms.Textarea(attrs={"rows": 2}),
        }
