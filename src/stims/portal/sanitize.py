"""The only HTML the portal lets through: what the news editor produces, cleaned by nh3 (Ammonia).

`clean` runs when an article is saved AND when it is rendered (the `safe_html` filter), so a row written
some other way (an import, the admin, the database) is still cleaned before a visitor's browser sees it.
Scripts, event attributes (on*), styles, frames, SVG and javascript:/data: addresses never pass.
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(html: str | None) -> str:
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(html: str | None) -> str:
    """The text of the HTML, for search, summaries and meta descriptions."""
    text = nh3.clean(html or "", tags=set())
    text = re.sub(r"&nbsp;|&#160;", " ", text)
    from html import unescape

    return re.sub(r"\s+", " ", unescape(text)).strip()
