"""Base form for domain records: choices narrowed to what the user may use, dates as dd/mm/yyyy."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import choices, concurrency, permissions
from .textlimits import TextLimitFormMixin  # length limits on free text (core/textlimits.py)


class FetchedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """A model select's options read with one query, not through `QuerySet.iterator()`: on PostgreSQL
    `iterator()` opens a server-side cursor — DECLARE, FETCH, CLOSE: three round trips where one does —
    for every select of every form and filter form on a page (a task list's filter form has four). The
    options are all written into the page anyway, so fetching them at once costs no more memory. Read
    from a fresh copy of the field's queryset, so no result is kept on the field between renders.
    Installed for every ModelChoiceField (and ModelMultipleChoiceField) by `CoreConfig.ready`."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class SearchSelect(forms.Select):
    """A select for large tables (units, organizations, people): it holds only the chosen option,
    and a search box beside it fetches matching options with htmx from `search_url`."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, search_url_name: str, attrs=None):
        super().__init__(attrs)
        self.search_url_name = search_url_name
        self.for_model = ""  # label of the model being edited, so the search offers only usable units

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse(self.search_url_name)
        context["widget"]["search_url"] = f"{url}?for={self.for_model}" if self.for_model else url
        return context

    def optgroups(self, name, value, attrs=None):
        # Render only the empty choice and the chosen record: the full list can be 13,000 units, and
        # iterating the field's choices would fetch them all.
        queryset = getattr(self.choices, "queryset", None)
        chosen = [str(v) for v in value if v not in (None, "")]
        if queryset is not None:
            # A filter's value comes straight from the query string: only what can be a key is looked up
            # ("?admin_unit=//example.org/" is then simply no choice, not a database error).
            chosen = [v for v in chosen if _is_key(queryset.model, v)]
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        if chosen and queryset is not None:
            for index, obj in enumerate(queryset.filter(pk__in=chosen), start=1):
                options.append(self.create_option(name, obj.pk, str(obj), True, index))
        return [(None, options, 0)]


def _is_key(model, value) -> bool:
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )


# Related models too big for a plain <select>: their fields get a search box. Model label → URL name of
# the box's options, filled by the apps that own the models (their search.py).
SEARCH_WIDGETS: dict[str, str] = {}


def register_search_widget(model_label: str, options_url_name: str) -> None:
    """Form fields choosing a `model_label` record get a search box fed by `options_url_name`
    (a `core.views.SearchOptionsView`) instead of a plain <select>."""
    SEARCH_WIDGETS[model_label] = options_url_name


class ScopedModelForm(TextLimitFormMixin, forms.ModelForm):
    """Narrows unit choices to the units the user may attach records to, and other related-record
    choices to what the user may see; styles widgets for Bootstrap."""

    # A form's own search boxes, over (and overriding) the registered ones of SEARCH_WIDGETS.
    search_widgets: dict[str, str] = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk is not None and concurrency.is_versioned(self.instance):
            # The version this form shows; the view refuses the save if the record has moved on since.
            self.fields[concurrency.FORM_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=concurrency.version_of(self.instance)
            )
        search_widgets = {**SEARCH_WIDGETS, **self.search_widgets}
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and user is not None:
                label = permissions.label_of(field.queryset.model)
                # The same rule as the API's serializers (core.choices).
                field.queryset = choices.related_choices(user, field.queryset, self._meta.model, name)
                if label in search_widgets and not isinstance(field, forms.ModelMultipleChoiceField):
                    field.widget = SearchSelect(search_widgets[label])
                    field.widget.choices = field.choices
                    field.widget.for_model = permissions.label_of(self._meta.model)
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            widget = field.widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def submitted_version(self) -> str | None:
        """The version the user edited, as posted (None when the form carried none)."""
        return self.data.get(self.add_prefix(concurrency.FORM_FIELD)) if self.is_bound else None

    def show_version(self, token: str) -> None:
        """Re-render with `token` as the edited version, so that saving again deliberately overwrites."""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
        data[self.add_prefix(concurrency.FORM_FIELD)] = token
        self.data = data


VND_HELP = _("Whole đồng. You may group thousands with dots: 1.500.000.")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NEGATIVE = re.compile(r"^\s*[-−]")
_SEPARATORS = re.compile(r"[.,]")


class VndField(forms.IntegerField):
    """A whole amount of VND, typed as people type it: "1500000", "1.500.000" (dots grouping
    thousands), with or without a trailing "đ", "₫" or "VND"; shown back grouped. The two common
    mistakes get their own words: a negative amount and a decimal one."""

    default_error_messages = {
        "invalid": _("Enter a whole number of đồng, e.g. 1500000 or 1.500.000."),
        "negative": _("An amount cannot be negative."),
        "decimal": _(
            "Amounts are whole đồng, without decimals. Group thousands with dots, e.g. 550.000.000."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("help_text", VND_HELP)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if not isinstance(value, str):
            return super().to_python(value)
        if _NEGATIVE.match(value):
            raise ValidationError(self.error_messages["negative"], code="negative")
        text = re.sub(r"\s*(₫|đ|đồng|vnd|vnđ)\s*$", "", value.strip(), flags=re.IGNORECASE)
        text = text.replace("\u00a0", "").replace(" ", "")
        if text in self.empty_values:
            return None
        if _GROUPED.match(text):
            text = text.replace(".", "")
        if not text.isdigit():
            if _SEPARATORS.search(text):  # "1.500,5", "1500.50", "1,5": a decimal, or misplaced dots
                raise ValidationError(self.error_messages["decimal"], code="decimal")
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)

    def prepare_value(self, value):
        # Saved amounts are shown grouped, as typed by people: 1500000 → "1.500.000".
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value
