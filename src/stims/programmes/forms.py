from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core.forms import DateInput, ScopedModelForm, SearchSelect

from .models import (
    Activity,
    Agreement,
    AgreementReview,
    BodyMeeting,
    Commitment,
    DocumentLink,
    DocumentReview,
    LegalDocument,
    LocalOfficer,
    Plan,
    PlanLink,
    ProgressEntry,
    Target,
)

# Units, organizations, people and tasks get their search boxes from the apps that own them
# (`core.forms.register_search_widget` in their search.py). Directives have none registered: the forms
# that link to one name its search box here, as products' forms do for establishments.
DIRECTIVE_SEARCH_WIDGETS = {"meetings.directive": "meetings:directive_options"}


class PlanForm(ScopedModelForm):
    class Meta:
        model = Plan
        fields = [
            "kind",
            "name",
            "decision_number",
            "decision_date",
            "issuer",
            "start_year",
            "end_year",
            "owner",
            "admin_unit",
            "parent",
            "task_programme",
            "summary",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = ["plan", "indicator", "unit", "measure", "year", "baseline", "value", "admin_unit", "note"]


class ProgressEntryForm(ScopedModelForm):
    class Meta:
        model = ProgressEntry
        fields = ["target", "reported_on", "value", "evidence", "note"]


class PlanLinkForm(ScopedModelForm):
    search_widgets = DIRECTIVE_SEARCH_WIDGETS

    class Meta:
        model = PlanLink
        fields = ["plan", "task", "directive", "note"]


class LegalDocumentForm(ScopedModelForm):
    class Meta:
        model = LegalDocument
        fields = [
            "doc_type",
            "number",
            "title",
            "issued_on",
            "issuer",
            "role",
            "effective_on",
            "plan",
            "organization",
            "admin_unit",
            "file",
        ]


class DocumentLinkForm(ScopedModelForm):
    search_widgets = DIRECTIVE_SEARCH_WIDGETS

    class Meta:
        model = DocumentLink
        fields = ["document", "task", "directive", "note"]


class DocumentReviewForm(ScopedModelForm):
    class Meta:
        model = DocumentReview
        fields = ["document", "reviewed_on", "findings", "proposal"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 4})}


class AgreementForm(ScopedModelForm):
    class Meta:
        model = Agreement
        fields = [
            "name",
            "number",
            "signed_on",
            "start_date",
            "end_date",
            "owner",
            "partners",
            "admin_unit",
            "scope",
            "plan",
        ]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}


class CommitmentForm(ScopedModelForm):
    search_widgets = DIRECTIVE_SEARCH_WIDGETS

    class Meta:
        model = Commitment
        fields = ["agreement", "text", "party", "deadline", "done_on", "directive"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class AgreementReviewForm(ScopedModelForm):
    class Meta:
        model = AgreementReview
        fields = ["agreement", "reviewed_on", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 4})}


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "held_on",
            "audience",
            "attendees",
            "organizer",
            "admin_unit",
            "plan",
            "materials",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class BodyMeetingForm(ScopedModelForm):
    class Meta:
        model = BodyMeeting
        fields = ["body", "held_on", "agenda", "conclusions", "attendees"]
        widgets = {
            "agenda": forms.Textarea(attrs={"rows": 2}),
            "conclusions": forms.Textarea(attrs={"rows": 3}),
        }


class LocalOfficerForm(ScopedModelForm):
    class Meta:
        model = LocalOfficer
        fields = ["admin_unit", "person", "position", "status", "since"]


class DocumentMoveForm(forms.Form):
    """The values a move may need; `services.document_problems` says which are missing."""

    number = forms.CharField(required=False, max_length=60, label=capfirst(_("number and symbol")))
    date = forms.DateField(required=False, widget=DateInput(), label=capfirst(_("date")))
    replaced_by = forms.ModelChoiceField(
        queryset=LegalDocument.objects.none(),
        required=False,
        label=capfirst(_("replaced by")),
        widget=SearchSelect("programmes:legaldocument_options"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = permissions.restrict(LegalDocument.objects.all(), user)
        self.fields["replaced_by"].widget.choices = self.fields["replaced_by"].choices
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
