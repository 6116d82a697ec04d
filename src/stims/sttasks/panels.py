"""Sections of the task page contributed by the apps that hang records on a task (councils,
funding, results). Each app registers its panel in its `panels.py`; the task page renders them in
order. A panel's `context(request, task)` must run a fixed number of queries whatever the number of
records it shows (the task page's query count is pinned in a test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: object  # a lazy translation
    template: str
    context: Callable  # (request, task) -> dict
    order: int = 50


PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if all(existing.key != panel.key for existing in PANELS):
        PANELS.append(panel)
        PANELS.sort(key=lambda p: p.order)


# Sections of the task-wide pages contributed by the same apps: the leader's summary (beside the
# overdue counts, or at the end) and "My actions". A section's `context(request, tasks)` gets the tasks
# the page counts (those the user may see, narrowed by the summary's filters) and returns what its
# template needs; the page merges it into its own context and includes the template.
SUMMARY_SIDE, SUMMARY_END, MY_ACTIONS = "summary-side", "summary-end", "my-actions"


@dataclass(frozen=True)
class PageSection:
    key: str
    page: str  # SUMMARY_SIDE, SUMMARY_END or MY_ACTIONS
    template: str
    context: Callable  # (request, tasks) -> dict
    order: int = 50


PAGE_SECTIONS: list[PageSection] = []


def register_section(section: PageSection) -> None:
    if all(existing.key != section.key for existing in PAGE_SECTIONS):
        PAGE_SECTIONS.append(section)
        PAGE_SECTIONS.sort(key=lambda s: s.order)


def page_sections(page: str, request, tasks) -> tuple[list[str], dict]:
    """The templates of `page`'s sections, in order, and the context they need."""
    templates, context = [], {}
    for section in PAGE_SECTIONS:
        if section.page == page:
            context.update(section.context(request, tasks))
            templates.append(section.template)
    return templates, context
