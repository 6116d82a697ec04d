"""The paste form and the review forms (one per proposed item, each with an include box)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions
from stims.core.forms import SEARCH_WIDGETS, DateInput, SearchSelect
from stims.core.textlimits import TextLimitFormMixin
from stims.geo.models import AdminUnit
from stims.meetings.models import ParticipantRole, Recurrence, WorkingSession
from stims.orgs.models import Organization, Person

from .draft import DirectiveDraft, FigureDraft, ParticipantDraft, RequestDraft, SessionDraft


class ChosenOnlySelectMultiple(forms.SelectMultiple):
    """The proposed supporting units, pre-selected; unselect one to drop it. Renders only the chosen
    rows (the organization table is large)."""

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        queryset = getattr(self.choices, "queryset", None)
        options = []
        if chosen and queryset is not None:
            for index, obj in enumerate(queryset.filter(pk__in=chosen)):
                options.append(self.create_option(name, obj.pk, str(obj), True, index))
        return [(None, options, 0)]


class StyledForm(TextLimitFormMixin, forms.Form):
    """Bootstrap classes; directory fields as search boxes over what the user may see."""

    for_model = WorkingSession

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and user is not None:
                label = permissions.label_of(field.queryset.model)
                if label == "geo.adminunit":
                    field.queryset = permissions.assignable_units(user, WorkingSession, permissions.ADD)
                else:
                    field.queryset = permissions.restrict(field.queryset, user, permissions.VIEW)
                if label in SEARCH_WIDGETS and not isinstance(field, forms.ModelMultipleChoiceField):
                    field.widget = SearchSelect(SEARCH_WIDGETS[label])
                    field.widget.choices = field.choices
                    field.widget.for_model = permissions.label_of(self.for_model)
                elif isinstance(field, forms.ModelMultipleChoiceField):
                    field.widget = ChosenOnlySelectMultiple()
                    field.widget.choices = field.choices
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class PasteForm(StyledForm):
    text = forms.CharField(
        label=_("Text of the minutes or news report"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=200_000,
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=500, assume_scheme="https"
    )
    host_organization = forms.ModelChoiceField(
        label=_("Host organization"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("Leave empty to take it from the text."),
    )
    held_on = forms.DateField(
        label=_("Date of the session"), required=False, help_text=_("Leave empty to take it from the text.")
    )


class SessionForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("session", "Title"), max_length=500)
    held_on = forms.DateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    host_organization = forms.ModelChoiceField(
        label=_("Host organization"), queryset=Organization.objects.all()
    )
    admin_unit = forms.ModelChoiceField(
        label=_("Locality met"), queryset=AdminUnit.objects.all(), required=False
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=500, assume_scheme="https"
    )
    source_text = forms.CharField(widget=forms.HiddenInput, max_length=200_000)


class ParticipantForm(StyledForm):
    include = forms.BooleanField(label=_("Include"), required=False, initial=True)
    name = forms.CharField(label=_("Name as written"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.GUEST)
    person = forms.ModelChoiceField(
        label=_("Person in the directory"), queryset=Person.objects.all(), required=False
    )
    create_person = forms.BooleanField(label=_("Create a new person"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.all(), required=False
    )
    side = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    sentence = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if data.get("include") and not data.get("person") and not data.get("create_person"):
            raise forms.ValidationError(
                _("Choose the person in the directory, or tick “create a new person”.")
            )
        return data


class FigureForm(StyledForm):
    include = forms.BooleanField(label=_("Include"), required=False, initial=True)
    label = forms.CharField(label=_("What"), max_length=300)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=2)
    unit = forms.CharField(label=_("Unit of measure"), max_length=50, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    sentence = forms.CharField(widget=forms.HiddenInput, required=False)


class RequestForm(StyledForm):
    include = forms.BooleanField(label=_("Include"), required=False, initial=True)
    text = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 2}))
    addressed_to = forms.ModelChoiceField(
        label=_("Addressed to"), queryset=Organization.objects.all(), required=False
    )
    addressed_to_name = forms.CharField(label=_("Addressed to, as written"), max_length=255, required=False)
    sentence = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)


class DirectiveForm(StyledForm):
    include = forms.BooleanField(label=_("Include"), required=False, initial=True)
    text = forms.CharField(label=_("Assignment"), widget=forms.Textarea(attrs={"rows": 2}))
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=Organization.objects.all(), required=False)
    lead_name = forms.CharField(label=_("Lead unit as written"), max_length=255, required=False)
    create_lead = forms.BooleanField(label=_("Create this unit"), required=False)
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting units"), queryset=Organization.objects.all(), required=False
    )
    recurrence = forms.ChoiceField(
        label=_("Deadline kind"), choices=Recurrence.choices, initial=Recurrence.REGULARLY
    )
    deadline = forms.DateField(label=_("Deadline"), required=False)
    deadline_phrase = forms.CharField(widget=forms.HiddenInput, required=False)
    request_index = forms.TypedChoiceField(
        label=_("Answers the request"), required=False, coerce=int, empty_value=None
    )
    sentence = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)

    def __init__(self, *args, request_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_index"].choices = [("", "—"), *request_choices]

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            return data
        if not data.get("lead") and not (data.get("create_lead") and data.get("lead_name")):
            self.add_error("lead", _("Choose the lead unit, or tick “create this unit” and write its name."))
        recurrence, deadline = data.get("recurrence"), data.get("deadline")
        if (
            recurrence
            and recurrence != Recurrence.REGULARLY
            and deadline is None
            and "deadline" not in self.errors
        ):
            self.add_error("deadline", _("Give the deadline, or choose “regularly”."))
        if recurrence == Recurrence.REGULARLY and deadline is not None:
            self.add_error("deadline", _("A directive carried out regularly has no deadline."))
        return data


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=0)
FigureFormSet = forms.formset_factory(FigureForm, extra=0)
RequestFormSet = forms.formset_factory(RequestForm, extra=0)
DirectiveFormSet = forms.formset_factory(DirectiveForm, extra=0)


def _pk(obj):
    return obj.pk if obj is not None else None


def initial_data(draft: SessionDraft) -> dict:
    """The forms' initial values from a proposed draft."""
    return {
        "session": {
            "title": draft.title,
            "held_on": draft.held_on,
            "place": draft.place,
            "host_organization": _pk(draft.host),
            "admin_unit": _pk(draft.admin_unit),
            "conclusion": draft.conclusion,
            "source_url": draft.source_url,
            "source_text": draft.source_text,
        },
        "participants": [
            {
                "include": p.include,
                "name": p.name,
                "position": p.position,
                "role": p.role,
                "person": _pk(p.person),
                "create_person": p.create_person,
                "organization": _pk(p.organization),
                "side": p.side,
                "sentence": p.sentence,
            }
            for p in draft.participants
        ],
        "figures": [
            {
                "include": f.include,
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "year": f.year,
                "sentence": f.sentence,
            }
            for f in draft.figures
        ],
        "requests": [
            {
                "include": r.include,
                "text": r.text,
                "addressed_to": _pk(r.addressed_to),
                "addressed_to_name": r.addressed_to_name,
                "sentence": r.sentence,
            }
            for r in draft.requests
        ],
        "directives": [
            {
                "include": d.include,
                "text": d.text,
                "lead": _pk(d.lead),
                "lead_name": d.lead_name,
                "create_lead": d.create_lead,
                "supporting": [o.pk for o in d.supporting],
                "recurrence": d.recurrence,
                "deadline": d.deadline,
                "deadline_phrase": d.deadline_phrase,
                "request_index": d.request_index,
                "sentence": d.sentence,
            }
            for d in draft.directives
        ],
    }


