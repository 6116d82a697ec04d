"""The form renderer: Django's own, with its select and plain input widgets written in Python (issue #20).

Django renders a `<select>` through a template that includes a second template for every option and a
third for every option's attributes: about 40 µs an option, so a list's filter form of a few selects (a
province's units, the states, the types, the years) cost several milliseconds of every list page. The
markup of those three templates, and of the one of every plain `<input>` (text, number, date, email,
hidden, …), is written here in Python, character for character as the templates write it
(`core/tests/test_renderers.py` renders every form and filter form of STIMS both ways and compares).
Any other template, a widget whose options use another template, or a project template overriding one
of these (found on the engine's first load of it) is rendered by the template as before.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The input widgets whose template is input.html included as it is.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time")
)
OWN = (SELECT, OPTION, "django/forms/widgets/attrs.html", *INPUTS)


def _format_s(value) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping: a safe string stays as it is."""
    if isinstance(value, SafeData):
        return str(value)
    return conditional_escape(str(value))


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{_format_s(value)}"')
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's template renderer, but for selects and plain inputs (module docstring)."""

    @cached_property
    def _python_templates(self) -> bool:
        """Whether the templates resolve to Django's own (no project or app overrides them)."""
        import django.forms

        own_dir = django.forms.__path__[0]
        for name in OWN:
            origin = self.get_template(name).origin.name
            if not str(origin).startswith(own_dir):
                return False
        return True

    @cached_property
    def _context(self) -> Context:
        return Context(autoescape=True)

    def render(self, template_name, context, request=None):
        if template_name == SELECT and self._python_templates:
            html = self._select(context["widget"])
            if html is not None:
                return mark_safe(html)  # nosec B308 B703 # every value is escaped above
        elif template_name in INPUTS and self._python_templates:
            return mark_safe(self._input(context["widget"]))  # nosec B308 B703 # escaped above
        return super().render(template_name, context, request=request)

    def _text(self, value) -> str:
        """`{{ value }}`: localised, then escaped."""
        return render_value_in_context(value, self._context)

    def _select(self, widget) -> str | None:
        parts = [f'<select name="{self._text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{self._text(group_name)}">')
            for option in group_choices:
                if option["template_name"] != OPTION:
                    return None
                parts.append(
                    f'\n  <option value="{_format_s(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{self._text(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts).strip()

    def _input(self, widget) -> str:
        value = widget["value"]
        shown = "" if value is None else f' value="{_format_s(value)}"'
        return (
            f'<input type="{self._text(widget["type"])}" name="{self._text(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )
