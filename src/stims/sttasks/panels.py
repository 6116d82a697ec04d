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
