"""Template helpers: Vietnamese money formatting and generic record display."""

from django import template
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from stims.core import aggregates
from stims.core.files import record_file_name

register = template.Library()

HIDDEN = {"id", "search_text", "search_name", "created_at", "updated_at"}


@register.filter
def vnd(value) -> str:
    """12500000 → "12.500.000 ₫" (VND amounts are integers; dots group thousands)."""
    if value in (None, ""):
        return "—"
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + " ₫"


def _url_of(obj) -> str | None:
    opts = obj._meta
    try:
        return reverse(f"{opts.app_label}:{opts.model_name}_detail", args=[obj.pk])
    except NoReverseMatch:
        return None


@register.simple_tag
def record_fields(obj) -> list[dict]:
    """Label, display value and link of every concrete field of a record, for generic detail pages."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN:
            continue
        value = getattr(obj, field.name)
        url = None
        if field.choices:
            display = getattr(obj, f"get_{field.name}_display")()
        elif isinstance(field, models.ForeignKey):
            display, url = (str(value), _url_of(value)) if value is not None else ("", None)
        elif isinstance(field, models.FileField):
            # The checked download, named as it downloads (core.files), never the stored path.
            display, url = (record_file_name(obj, field.name, value.name), value.url) if value else ("", None)
        elif isinstance(field, models.BooleanField):
            display = _("Yes") if value else _("No")  # words, not a bare ✓/✗
        elif isinstance(field, models.DateTimeField):
            display = date_format(value, "SHORT_DATETIME_FORMAT") if value else ""
        elif isinstance(field, models.DateField):
            display = date_format(value, "SHORT_DATE_FORMAT") if value else ""
        elif isinstance(field, (models.DecimalField, models.FloatField)):
            display = "" if value is None else localize(value)
        else:
            display = "" if value is None else str(value)
        rows.append({"label": capfirst(field.verbose_name), "value": display or "—", "url": url})
    return rows


# The top bar's menus, as base.html wrote them with a loop (kept as the reference in
# core/tests/test_navigation.py, which compares the two): one section's dropdown, then its links.
_MENU_SECTION = (
    '\n      <li class="nav-item dropdown">\n        <a class="nav-link dropdown-toggle{active}" href="#" '
    'role="button" data-bs-toggle="dropdown" aria-expanded="false" data-testid="nav-{number}">{label}</a>\n'
    '        <ul class="dropdown-menu">\n          {links}\n        </ul>\n      </li>\n      '
)
_MENU_LINK = '<li><a class="dropdown-item{active}" href="{url}"{current}>{label}</a></li>'


@register.simple_tag
def main_menu(sections) -> str:
    """The sections of `nav_sections` (core.context_processors.menu), each a dropdown of its links, in
    the markup base.html's template loop wrote, character for character. Written in Python: a
    specialist's 64 links were half of a list page's template nodes (docs/performance.md)."""
    parts = []
    for number, section in enumerate(sections, start=1):
        links = "".join(
            _MENU_LINK.format(
                active=" active" if item["active"] else "",
                url=conditional_escape(item["url"]),
                current=' aria-current="page"' if item["active"] else "",
                label=conditional_escape(item["label"]),
            )
            for item in section["items"]
        )
        parts.append(
            _MENU_SECTION.format(
                active=" active" if section["active"] else "",
                number=number,
                label=conditional_escape(section["label"]),
                links=links,
            )
        )
    return mark_safe("".join(parts))  # nosec B308 B703 # every value above is escaped


@register.simple_tag
def stims_version() -> str:
    """The running release (stims.__version__), shown in the page footer."""
    from stims import __version__

    return __version__


@register.inclusion_tag("core/_figures_as_of.html")
def figures_as_of() -> dict:
    """The line a dashboard shows when its figures were served a little behind the data
    (core.aggregates: at most STIMS_FIGURES_STALE_SECONDS, never behind the viewer's own writes);
    nothing otherwise.
    Read when the template is rendered, after the view has read its figures."""
    return {"as_of": aggregates.served_as_of(), "seconds": aggregates.stale_seconds()}


# Query-string parameters a list's table reads, not its filter form.
_TABLE_PARAMETERS = frozenset({"page", "sort", "per_page", "_export"})


@register.simple_tag(takes_context=True)
def filter_form(context, filterset) -> str:
    """A list's filter form (core/_filter_form.html), kept while the tables its choices come from are
    unchanged (`core.fragments`): the same for every user who sends the same query string. A filter
    set whose form is built for each request (`form_class_per_request`) is rendered every time."""
    from django.template.loader import render_to_string

    from stims.core import fragments

    form = getattr(filterset, "form", None)

    def render():
        return render_to_string("core/_filter_form.html", {"form": form})

    request = context.get("request")
    if request is None or form is None or getattr(filterset, "form_class_per_request", True):
        return mark_safe(render())  # nosec B308 B703 # the template's own output, escaped when rendered
    kind = type(filterset)
    parts = tuple(
        (name, tuple(values)) for name, values in sorted(request.GET.lists()) if name not in _TABLE_PARAMETERS
    )
    return mark_safe(  # nosec B308 B703 # the template's own output, escaped when rendered
        fragments.rendered(f"filter_form:{kind.__module__}.{kind.__qualname__}", render, parts)
    )
