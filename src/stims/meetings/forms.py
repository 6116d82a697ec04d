import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core.files import validate_document_file
from stims.core.forms import DateInput, ScopedModelForm
from stims.core.textlimits import TextLimitFormMixin

from . import services
from .models import (
    AgendaItem,
    Directive,
    LocalityRequest,
    Participant,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)

MEETING_SEARCH_WIDGETS = {
    "meetings.workingsession": "meetings:workingsession_options",
    "products.product": "products:product_options",
    "ip.ipasset": "ip:ipasset_options",
}


class SearchCheckboxes(forms.CheckboxSelectMultiple):
    """Several records of a large table (supporting units): the chosen ones as ticked boxes, and a
    search box that fetches matching records as boxes to tick (htmx, `meetings:organization_checkboxes`).
    Only chosen rows are rendered, so the widget never walks the whole table."""

    template_name = "meetings/widgets/search_checkboxes.html"

    def __init__(self, search_url_name: str, attrs=None):
        super().__init__(attrs)
        self.search_url_name = search_url_name

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        chosen = [str(v) for v in (value or []) if v not in (None, "")]
        queryset = getattr(self.choices, "queryset", None)
        context["widget"]["chosen"] = (
            list(queryset.filter(pk__in=chosen)) if chosen and queryset is not None else []
        )
        context["widget"]["search_url"] = f"{reverse(self.search_url_name)}?name={name}"
        return context

    def optgroups(self, name, value, attrs=None):
        return []


class MeetingsForm(ScopedModelForm):
    search_widgets = MEETING_SEARCH_WIDGETS


class WorkingSessionForm(MeetingsForm):
    class Meta:
        model = WorkingSession
        fields = [
            "title",
            "held_on",
            "start_time",
            "end_time",
            "place",
            "status",
            "host_organization",
            "admin_unit",
            "chair",
            "chair_position",
            "agenda_summary",
            "report_summary",
            "conclusion",
            "source_url",
            "source_text",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"placeholder": "08:00"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"placeholder": "11:30"}, format="%H:%M"),
            "agenda_summary": forms.Textarea(attrs={"rows": 2}),
            "report_summary": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 4}),
            "source_text": forms.Textarea(attrs={"rows": 4}),
        }


class ParticipantForm(MeetingsForm):
    class Meta:
        model = Participant
        fields = ["session", "role", "person", "name", "organization", "position"]


