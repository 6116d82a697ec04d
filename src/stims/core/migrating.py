"""`migrate` without re-rendering the whole model graph for each new model, field, index or constraint.

While it applies migrations Django keeps a rendered copy of every model (the "state apps"). When an
operation changes a model's state, `ProjectState.reload_model` renders again the model and, for a new
model or a new relation, every model related to it *in either direction, recursively*
(django/db/migrations/state.py, `_find_reload_model`); for other changes it renders the model's direct
neighbours and marks the state "delayed", which makes the next `RunPython` render every model again.
STIMS's models form one connected graph — 128 of its 249 models point at the user model, each history
model among them — so migrating an empty database rendered a model 43,545 times (65 s on the build
machine, on SQLite as on PostgreSQL; with this module 1,241 times, 6.5 s), paid by `make run`'s first
start, by every restore (`stims restore` migrates the empty database first), by the restore drill and
by CI.

What a change to model M makes stale is narrower: the classes that hold M's class — the models whose
relations point at M, M's subclasses, and in turn whatever holds *those*. The models M points at hold
nothing of M: their reverse relations are read from the registry, whose `_meta` caches every
registration expires (as in any `Apps`). `fast_state_reloads()` renders exactly that set, in place of
Django's, for three changes:

- a new model (`CreateModel`; nothing held it before, so only the model itself),
- a new field, relational or not (`AddField`),
- every change Django "delays" (indexes, constraints, options, managers, a field altered or removed
  that nothing references), so the state is never marked delayed and `RunPython` reuses it.

One exception keeps it as consistent as Django's own rule: a model M points at whose class belongs to
another registry (on a partly migrated database, `migrate` starts from a copy of the state it rendered
before migrating, whose classes keep that first registry) is rendered again with whatever holds it,
so that its reverse relations come from this registry. Every other change (removing a model or a
relation, renaming, altering a relation) keeps Django's rule.

`stims migrate` (core/management/commands/migrate.py) uses it when it migrates every app forwards (no
app label given); migrating one app, or backwards, is Django's. The proof is `core/tests/test_migrating.py`
on both databases, from an empty database and from one migrated half-way: the state it leaves holds no
stale class (every relation and parent is the class the registry holds; without the holders' rule, 121
are stale), and the schema is the one the models describe (columns, indexes, constraints, foreign keys).
By hand on 08/12/2026: the SQLite schema and the seeded rows equal plain Django's, but for the order in
which content types and permissions were numbered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.migrations.state import (  # type: ignore[attr-defined]  # private, unstubbed
    ProjectState,
    _get_app_label_and_model_name,
)
from django.db.models import NOT_PROVIDED
from django.db.models.fields.related import RECURSIVE_RELATIONSHIP_CONSTANT

Key = tuple[str, str]


def _holders(model) -> set[Key]:
    """The models holding `model`'s class: those whose relations point at it, its subclasses, and so on
    from each of them (not the models it points at)."""
    seen: set[Key] = set()
    queue = [model]
    while queue:
        current = queue.pop()
        neighbours = [sub for sub in current.__subclasses__() if hasattr(sub, "_meta")]
        for field in current._meta.get_fields(include_parents=True, include_hidden=True):
            # The reverse side of a relation (a ForeignObjectRel): its related_model holds the foreign
            # key, one-to-one or many-to-many (an auto-created through model included).
            if field.auto_created and not field.concrete and field.related_model is not None:
                if not isinstance(field.related_model, str):
                    neighbours.append(field.related_model)
        for neighbour in neighbours:
            key = (neighbour._meta.app_label, neighbour._meta.model_name)
            if key not in seen:
                seen.add(key)
                queue.append(neighbour)
    return seen


def _stale(state: ProjectState, app_label: str, model_name: str) -> set[Key]:
    """What a change to this model's state makes stale in `state.apps` (see the module's docstring)."""
    stale: set[Key] = {(app_label, model_name)}
    apps = state.apps
    try:
        stale |= _holders(apps.get_model(app_label, model_name))
    except LookupError:
        pass
    for field in state.models[app_label, model_name].fields.values():
        if not field.is_relation or field.related_model == RECURSIVE_RELATIONSHIP_CONSTANT:
            continue
        target_label, target_name = _get_app_label_and_model_name(field.related_model, app_label)
        try:
            target = apps.get_model(target_label, target_name)
        except LookupError:
            continue
        if target._meta.apps is not apps:
            stale |= {(target._meta.app_label, target._meta.model_name)} | _holders(target)
    return stale


def _add_model(self: Any, model_state) -> None:  # self: a ProjectState, whose private parts are unstubbed
    model_key = model_state.app_label, model_state.name_lower
    self.models[model_key] = model_state
    if self._relations is not None:
        self.resolve_model_relations(model_key)
    if "apps" in self.__dict__:  # as Django: hasattr() would render every model
        self._reload(_stale(self, *model_key))


def _add_field(self: Any, app_label, model_name, name, field, preserve_default) -> None:
    if not preserve_default:
        field = field.clone()
        field.default = NOT_PROVIDED
    model_key = app_label, model_name
    self.models[model_key].fields[name] = field
    if self._relations is not None:
        self.resolve_model_field_relations(model_key, name, field)
    if "apps" in self.__dict__:
        self._reload(_stale(self, app_label, model_name))


def _reload_model(self: Any, app_label, model_name, delay=False) -> None:
    if not delay or "apps" not in self.__dict__:
        return _django["reload_model"](self, app_label, model_name, delay)
    try:
        self.apps.get_model(app_label, model_name)
    except LookupError:  # a renamed model: Django's rule
        return _django["reload_model"](self, app_label, model_name, delay)
    self._reload(_stale(self, app_label, model_name))
    return None


_django: dict[str, Callable[..., Any]] = {
    "add_model": ProjectState.add_model,
    "add_field": ProjectState.add_field,
    "reload_model": ProjectState.reload_model,
}
_ours = {"add_model": _add_model, "add_field": _add_field, "reload_model": _reload_model}


@contextmanager
def fast_state_reloads() -> Iterator[None]:
    """While active, a migration state renders again only the models a change makes stale."""
    for name, method in _ours.items():
        setattr(ProjectState, name, method)
    try:
        yield
    finally:
        for name, method in _django.items():
            setattr(ProjectState, name, method)
