"""Navigation for the base layout: the domains, each shown only to users who may see it.

Core names no page: each app registers its menu in its `menu.py` (imported by its AppConfig), with
`register_section(key, label, order)` for a section it heads and `register_item(section key, label,
URL name, model label, order)` for each of its pages. Sections and items are shown by ascending order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from . import permissions


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy translation
    url_name: str
    model_label: str  # shown only to users who may view this model
    order: int


@dataclass
class NavSection:
    key: str
    label: object  # a lazy translation
    order: int
    items: list[NavItem] = field(default_factory=list)


SECTIONS: dict[str, NavSection] = {}


def register_section(key: str, label, order: int) -> None:
    existing = SECTIONS.get(key)
    if existing is not None:
        if (existing.label, existing.order) != (label, order):
            raise ImproperlyConfigured(f"Navigation section {key!r} registered twice, differently.")
        return
    SECTIONS[key] = NavSection(key, label, order)


def register_item(section: str, label, url_name: str, model_label: str, order: int) -> None:
    if section not in SECTIONS:
        raise ImproperlyConfigured(
            f"Navigation item {url_name!r}: no section {section!r} (register it first: is the app "
            "heading it installed before this one?)"
        )
    items = SECTIONS[section].items
    if any(item.url_name == url_name for item in items):
        return
    items.append(NavItem(label, url_name, model_label, order))
    items.sort(key=lambda item: item.order)


def navigation_sections() -> list[tuple[object, list[tuple[object, str, str]]]]:
    """[(section label, [(item label, URL name, model label)])], in order."""
    return [
        (section.label, [(item.label, item.url_name, item.model_label) for item in section.items])
        for section in sorted(SECTIONS.values(), key=lambda section: section.order)
    ]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    sections = []
    for section_label, items in navigation_sections():
        links = []
        for label, url_name, model_label in items:
            if not permissions.has_perm(user, permissions.VIEW, apps.get_model(model_label)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a domain whose pages are not installed in this deployment
                continue
            links.append({"label": label, "url": url, "active": request.path.startswith(url)})
        if links:
            sections.append(
                {"label": section_label, "items": links, "active": any(i["active"] for i in links)}
            )
    return {"nav_sections": sections}
