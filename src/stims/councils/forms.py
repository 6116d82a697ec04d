import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from stims.core import concurrency
from stims.core.files import validate_document_file
from stims.core.forms import DateInput, ScopedModelForm
from stims.core.textlimits import TextLimitFormMixin

from . import services
from .models import Council, CouncilDossier, CouncilKind, CouncilMember, CriteriaSet, Criterion, RatingLevel


def add_service_error(form, exc: ValidationError) -> None:
    """A refusal of the services, shown beside the field it concerns (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = (
            "form-check-input"
            if isinstance(widget, forms.CheckboxInput)
            else ("form-select" if isinstance(widget, forms.Select) else "form-control")
        )
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class _CheckedModelForm(ScopedModelForm):
    """A model form that also applies the councils' rules (`check`) to the record about to be saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = copy.copy(self.instance) if self.instance.pk else None

    def check(self, instance, previous) -> None:
        """The form's own rule on the record about to be saved (abstract: each subclass says)."""
        raise NotImplementedError

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.check(self.instance, self.previous)
        except ValidationError as exc:
            add_service_error(self, exc)


class CouncilForm(ScopedModelForm):
    """The decision establishing the council and its meeting. The conclusion is recorded with the
    conclusion form, the minutes uploaded on the council's page."""

    class Meta:
        model = Council
        fields = [
            "kind",
            "name",
            "criteria_set",
            "decision_number",
            "decision_date",
            "decision_signer",
            "meeting_date",
            "location",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in services.locked_council_fields(self.instance):
            self.fields[name].disabled = True
            self.fields[name].help_text = _(
                "Fixed: score sheets have been entered or the council has concluded."
            )


class CouncilMemberForm(_CheckedModelForm):
    class Meta:
        model = CouncilMember
        fields = ["council", "person", "role", "affiliation", "has_conflict", "conflict_note", "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["council"].disabled = True

    def check(self, instance, previous):
        services.check_member(instance, previous)


class CouncilDossierForm(_CheckedModelForm):
    """A task's dossier before a council. Whether it passed is recorded by the council's conclusion."""

    class Meta:
        model = CouncilDossier
        fields = ["council", "task", "applicant", "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.council.concluded_on:
            for name in ("council", "task", "applicant"):
                self.fields[name].disabled = True

    def check(self, instance, previous):
        services.check_dossier(instance, previous)


class CriteriaSetForm(ScopedModelForm):
    class Meta:
        model = CriteriaSet
        fields = [
            "name",
            "council_kind",
            "legal_basis",
            "valid_from",
            "valid_to",
            "pass_mark",
            "outlier_tolerance",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if services.criteria_set_in_use(self.instance):
            for name in ("council_kind", "pass_mark", "outlier_tolerance"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: score sheets already use these criteria.")

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The criteria cannot end before they start."))
        return data


class CriterionForm(_CheckedModelForm):
    class Meta:
        model = Criterion
        fields = ["criteria_set", "code", "name", "max_score", "sort_order"]

    def check(self, instance, previous):
        services.check_criteria_change(instance.criteria_set)
        if previous is not None and previous.criteria_set_id != instance.criteria_set_id:
            services.check_criteria_change(previous.criteria_set)


NEW_SHEET = "new"


class ScoreSheetForm(TextLimitFormMixin, forms.Form):
    """One member's sheet: a score per criterion, each up to its maximum."""

    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The sheet's version when the form was shown ("new" when there was none yet): a sheet saved by
    # someone else meanwhile is not overwritten unseen (see ScoreSheetView.post).
    record_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["record_version"].initial = (
            concurrency.version_of(sheet) if sheet is not None else NEW_SHEET
        )
        current = (
            {score.criterion_id: score.score for score in sheet.scores.all()} if sheet is not None else {}
        )
        scored = {}
        for criterion in self.criteria:
            # "15" or "12,5", never "15.00" (the stored Decimal) in the help text and the error.
            most = number_format(criterion.max_score, decimal_pos=None, use_l10n=True)
            if "," in most:
                most = most.rstrip("0").rstrip(",")
            scored[services.score_field_name(criterion)] = forms.DecimalField(
                label=f"{criterion.code}. {criterion.name}",
                min_value=0,
                max_value=criterion.max_score,
                max_digits=6,
                decimal_places=2,
                initial=current.get(criterion.pk),
                help_text=_("At most %(max)s") % {"max": most},
                error_messages={
                    "max_value": _("At most %(max)s points.") % {"max": most},
                    "min_value": _("The score cannot be negative."),
                },
            )
        # Scores first, in the criteria's order, then the comments.
        self.fields = {
            **scored,
            "comments": self.fields["comments"],
            "record_version": self.fields["record_version"],
        }
        if sheet is not None:
            self.fields["comments"].initial = sheet.comments
        _style(self)

    def scores(self) -> dict:
        return {
            criterion: self.cleaned_data[services.score_field_name(criterion)] for criterion in self.criteria
        }


class ConclusionForm(TextLimitFormMixin, forms.Form):
    """The council's conclusion: the date, the text, and each dossier's outcome (a rating for an
    acceptance council). Outcomes start from what the scores say."""

    concluded_on = forms.DateField(label=_("Concluded on"), widget=DateInput())
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    PASSED_CHOICES = [("", "---------"), ("yes", _("Passed")), ("no", _("Not passed"))]

    def __init__(self, *args, council, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        self.results = sorted(results, key=lambda r: r.dossier.pk)
        self.acceptance = council.kind == CouncilKind.ACCEPTANCE
        ratings = list(RatingLevel.objects.all()) if self.acceptance else []
        for result in self.results:
            dossier = result.dossier
            label = str(dossier.task) + (f" — {dossier.applicant}" if dossier.applicant_id else "")
            if self.acceptance:
                field = forms.ModelChoiceField(label=label, queryset=RatingLevel.objects.all(), required=True)
                field.choices = [("", "---------")] + [(r.pk, r.name) for r in ratings]
            else:
                initial = {True: "yes", False: "no"}.get(result.meets_pass_mark, "")
                field = forms.ChoiceField(
                    label=label, choices=self.PASSED_CHOICES, required=True, initial=initial
                )
            self.fields[self.outcome_field(dossier)] = field
        _style(self)

    @staticmethod
    def outcome_field(dossier) -> str:
        return f"outcome_{dossier.pk}"

    def outcome_fields(self):
        return [self[self.outcome_field(r.dossier)] for r in self.results]

    def outcomes(self) -> dict:
        found = {}
        for result in self.results:
            value = self.cleaned_data[self.outcome_field(result.dossier)]
            found[result.dossier.pk] = value if self.acceptance else value == "yes"
        return found


class MinutesForm(TextLimitFormMixin, forms.ModelForm):
    class Meta:
        model = Council
        fields = ["minutes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["minutes"]
        field.required = True
        field.validators = [*field.validators, validate_document_file]
        field.help_text = _("The signed minutes of the meeting (PDF, Word or a scan).")
        field.widget = forms.FileInput(attrs={"class": "form-control"})
