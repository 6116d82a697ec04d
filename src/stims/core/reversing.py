"""`reverse()` for the links a page writes dozens of times: a record's own page (every linked cell of a
list) and the menu's pages (every page).

Django's `reverse()` looks the name up and rebuilds the URL from its pattern on every call: about 25 µs,
some 150 times on a list page of 25 rows (issue #20). A detail page's URL differs from its neighbour's only
by the key, so it is reversed once per URL name with a stand-in key and then filled with each record's
key; a URL without arguments is reversed once. Both are kept per URLconf, script prefix and language
(the three things besides the name that `reverse()` reads), so a test overriding ROOT_URLCONF or a
deployment under a sub-path gets its own URLs. Anything else (a key that is not a non-negative integer,
a pattern in which the stand-in does not appear exactly once) goes through `reverse()` itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_STAND_IN = 987654321012345
_MISSING = object()
_detail: dict[tuple, tuple[str, str] | None] = {}
_plain: dict[tuple, object] = {}


def _key(name: str) -> tuple:
    return (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


def record_url(name: str, pk) -> str:
    """reverse(name, args=[pk]) for an integer key, from the URL reversed once per name."""
    if type(pk) is not int or pk < 0:
        return reverse(name, args=[pk])
    key = _key(name)
    if key not in _detail:
        url = reverse(name, args=[_STAND_IN])  # NoReverseMatch is the caller's, as with reverse()
        pieces = url.split(str(_STAND_IN))
        _detail[key] = (pieces[0], pieces[1]) if len(pieces) == 2 else None
    parts = _detail[key]
    if parts is None:
        return reverse(name, args=[pk])
    before, after = parts
    return f"{before}{pk}{after}"


def page_url(name: str) -> str:
    """reverse(name) for a URL without arguments, reversed once; NoReverseMatch as reverse() raises it
    (kept too: a deployment without that domain's pages asks again on every page otherwise)."""
    key = _key(name)
    url = _plain.get(key, _MISSING)
    if url is _MISSING:
        try:
            url = reverse(name)
        except NoReverseMatch as missing:
            url = missing
        _plain[key] = url
    if isinstance(url, NoReverseMatch):
        raise NoReverseMatch(*url.args)
    return url  # type: ignore[return-value]


def forget(**kwargs) -> None:
    """Drops what was reversed (a test changed the URLconf or the script prefix's setting)."""
    _detail.clear()
    _plain.clear()


setting_changed.connect(forget, dispatch_uid="stims.core.reversing.forget")