def confirmed_draft(session_form, participants, figures, requests, directives) -> SessionDraft:
    """The draft as the person confirmed it, from valid forms."""
    s = session_form.cleaned_data
    draft = SessionDraft(
        title=s["title"],
        held_on=s["held_on"],
        host=s["host_organization"],
        host_name=s["host_organization"].name,
        admin_unit=s.get("admin_unit"),
        place=s.get("place", ""),
        conclusion=s.get("conclusion", ""),
        source_text=s["source_text"],
        source_url=s.get("source_url", ""),
    )
    # A form left out ("include" unticked) need not be valid: only what is included is read.
    draft.participants = [
        ParticipantDraft(
            name=f.cleaned_data["name"],
            position=f.cleaned_data.get("position", ""),
            role=f.cleaned_data["role"],
            person=f.cleaned_data.get("person"),
            organization=f.cleaned_data.get("organization"),
            create_person=f.cleaned_data.get("create_person", False),
            side=f.cleaned_data.get("side") or "host",
        )
        for f in participants
        if f.cleaned_data.get("include")
    ]
    draft.figures = [
        FigureDraft(
            label=f.cleaned_data["label"],
            value=f.cleaned_data["value"],
            unit=f.cleaned_data.get("unit", ""),
            year=f.cleaned_data.get("year"),
            sentence=f.cleaned_data.get("sentence", ""),
        )
        for f in figures
        if f.cleaned_data.get("include")
    ]
    # Requests keep their positions, which the directives' "answers the request" refers to.
    draft.requests = [
        RequestDraft(
            text=f.cleaned_data.get("text", ""),
            addressed_to=f.cleaned_data.get("addressed_to"),
            addressed_to_name=f.cleaned_data.get("addressed_to_name", ""),
            include=bool(f.cleaned_data.get("include")),
        )
        for f in requests
    ]
    included_requests = {index for index, r in enumerate(draft.requests) if r.include}
    draft.directives = [
        DirectiveDraft(
            text=f.cleaned_data["text"],
            lead=f.cleaned_data.get("lead"),
            lead_name=f.cleaned_data.get("lead_name", ""),
            create_lead=f.cleaned_data.get("create_lead", False),
            supporting=list(f.cleaned_data.get("supporting") or []),
            recurrence=f.cleaned_data["recurrence"],
            deadline=f.cleaned_data.get("deadline"),
            deadline_phrase=f.cleaned_data.get("deadline_phrase", ""),
            request_index=f.cleaned_data.get("request_index")
            if f.cleaned_data.get("request_index") in included_requests
            else None,
        )
        for f in directives
        if f.cleaned_data.get("include")
    ]
    return draft


def items_valid(formset) -> bool:
    """Every included item is valid (a left-out item may be anything)."""
    if not formset.is_valid():
        return (
            all(form.is_valid() or not form.cleaned_data.get("include") for form in formset)
            and not formset.non_form_errors()
        )
    return True
