"""Navigation for the base layout: the domains, each shown only to users who may see it.

Core names no page: each app registers its menu in its `menu.py` (imported by its AppConfig), with
`register_section(key, label, order)` for a section it heads and `register_item(section key, label,
URL name, model label, order, allowed=None)` for each of its pages. Sections and items are shown by
ascending order.

An item is shown to a user who may view its model, or, when the page asks something else (drafting asks
to add sessions, an import asks its own rule), to whom `allowed(user)` answers true: give `allowed` the
very check the page's view makes, so the menu never offers a page that answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch
from django.utils.functional import SimpleLazyObject

from . import permissions
from .reversing import page_url


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    model_label: str  # shown only to users who may view this model
    order: int
    # The page's own check, when it is not "may view model_label": (user) -> bool.
    allowed: Callable[[object], bool] | None = None

    def shown_to(self, user) -> bool:
        if self.allowed is not None:
            return bool(self.allowed(user))
        return permissions.has_perm(user, permissions.VIEW, apps.get_model(self.model_label))


@dataclass
class NavSection:
    key: str
    label: object  # a lazy translation
    order: int
    items: list[NavItem] = field(default_factory=list)


SECTIONS: dict[str, NavSection] = {}

# The URL names of the items shown by "may view the model" alone (no `allowed`), per
# `permissions.model_perm_key`: the same for every user with the same roles and kinds of scope, worked
# out once per process instead of 60-odd permission checks on every page. Emptied when an item or a
# section is registered.
_SHOWN_BY_KEY: dict[tuple, frozenset[str]] = {}
_SHOWN_KEYS_KEPT = 1024


def register_section(key: str, label, order: int) -> None:
    existing = SECTIONS.get(key)
    if existing is not None:
        if (existing.label, existing.order) != (label, order):
            raise ImproperlyConfigured(f"Navigation section {key!r} registered twice, differently.")
        return
    SECTIONS[key] = NavSection(key, label, order)
    _SHOWN_BY_KEY.clear()


def register_item(
    section: str,
    label,
    url_name: str,
    model_label: str,
    order: int,
    allowed: Callable[[object], bool] | None = None,
) -> None:
    if section not in SECTIONS:
        raise ImproperlyConfigured(
            f"Navigation item {url_name!r}: no section {section!r} (register it first: is the app "
            "heading it installed before this one?)"
        )
    items = SECTIONS[section].items
    if any(item.url_name == url_name for item in items):
        return
    items.append(NavItem(label, url_name, model_label, order, allowed))
    items.sort(key=lambda item: item.order)
    _SHOWN_BY_KEY.clear()


def navigation_sections() -> list[tuple[object, list[tuple[object, str, str]]]]:
    """[(section label, [(item label, URL name, model label)])], in order."""
    return [
        (section.label, [(item.label, item.url_name, item.model_label) for item in section.items])
        for section in sorted(SECTIONS.values(), key=lambda section: section.order)
    ]


def _shown_by_model_perm(user) -> frozenset[str]:
    key = permissions.model_perm_key(user)
    shown = _SHOWN_BY_KEY.get(key)
    if shown is None:
        shown = frozenset(
            item.url_name
            for section in SECTIONS.values()
            for item in section.items
            if item.allowed is None and item.shown_to(user)
        )
        if len(_SHOWN_BY_KEY) >= _SHOWN_KEYS_KEPT:
            _SHOWN_BY_KEY.clear()
        _SHOWN_BY_KEY[key] = shown
    return shown


def navigation(request):
    """The menu for the layout (`nav_sections`), worked out only when a template shows it — an htmx
    fragment (the bell's count, a table's rows) never does — and then once per request."""
    return {"nav_sections": SimpleLazyObject(lambda: menu(request))}


def menu(request) -> list[dict]:
    user = getattr(request, "user", None)
    kept = getattr(request, "_stims_navigation", None)
    if kept is None or kept[0] is not user:  # not worked out yet, or for someone who since signed out
        kept = request._stims_navigation = (user, _menu(request))
    return kept[1]


def _menu(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    shown = _shown_by_model_perm(user)
    sections = []
    for section in sorted(SECTIONS.values(), key=lambda section: section.order):
        links = []
        for item in section.items:
            if not (item.url_name in shown if item.allowed is None else item.shown_to(user)):
                continue
            try:
                url = page_url(item.url_name)
            except NoReverseMatch:  # a domain whose pages are not installed in this deployment
                continue
            links.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
        if links:
            sections.append(
                {
                    "key": section.key,
                    "label": section.label,
                    "items": links,
                    "active": any(i["active"] for i in links),
                }
            )
    return sections
