from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class ApiTokenForm(forms.Form):
    """A new API token for the signed-in user. Only a superuser may create a key that never expires:
    a key without an end date outlives whoever forgot it in a script."""

    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=ApiToken._meta.get_field("name").help_text,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=ApiToken.MAX_DAYS,
        initial=ApiToken.DEFAULT_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    no_expiry = forms.BooleanField(
        label=_("Never expires"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["days"].help_text = _("From 1 to %(max)d days.") % {"max": ApiToken.MAX_DAYS}
        if not user.is_superuser:
            del self.fields["no_expiry"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_expiry"):
            cleaned["days"] = None
        elif cleaned.get("days") is None and "days" not in self.errors:
            self.add_error("days", _("Give the number of days the token is valid for."))
        return cleaned

    def save(self) -> tuple[ApiToken, str]:
        return ApiToken.issue(
            self.user,
            name=self.cleaned_data["name"],
            expires_at=ApiToken.expiry_after(self.cleaned_data["days"]),
            created_by=self.user,
        )
