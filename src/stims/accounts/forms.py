import secrets

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.core.forms import ScopedModelForm

from .models import ApiToken, Role, RoleAssignment, User


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


# --- User management (the department's administrator) -----------------------------------------------


class UserForm(ScopedModelForm):
    """A user's name, e-mail and where they work. Neither the superuser flag nor Django admin access is
    here: they are given only with `stims createsuperuser` or in Django's admin, so these pages cannot make
    an administrator. A password is never typed here either: the user sets it from the e-mailed link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "organization", "person"]

    # The version an edit form showed. User has no `updated_at` (the records' version, core.concurrency):
    # adding one needs a migration of accounts, so the edit page compares a digest of what it edits.
    VERSION_FIELD = "user_version"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[self.VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=user_version(self.instance)
            )
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The password reset link is sent to this address.")
        self.fields["first_name"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            # A reset link is sent to every account of an address: one address, one account.
            raise forms.ValidationError(
                _("Another user already has the address %(email)s."), params={"email": email}, code="unique"
            )
        return email


def user_version(user) -> str:
    """A digest of what the user's edit form and activation change: another save of any of them since
    the form was opened makes the form stale."""
    import hashlib

    values = [
        user.username,
        user.first_name,
        user.last_name,
        user.email,
        user.organization_id,
        user.person_id,
        user.is_active,
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()[:32]


class UserCreateForm(UserForm):
    send_mail = forms.BooleanField(
        label=_("E-mail the user a link to set their password"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def save(self, commit=True):
        user = super().save(commit=False)
        # A password nobody knows, until the user sets theirs from the e-mailed link (or "Forgot your
        # password?"): the account is usable for a reset, never for a guessed login.
        user.set_password(secrets.token_urlsafe(32))
        if commit:
            user.save()
        return user


class RoleAssignmentForm(ScopedModelForm):
    """One role of one user and the unit and/or organization it is limited to (neither: the whole
    deployment), with the dates it is in force. The user is fixed by the page (a hidden field)."""

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "admin_unit", "organization", "valid_from", "valid_to"]
        widgets = {"user": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_unit"].help_text = _(
            "Required for a local officer. Empty for the other roles: the whole deployment."
        )
        if self.instance.pk is not None:
            self.fields["user"].disabled = True


class UserFilterSet(SearchFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), method="filter_role")
    unit = django_filters.ModelChoiceFilter(
        label=_("Limited to unit"), queryset=lambda request: assigned_units(), method="filter_unit"
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        holders = RoleAssignment.objects.active().filter(role=value).values("user")
        return queryset.filter(pk__in=holders) if value else queryset

    def filter_unit(self, queryset, name, value):
        holders = RoleAssignment.objects.active().filter(admin_unit=value).values("user")
        return queryset.filter(pk__in=holders) if value else queryset


def assigned_units():
    """The units some role assignment is limited to: the unit filter's choices (a handful, not 10,000)."""
    from stims.geo.models import AdminUnit

    return AdminUnit.objects.filter(
        pk__in=RoleAssignment.objects.filter(admin_unit__isnull=False).values("admin_unit")
    ).order_by("name")
