from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core.forms import ScopedModelForm
from stims.sttasks import proposals

from . import images, sanitize
from .models import NewsArticle, NewsCategory, NewsTag, PublicSession, SubmitterKind

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y"]


class RichTextarea(forms.Textarea):
    """A textarea the vendored editor (static portal/editor.js) turns into a small rich-text editor."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 16, "data-rich-editor": "", **(attrs or {})})


class NewsArticleForm(ScopedModelForm):
    publish_at = forms.DateTimeField(
        label=_("publish at"),
        input_formats=DATETIME_FORMATS,
        help_text=_("dd/mm/yyyy hh:mm; the article goes live at this time once approved."),
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
    )

    class Meta:
        model = NewsArticle
        fields = [
            "title", "category", "tags", "summary", "body", "image", "image_caption",
            "is_featured", "is_hot", "publish_at",
        ]  # fmt: skip
        widgets = {"body": RichTextarea(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("publish_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_body(self):
        body = sanitize.clean(self.cleaned_data.get("body"))
        if not sanitize.plain_text(body):
            raise ValidationError(_("Write the article's content."))
        return body

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload
            images.check(image)
        return image


class NewsCategoryForm(ScopedModelForm):
    class Meta:
        model = NewsCategory
        fields = ["name", "slug", "sort_order"]


class NewsTagForm(ScopedModelForm):
    class Meta:
        model = NewsTag
        fields = ["name", "slug"]


class PublicSessionForm(ScopedModelForm):
    class Meta:
        model = PublicSession
        fields = ["session", "public_title"]


class NewsSearchForm(forms.Form):
    """Search news by category, words (diacritics optional) and date range (dd/mm/yyyy)."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=NewsCategory.objects.all(), required=False, to_field_name="slug",
        empty_label=_("All categories"),
    )  # fmt: skip
    date_from = forms.CharField(label=_("From (dd/mm/yyyy)"), required=False, max_length=10)
    date_to = forms.CharField(label=_("To (dd/mm/yyyy)"), required=False, max_length=10)

    def _date(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            raise ValidationError(_("Write the date as dd/mm/yyyy.")) from None

    def clean_date_from(self):
        return self._date("date_from")

    def clean_date_to(self):
        return self._date("date_to")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError(_("The end of the period cannot be before its start."))
        return data


class ProposalForm(forms.Form):
    """A task proposal sent by a commune, institute or enterprise through the portal."""

    submitter_kind = forms.ChoiceField(label=_("You are"), choices=SubmitterKind.choices)
    organization_name = forms.CharField(
        label=_("Name of the commune, institute or enterprise"), max_length=300
    )
    ordering_unit = forms.ModelChoiceField(label=_("Locality"), queryset=None, empty_label=_("Choose…"))
    call = forms.ModelChoiceField(
        label=_("The call for proposals it answers"),
        queryset=None,
        required=False,
        empty_label=_("None (a proposal of your own)"),
        help_text=_("Only the department's published calls open today are offered."),
    )
    title = forms.CharField(label=_("Name of the proposed task"), max_length=500)
    objectives = forms.CharField(
        label=_("The problem to solve and the objectives"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    expected_products = forms.CharField(
        label=_("Expected products"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Email"))
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    # The honeypot: hidden from people (CSS and aria-hidden), filled by robots; a filled one is refused.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, units=None, calls=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordering_unit"].queryset = units
        self.fields["call"].queryset = calls
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_call(self):
        call = self.cleaned_data.get("call")
        problem = proposals.call_problem(call, timezone.localdate())
        if problem:
            raise ValidationError(problem)
        return call

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise ValidationError(_("This field must stay empty."))
        return ""


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
