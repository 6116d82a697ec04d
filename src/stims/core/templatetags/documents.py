"""The document include's filter: how a page may show a stored file (core/_document.html)."""

from django import template

from stims.core.files import preview_kind as _preview_kind

register = template.Library()


@register.filter
def preview_kind(stored) -> str:
    """ "pdf", "image" or "": whether a stored file previews in a frame, as a picture, or not at all."""
    return _preview_kind(stored)
