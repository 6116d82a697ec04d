"""Sections of a unit's page contributed by the apps that attach records to units (the directory's
organizations and local bodies). Each app registers its section from its own `panels.py`; geo never
looks into them. A section's `context(unit, user)` returns what its template needs (restricted to what
the user may see); the page merges it into its context and includes the template, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitSection:
    key: str
    template: str
    context: Callable  # (unit, user) -> dict
    order: int = 50


UNIT_SECTIONS: list[UnitSection] = []


def register(section: UnitSection) -> None:
    if all(existing.key != section.key for existing in UNIT_SECTIONS):
        UNIT_SECTIONS.append(section)
        UNIT_SECTIONS.sort(key=lambda s: s.order)


def unit_sections(unit, user) -> tuple[list[str], dict]:
    templates, context = [], {}
    for section in UNIT_SECTIONS:
        context.update(section.context(unit, user))
        templates.append(section.template)
    return templates, context
