"""Showing where a proposal came from: the sentence, with the proposed words marked."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _span(sentence: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` (or its opening words, at least two) stands in `sentence`, ignoring case."""
    words = needle.split()
    lowered = sentence.lower()
    for count in range(len(words), 1, -1):
        wanted = " ".join(words[:count]).lower().strip(" .,;:")
        start = lowered.find(wanted)
        if start >= 0:
            return start, start + len(wanted)
    if len(words) == 1:
        start = lowered.find(words[0].lower())
        if start >= 0:
            return start, start + len(words[0])
    return None


@register.simple_tag
def highlighted(sentence: str | None, needle: str | None) -> SafeString:
    """The sentence, escaped, with the proposed words in <mark>."""
    sentence = sentence or ""
    needle = re.sub(r"\s+", " ", needle or "").strip()
    span = _span(sentence, needle) if needle else None
    if span is None:
        return format_html("{}", sentence)
    start, end = span
    return format_html("{}<mark>{}</mark>{}", sentence[:start], sentence[start:end], sentence[end:])


@register.filter
def needle_of(form) -> str:
    """The words of a review form that the sentence should show marked."""
    for name in ("text", "name", "label"):
        if name in form.fields:
            value = form[name].value()
            if value:
                return str(value)
    return ""
