from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core.forms import DateInput, ScopedModelForm, VndField

from .models import CouncilRound, EffectScope, Initiative, InitiativeAuthor, RoundMember


class InitiativeForm(ScopedModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "agency", "field", "submitted_on", "first_applied_on", "description", "benefits"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
        }


class InitiativeAuthorForm(ScopedModelForm):
    class Meta:
        model = InitiativeAuthor
        fields = ["initiative", "name", "position", "contribution"]


class CouncilRoundForm(ScopedModelForm):
    class Meta:
        model = CouncilRound
        fields = [
            "name",
            "year",
            "admin_unit",
            "convened_by",
            "decision_number",
            "decision_date",
            "pass_mark",
        ]


class RoundMemberForm(ScopedModelForm):
    class Meta:
        model = RoundMember
        fields = ["round", "name", "position", "role", "user"]


class MoveForm(forms.Form):
    """The values a move may need; `services.problems` says which are missing."""

    round = forms.ModelChoiceField(
        queryset=CouncilRound.objects.none(), required=False, label=capfirst(_("council round"))
    )
    decision_number = forms.CharField(required=False, label=capfirst(_("decision number")), max_length=50)
    decision_date = forms.DateField(required=False, label=capfirst(_("decision date")), widget=DateInput())
    effect_scope = forms.ChoiceField(
        choices=[("", "—"), *EffectScope.choices], required=False, label=capfirst(_("scope of effect"))
    )
    reward = VndField(required=False, label=capfirst(_("reward (VND)")))
    note = forms.CharField(
        required=False,
        label=capfirst(_("reason or note of the decision")),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = permissions.restrict(CouncilRound.objects.all(), user)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )


class SheetForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=RoundMember.objects.none(), empty_label=None, label=capfirst(_("council member"))
    )
    novelty = forms.IntegerField(min_value=0, max_value=30, label=capfirst(_("novelty (out of 30)")))
    applicability = forms.IntegerField(
        min_value=0, max_value=30, label=capfirst(_("applicability (out of 30)"))
    )
    benefit = forms.IntegerField(min_value=0, max_value=40, label=capfirst(_("benefit (out of 40)")))
    comment = forms.CharField(
        required=False, label=capfirst(_("comment")), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else RoundMember.objects.none()
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )
