from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core.forms import DateInput, ScopedModelForm
from stims.core.textlimits import TextLimitFormMixin

from . import proposals
from . import rules as task_rules
from .models import Call, Document, ProgressReport, Task, TaskMember

# What the department decides, not the proposing locality: left off a locality's proposal form.
DEPARTMENT_FIELDS = ("code", "officer", "is_carried_over", "carried_over_year", "is_published")


class TaskForm(ScopedModelForm):
    """A task's own facts. Its state moves only through workflow steps (see `workflow.perform`).

    A locality's officer proposes: the form leaves off what the department decides (`DEPARTMENT_FIELDS`:
    the task code, the officer in charge, carried over, publication) and, from plan year 2026, accepts
    only an ordering locality in force since the 2025 reform (see proposals.py). For the department's
    staff the code may stay empty while the task is a proposal and is required once it is taken on.
    """

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "task_type",
            "level",
            "programme",
            "field",
            "call",
            "proposal_year",
            "ordering_unit",
            "ordering_organization",
            "lead_organization",
            "principal_investigator",
            "officer",
            "objectives",
            "expected_products",
            "start_date",
            "end_date",
            "progress_report_months",
            "is_carried_over",
            "carried_over_year",
            "is_published",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "expected_products": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The officer in charge is one of the department's staff: see grants.py (core.choices).
        if self.user is not None and not task_rules.has(task_rules.ASSIGN_OFFICER, self.user):
            # The rule `sttasks.assign_officer`: the saved officer is shown and kept, whatever is posted.
            self.fields["officer"].disabled = True
            self.fields["officer"].help_text = task_rules.REFUSALS[task_rules.ASSIGN_OFFICER]
        self.is_department = self.user is None or bool(is_department_staff(self.user))
        if not self.is_department:
            for name in DEPARTMENT_FIELDS:
                self.fields.pop(name, None)
        elif self.instance.pk is not None and not self.instance.state.is_initial:
            self.fields["code"].required = True
            self.fields["code"].help_text = _(
                "The department's code, required once it has taken the task on."
            )
        if self.instance.pk is None and not self.initial.get("proposal_year"):
            self.initial["proposal_year"] = timezone.localdate().year + 1
        if self.instance.pk is not None and not self.instance.state.phase == "preparation":
            # After approval the end date moves only by an extension step, which records its decision.
            self.fields["end_date"].disabled = True
            self.fields["end_date"].help_text = _("Changed by the “extend” step once the task is approved.")

    def clean(self):
        data = super().clean()
        picked = self.instance.pk is None or {"ordering_unit", "proposal_year"} & set(self.changed_data)
        if not self.is_department and picked:
            problem = proposals.orderer_problem(data.get("ordering_unit"), data.get("proposal_year"))
            if problem:
                self.add_error("ordering_unit", problem)
        if "call" in self.changed_data and data.get("call") and proposals.call_checked(self.instance):
            # A proposal names only a call open on the day it is (or will be) sent to the department.
            problem = proposals.call_problem(data["call"], proposals.sending_day(self.instance))
            if problem:
                self.add_error("call", problem)
        return data


class CallForm(ScopedModelForm):
    class Meta:
        model = Call
        fields = [
            "title",
            "number",
            "issued_on",
            "open_from",
            "open_until",
            "level",
            "task_type",
            "programme",
            "topics",
            "description",
            "contact",
            "attachment",
            "publish_on_portal",
        ]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }


class TaskMemberForm(ScopedModelForm):
    class Meta:
        model = TaskMember
        fields = ["task", "person", "role", "organization"]


class DocumentForm(ScopedModelForm):
    class Meta:
        model = Document
        fields = ["task", "kind", "number", "issued_on", "issuer", "signer", "title", "file"]


class ProgressReportForm(ScopedModelForm):
    class Meta:
        model = ProgressReport
        fields = [
            "task",
            "period",
            "due_on",
            "submitted_on",
            "percent_complete",
            "summary",
            "assessment",
            "document",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task_id = self.initial.get("task") or self.instance.task_id or self.data.get("task")
        documents = self.fields["document"].queryset
        self.fields["document"].queryset = documents.filter(task_id=task_id) if task_id else documents.none()

    def clean(self):
        data = super().clean()
        document = data.get("document")
        if document and data.get("task") and document.task_id != data["task"].pk:
            self.add_error("document", _("The document must belong to the same task."))
        return data


class StepForm(TextLimitFormMixin, forms.Form):
    """The inputs of one workflow step: its date, the document it rests on, the reason, the new end date."""

    happened_on = forms.DateField(label=_("Date"), widget=DateInput())
    document = forms.ModelChoiceField(label=_("Document"), queryset=Document.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_end_date = forms.DateField(label=_("New end date"), required=False, widget=DateInput())

    def __init__(self, *args, task, transition, **kwargs):
        super().__init__(*args, **kwargs)
        self.task, self.transition = task, transition
        self.fields["happened_on"].initial = timezone.localdate()
        documents = Document.objects.filter(task=task).select_related("kind").order_by("-issued_on", "-pk")
        if transition.requires_document_kind_id:
            documents = documents.filter(kind_id=transition.requires_document_kind_id)
            self.fields["document"].required = True
            self.fields["document"].help_text = _("A document of kind “%(kind)s” attached to this task.") % {
                "kind": transition.requires_document_kind.name
            }
        self.fields["document"].queryset = documents
        if transition.requires_reason:
            self.fields["reason"].required = True
        if transition.kind != "extension":
            del self.fields["new_end_date"]
        else:
            self.fields["new_end_date"].required = True
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
