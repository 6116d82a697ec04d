from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core.forms import DateInput, ScopedModelForm

from . import services
from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Sector,
    Violation,
    ViolationType,
)

ESTABLISHMENT_SEARCH = {"inspections.establishment": "inspections:establishment_options"}


def inspector_choices():
    """Users who may be on an inspection team: those holding the inspector or leader role today."""
    from stims.accounts.models import RoleAssignment, User

    holders = RoleAssignment.objects.active().filter(role__in=("inspector", "leader")).values("user")
    return User.objects.filter(is_active=True, pk__in=holders).order_by("last_name", "first_name", "username")


class EstablishmentForm(ScopedModelForm):
    class Meta:
        model = Establishment
        fields = ["name", "sector", "organization", "admin_unit", "address", "owner_name", "phone", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.sector_id if self.instance.pk else None
        self.fields["sector"].queryset = Sector.objects.filter(Q(is_active=True) | Q(pk=current))


class InspectionPlanForm(ScopedModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["year", "sector", "admin_unit", "title", "planned_count", "approved_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class InspectionDecisionForm(ScopedModelForm):
    class Meta:
        model = InspectionDecision
        fields = ["plan", "kind", "number", "signed_on", "signer", "subject"]
        widgets = {"subject": forms.Textarea(attrs={"rows": 3})}


class _FrozenWithInspectionMixin:
    """A closed or cancelled inspection's records do not change (`services.record_problems`)."""

    def clean(self):
        cleaned = super().clean()
        inspection = cleaned.get("inspection") if "inspection" in self.fields else self.instance
        if inspection is not None:
            for problem in services.record_problems(inspection):
                raise ValidationError(problem)
        return cleaned


class InspectionForm(_FrozenWithInspectionMixin, ScopedModelForm):
    search_widgets = ESTABLISHMENT_SEARCH

    class Meta:
        model = Inspection
        fields = [
            "decision",
            "establishment",
            "planned_on",
            "inspected_on",
            "lead_inspector",
            "team",
            "samples_taken",
            "instruments_checked",
            "findings",
            "conclusion",
        ]
        widgets = {
            "samples_taken": forms.Textarea(attrs={"rows": 2}),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 3}),
            "team": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = inspector_choices()
        self.fields["lead_inspector"].queryset = people
        self.fields["team"].queryset = people
        self.fields["team"].widget.attrs.pop("class", None)

    def clean_inspected_on(self):
        day = self.cleaned_data.get("inspected_on")
        if day and day > timezone.localdate():
            raise ValidationError(_("The inspection cannot have taken place after today."))
        return day


class _InspectionChildForm(_FrozenWithInspectionMixin, ScopedModelForm):
    pass


class ViolationForm(_InspectionChildForm):
    class Meta:
        model = Violation
        fields = ["inspection", "violation_type", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.violation_type_id if self.instance.pk else None
        self.fields["violation_type"].queryset = ViolationType.objects.filter(
            Q(is_active=True) | Q(pk=current)
        )


class SanctionForm(_InspectionChildForm):
    class Meta:
        model = Sanction
        fields = ["inspection", "decision_number", "issued_on", "fine_vnd", "remedies", "paid_on"]
        widgets = {"remedies": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(_InspectionChildForm):
    class Meta:
        model = FollowUp
        fields = ["inspection", "due_on", "done_on", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}


class MeasuringInstrumentForm(ScopedModelForm):
    search_widgets = ESTABLISHMENT_SEARCH

    class Meta:
        model = MeasuringInstrument
        fields = [
            "establishment",
            "kind",
            "serial_number",
            "last_verified_on",
            "verification_due",
            "certificate_number",
        ]


class RadiationSourceForm(ScopedModelForm):
    search_widgets = ESTABLISHMENT_SEARCH

    class Meta:
        model = RadiationSource
        fields = ["establishment", "kind", "model_name", "serial_number", "purpose"]


class RadiationLicenceForm(ScopedModelForm):
    search_widgets = ESTABLISHMENT_SEARCH

    class Meta:
        model = RadiationLicence
        fields = ["establishment", "number", "issued_on", "expires_on", "work_scope"]
        widgets = {"work_scope": forms.Textarea(attrs={"rows": 2})}


class MoveForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
