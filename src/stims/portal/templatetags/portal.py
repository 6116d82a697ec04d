from django import template
from django.utils.safestring import mark_safe

from stims.portal import sanitize

register = template.Library()


@register.filter
def safe_html(value):
    """Editor HTML, sanitised again as it is rendered (nh3)."""
    return mark_safe(sanitize.clean(value))  # nosec B308 B703 # cleaned by nh3 just above
