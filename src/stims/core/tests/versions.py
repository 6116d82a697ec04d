"""Test helpers for versioned saves: the version an edit form or an API update must send back."""

from django import forms

from stims.core import concurrency


def current(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def versioned(obj, data: dict) -> dict:
    """Edit-form POST data carrying the record's version as saved now (as a freshly opened form would)."""
    return {**data, concurrency.FORM_FIELD: concurrency.version_of(current(obj))}


def if_match(obj) -> dict:
    """Test-client keyword arguments for an API update of the record as saved now."""
    return {"HTTP_IF_MATCH": f'"{concurrency.version_of(current(obj))}"'}


def form_data(form) -> dict:
    """What a browser would post back for `form` untouched: every field's shown value."""
    data = {}
    for name in form.fields:
        bound = form[name]
        field, widget, value = bound.field, bound.field.widget, bound.value()
        if isinstance(field, forms.FileField):
            continue  # an untouched file input posts nothing; the saved file is kept
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif getattr(widget, "allow_multiple_selected", False):
            # (checkboxes too: a browser posts each ticked box, and nothing when none is ticked)
            data[bound.html_name] = [str(v.pk if hasattr(v, "pk") else v) for v in value or []]
        else:
            shown = widget.format_value(value)
            if isinstance(shown, list):
                shown = shown[0] if shown else ""
            data[bound.html_name] = "" if shown is None else shown
    return data