class AgendaItemForm(MeetingsForm):
    class Meta:
        model = AgendaItem
        fields = ["session", "order", "title", "presenter", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class SessionDocumentForm(MeetingsForm):
    class Meta:
        model = SessionDocument
        fields = ["session", "kind", "number", "issued_on", "title", "file"]


class SessionFigureForm(MeetingsForm):
    class Meta:
        model = SessionFigure
        fields = ["session", "label", "value", "unit", "year", "sentence"]
        widgets = {"sentence": forms.Textarea(attrs={"rows": 2})}


class LocalityRequestForm(MeetingsForm):
    class Meta:
        model = LocalityRequest
        fields = [
            "session",
            "from_unit",
            "from_organization",
            "text",
            "addressed_to",
            "status",
            "response",
            "responded_on",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "response": forms.Textarea(attrs={"rows": 3})}


class DirectiveForm(MeetingsForm):
    """What was assigned, to whom, by when and about what. The state moves only through
    `services.move`; the original deadline is kept by the model. Once recorded, who assigned it and
    the deadline are shown but not edited (`services.record_problems`): a value posted for them anyway
    is refused; the deadline changes by the "extend" move."""

    class Meta:
        model = Directive
        fields = [
            "session",
            "request",
            "text",
            "lead_organization",
            "supporting_organizations",
            "assigned_by",
            "assigned_by_person",
            "assigned_on",
            "recurrence",
            "deadline",
            "deadline_is_illustrative",
            "task",
            "product",
            "ip_asset",
            "enterprise",
            "admin_unit",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        supporting = self.fields["supporting_organizations"]
        supporting.widget = SearchCheckboxes("meetings:organization_checkboxes")
        supporting.widget.choices = supporting.choices
        supporting.help_text = _("Type part of a name, then tick the units that support the lead unit.")
        self.fields["assigned_by"].queryset = services.department_staff()
        if self.instance.pk is None:
            # One conclusion sentence for several units: each further unit gets its own part
            # (`services.assign_to_units`), chosen among the same units as the lead unit.
            self.fields["lead_organizations"] = forms.ModelMultipleChoiceField(
                label=_("Also assigned to"),
                queryset=self.fields["lead_organization"].queryset,
                required=False,
                widget=SearchCheckboxes("meetings:organization_checkboxes"),
                help_text=_(
                    "When the conclusion names several units (“UBND các huyện, thành phố”), tick the "
                    "others: each unit gets its own part, reported on, accepted and late on its own."
                ),
            )
            self.fields["lead_organizations"].widget.choices = self.fields["lead_organizations"].choices
            self.order_fields([*self.fields][:4] + ["lead_organizations"])
            if self.user is not None and not self.initial.get("assigned_by"):
                self.initial["assigned_by"] = self.user.pk
            if not self.initial.get("assigned_on"):
                self.initial["assigned_on"] = timezone.localdate()
        # Only the requests raised in the directive's own session are offered.
        session_id = self.data.get("session") or self.initial.get("session") or self.instance.session_id
        requests = self.fields["request"].queryset
        self.fields["request"].queryset = (
            requests.filter(session_id=session_id) if str(session_id or "").isdigit() else requests.none()
        )
        if self.instance.pk is not None:
            self.saved = copy.copy(self.instance)  # as saved: the form writes its values on the instance
            self.frozen = services.frozen_fields(self.saved)
            for name in self.frozen:
                self.fields[name].disabled = True
            if "assigned_by" in self.frozen:
                # Shown as recorded, even if that user is no longer on the staff.
                assigner = self.fields["assigned_by"]
                assigner.queryset = assigner.queryset.model.objects.filter(pk=self.instance.assigned_by_id)
                assigner.help_text = _("Recorded with the directive; it does not change.")
            self.fields["deadline"].help_text = _("Changed by the “extend” action, with its reason.")
            if self.instance.original_deadline and self.instance.deadline != self.instance.original_deadline:
                self.fields["deadline"].help_text = _(
                    "Extended from %(date)s. Later extensions go through the “extend” action."
                ) % {"date": f"{self.instance.original_deadline:%d/%m/%Y}"}
        else:
            self.saved, self.frozen = None, []

    def clean(self):
        data = super().clean()
        request, session = data.get("request"), data.get("session")
        if request is not None and (session is None or request.session_id != session.pk):
            self.add_error("request", _("The request must have been raised in the same session."))
        # A disabled field keeps its saved value whatever is posted; a different value posted for it
        # anyway is refused rather than silently dropped.
        for name in self.frozen:
            if self._posted_differs(name):
                self.add_error(name, services.FROZEN_FIELDS[name])
        return data

    def other_leads(self) -> list:
        lead = self.cleaned_data.get("lead_organization")
        return [o for o in self.cleaned_data.get("lead_organizations") or () if o != lead]

    def _posted_differs(self, name) -> bool:
        raw = self.data.get(name)
        if raw in (None, ""):
            return False  # not posted (a disabled input is not sent)
        field, saved = self.fields[name], getattr(self.saved, name)
        try:
            posted = field.clean(raw)
        except ValidationError:
            return True
        return posted != saved

    def _post_clean(self):
        super()._post_clean()
        if self.saved is None and self.instance.assigned_by_id is None:
            self.instance.assigned_by = self._assigner_by_default()
        for name, message in services.record_problems(self.instance, self.saved).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)

    def _assigner_by_default(self):
        if self.user is not None and services.department_staff().filter(pk=self.user.pk).exists():
            return self.user
        return None


class DirectiveActionForm(TextLimitFormMixin, forms.Form):
    """The inputs of one directive move; which are asked for depends on the action."""

    FIELDS = {
        "start": ("on",),
        "report": ("on", "text", "evidence"),
        "accept": ("on", "note"),
        "return": ("on", "note"),
        "extend": ("on", "new_deadline", "note"),
        "cancel": ("on", "note"),
    }
    LABELS = {
        "start": _("Start work"),
        "report": _("Report what was done"),
        "accept": _("Accept the report"),
        "return": _("Return for more work"),
        "extend": _("Extend the deadline"),
        "cancel": _("Cancel the directive"),
    }

    on = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False, validators=[validate_document_file])
    new_deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Reason or note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action_name = action
        self.label = self.LABELS[action]
        self.fields["on"].initial = timezone.localdate()
        for name in list(self.fields):
            if name not in self.FIELDS[action]:
                del self.fields[name]
        if action in ("return", "extend", "cancel"):
            self.fields["note"].label = _("Reason")
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


def action_forms(actions, *, bound=None) -> list[DirectiveActionForm]:
    """One form per available action; `bound` (a bound form) replaces its action's blank form."""
    return [
        bound if bound is not None and bound.action_name == action else DirectiveActionForm(action=action)
        for action in actions
    ]
