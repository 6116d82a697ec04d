"""The one permission layer: what a user may see and do, applied to pages, exports and the API alike.

Two questions, answered in one place:
  * `restrict(queryset, user, action)`: the rows of a model this user may see (or change/delete).
  * `has_perm(user, action, obj_or_model)`: whether one action on one object (or on the model, for
    "add") is allowed.

A user holds role assignments (`accounts.RoleAssignment`). Each assignment grants the actions that
`ROLE_MATRIX` lists for its role, within its scope:
  * no unit and no organization: the whole deployment;
  * an administrative unit: records attached to that unit, the units under it, and the units it
    became or came from in the 2025 reform (see `geo.services.covered_units_q`);
  * an organization: records of that organization and the ones under it.

A model joins the layer by naming how its rows reach a unit and an organization
(`scope_unit_path`, `scope_organization_path`); a model with neither can only be granted
deployment-wide. Reference data (administrative units) is visible to every signed-in user.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)
READ = frozenset({VIEW})
WRITE = frozenset({VIEW, ADD, CHANGE})
FULL = frozenset(ACTIONS)
ANY_MODEL = "*"

# role -> {model label: actions}; ANY_MODEL is the default for models not named. Core names no model:
# each app registers the rows of its own models from its `grants.py` (imported by its AppConfig), with
# `register_role_grants`; the assembled matrix is checked end to end by one test
# (core/tests/test_permission_matrix.py).
ROLE_MATRIX: dict[str, dict[str, frozenset[str]]] = {}

# Models every signed-in user may read whatever their scope: public reference data. Filled by the apps
# with `register_reference_models`.
REFERENCE_MODELS: set[str] = set()


def register_role_grants(grants: dict[str, dict[str, Iterable[str]]]) -> None:
    """Add rows to `ROLE_MATRIX`: {role: {model label (lower case) or ANY_MODEL: actions}}.

    Registering the same cell twice with the same actions is harmless; with different actions it is a
    configuration error, so two apps cannot silently disagree on one cell.
    """
    for role, rows in grants.items():
        matrix_row = ROLE_MATRIX.setdefault(role, {})
        for label, actions in rows.items():
            actions = frozenset(actions)
            if label != ANY_MODEL and label != label.lower():
                raise ImproperlyConfigured(f"Role grant for {label!r}: model labels are lower case.")
            unknown = actions - FULL
            if unknown:
                raise ImproperlyConfigured(f"Role grant {role}/{label}: unknown actions {sorted(unknown)}.")
            if matrix_row.get(label, actions) != actions:
                raise ImproperlyConfigured(
                    f"Role grant {role}/{label} registered twice: {sorted(matrix_row[label])} "
                    f"and {sorted(actions)}."
                )
            matrix_row[label] = actions


def register_reference_models(*labels: str) -> None:
    """Name models (lower-case labels) whose rows every signed-in user with a role may read."""
    for label in labels:
        if label != label.lower():
            raise ImproperlyConfigured(f"Reference model {label!r}: model labels are lower case.")
        REFERENCE_MODELS.add(label)


# Who holds which roles and how scopes expand live in the directory apps, above core; they plug in here
# at start-up (accounts: the assignments; geo: the unit model and the units a unit covers; orgs: the
# organization model and an organization's subtree), with `configure`.
PROVIDERS = ("assignments", "unit_model", "covered_units", "organization_model", "organization_subtree")
_providers: dict[str, object] = {}


def configure(**providers) -> None:
    """Plug in the directory's answers:

    * `assignments(user)`: the user's role assignments in force today (each with `role`,
      `admin_unit`/`admin_unit_id`, `organization_id`);
    * `unit_model`, `covered_units(unit) -> Q` over units;
    * `organization_model`, `organization_subtree(organization_id) -> Q` over organizations.
    """
    unknown = set(providers) - set(PROVIDERS)
    if unknown:
        raise TypeError(f"Unknown permission providers: {sorted(unknown)}")
    _providers.update(providers)


def _provider(name: str):
    try:
        return _providers[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No permission provider {name!r}: the directory app that provides it is not installed."
        ) from None


def label_of(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def actions_for(role: str, label: str) -> frozenset[str]:
    grants = ROLE_MATRIX.get(role, {})
    return grants.get(label, grants.get(ANY_MODEL, frozenset()))


def active_assignments(user) -> list:
    """The user's role assignments in force today, fetched once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_stims_assignments", None)
    if cached is None:
        cached = list(_provider("assignments")(user))
        user._stims_assignments = cached
    return cached


def _reaches(assignment, model: type[models.Model]) -> bool:
    """Whether an assignment's scope can reach rows of `model` at all (no query needed)."""
    if assignment.admin_unit_id is not None and getattr(model, "scope_unit_path", None) is None:
        return False
    if assignment.organization_id is not None and getattr(model, "scope_organization_path", None) is None:
        return False
    return True


def _covered_units(assignment) -> Q:
    # Computed once per assignment object, i.e. once per request, however many models are checked.
    if not hasattr(assignment, "_covered_units_q"):
        assignment._covered_units_q = _provider("covered_units")(assignment.admin_unit)
    return assignment._covered_units_q


def _covered_organizations(assignment) -> Q:
    if not hasattr(assignment, "_covered_organizations_q"):
        assignment._covered_organizations_q = _provider("organization_subtree")(assignment.organization_id)
    return assignment._covered_organizations_q


def _scope_q(assignment, model: Any) -> Q | None:  # a model class with scope paths
    """The rows of `model` inside one assignment's scope; None when the scope cannot reach the model."""
    if not _reaches(assignment, model):
        return None
    if assignment.admin_unit_id is None and assignment.organization_id is None:
        return Q()
    conditions = []
    if assignment.admin_unit_id is not None:
        conditions.append(_via(model, model.scope_unit_path, _covered_units(assignment)))
    if assignment.organization_id is not None:
        conditions.append(_via(model, model.scope_organization_path, _covered_organizations(assignment)))
    combined = Q()
    for condition in conditions:
        combined &= condition
    return combined


def _via(model: type[models.Model], path: str, target_q: Q) -> Q:
    """Rows whose `path` leads to a target matching `target_q`.

    Paths that cross a many-valued relation go through a `pk__in` subquery, so list pages need no
    DISTINCT and never repeat a row.
    """
    ids = _literal_ids(target_q)
    if path == "pk":  # the model is itself the scope (organizations, units)
        if ids is not None:
            return Q(pk__in=ids)
        return Q(pk__in=model._default_manager.filter(target_q).values("pk"))
    if ids is not None:
        targets: Any = ids
    else:
        target_model = _target_model(model, path)
        targets = target_model._default_manager.filter(target_q).values("pk")
    if "__" in path and _crosses_many(model, path):
        return Q(pk__in=model._default_manager.filter(**{f"{path}__in": targets}).values("pk"))
    return Q(**{f"{path}__in": targets})


def _literal_ids(target_q: Q) -> list | None:
    """The key values of a scope given as `Q(pk__in={…})` (a district's units, an organization's
    subtree), sorted; None for any other condition (a province's `province_id__in`).

    Handing the planner the ids themselves, not `IN (SELECT id FROM geo_adminunit WHERE id IN (…))`,
    lets PostgreSQL estimate the rows and use the unit index: a local officer's IP list at 1,000,000
    assets went from 129 ms to 2.4 ms (issue #20).
    """
    if target_q.negated or len(target_q.children) != 1 or not isinstance(target_q.children[0], tuple):
        return None
    lookup, value = target_q.children[0]
    if lookup not in ("pk__in", "id__in") or not isinstance(value, set | frozenset | list | tuple):
        return None
    return sorted(value)


def _walk(model: type[models.Model], path: str):
    current: Any = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        yield field
        current = field.related_model


def _target_model(model, path):
    *_, last = _walk(model, path)
    return last.related_model


def _crosses_many(model, path) -> bool:
    return any(field.many_to_many or field.one_to_many for field in _walk(model, path))


def _allowed(model: type[models.Model], user, action: str) -> Q | bool:
    """Which rows of `model` `user` may act on with `action`: True for every row (a superuser, a
    deployment-wide role), False for none, else the condition they meet. No query."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    label = label_of(model)
    assignments = active_assignments(user)
    if action == VIEW and label in REFERENCE_MODELS and assignments:
        return True
    allowed: Q | None = None
    for assignment in assignments:
        if action not in actions_for(assignment.role, label):
            continue
        condition = _scope_q(assignment, model)
        if condition is None:
            continue
        if not condition:  # deployment-wide: nothing narrower can widen it
            return True
        allowed = condition if allowed is None else allowed | condition
    return False if allowed is None else allowed


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The part of `queryset` that `user` may act on with `action`."""
    allowed = _allowed(queryset.model, user, action)
    if allowed is True:
        return queryset
    return queryset.none() if allowed is False else queryset.filter(allowed)


def reaches_every_row(user, action: str, model: type[models.Model]) -> bool:
    """Whether `user` may act with `action` on every row of `model` (`restrict` leaves any queryset of
    it as it is): then every record passes without asking the database."""
    return _allowed(model, user, action) is True


def model_perm_key(user) -> tuple:
    """Everything `has_perm(user, action, model class)` depends on: users with the same key get the same
    answer for every action and model (the roles, and whether each assignment is limited to a unit or
    an organization — not which one). Keyed caches of such answers use it (the menu)."""
    if not getattr(user, "is_authenticated", False):
        return (False,)
    if not user.is_active or user.is_superuser:  # refused everything, or allowed everything
        return (True, bool(user.is_active), bool(user.is_superuser))
    return (
        True,
        True,
        False,
        frozenset(
            (a.role, a.admin_unit_id is not None, a.organization_id is not None)
            for a in active_assignments(user)
        ),
    )


def has_perm(user, action: str, target: models.Model | type[models.Model]) -> bool:
    """Whether `user` may perform `action` on an object, or (given a model class) on some row of it."""
    if isinstance(target, type):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        label = label_of(target)
        return any(
            action in actions_for(a.role, label) and _reaches(a, target) for a in active_assignments(user)
        ) or (action == VIEW and label in REFERENCE_MODELS and bool(active_assignments(user)))
    if target.pk is None:
        return has_perm(user, action, type(target))
    allowed = _allowed(type(target), user, action)
    if isinstance(allowed, bool):
        # Every row or none: answered without asking the database — a task's page asked ten times
        # whether the task was among "all tasks" (issue #20).
        return allowed
    return type(target)._default_manager.filter(pk=target.pk).filter(allowed).exists()


def require(user, action: str, target) -> None:
    if not has_perm(user, action, target):
        raise PermissionDenied


def allowed_actions(user, obj: models.Model) -> set[str]:
    return {action for action in (CHANGE, DELETE) if has_perm(user, action, obj)}


def roles_of(user) -> Iterable[str]:
    return {a.role for a in active_assignments(user)}


def assignable_units(user, model: type[models.Model], action: str = ADD):
    """The administrative units a user may attach a record of `model` to when adding or changing it."""
    units = _provider("unit_model")._default_manager.all()
    if user.is_superuser:
        return units
    label = label_of(model)
    allowed: Q | None = None
    for assignment in active_assignments(user):
        if action not in actions_for(assignment.role, label):
            continue
        if assignment.admin_unit_id is None:
            return units
        condition = _covered_units(assignment)
        allowed = condition if allowed is None else allowed | condition
    return units.none() if allowed is None else units.filter(allowed)


def restrict_history(history_queryset: models.QuerySet, user, action: str = ADD) -> models.QuerySet:
    """Historical rows (e.g. of deleted records) of a model that `user` could act on if they existed.

    The historical model has the same columns as the live one, so the scope paths apply, except
    that the record's own key is `id` and many-valued relations are not kept: an assignment whose
    path crosses one grants nothing here.
    """
    model = history_queryset.model.instance_type
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return history_queryset.none()
    if user.is_superuser:
        return history_queryset
    label = label_of(model)
    allowed: Q | None = None
    for assignment in active_assignments(user):
        if action not in actions_for(assignment.role, label) or not _reaches(assignment, model):
            continue
        if assignment.admin_unit_id is None and assignment.organization_id is None:
            return history_queryset
        scopes = []
        if assignment.admin_unit_id is not None:
            scopes.append((model.scope_unit_path, _provider("unit_model"), _covered_units(assignment)))
        if assignment.organization_id is not None:
            scopes.append(
                (
                    model.scope_organization_path,
                    _provider("organization_model"),
                    _covered_organizations(assignment),
                )
            )
        if any(path != "pk" and _crosses_many(model, path) for path, _target, _q in scopes):
            continue
        condition = Q()
        for path, target, target_q in scopes:
            ids = _literal_ids(target_q)
            targets = ids if ids is not None else target._default_manager.filter(target_q).values("pk")
            condition &= Q(id__in=targets) if path == "pk" else Q(**{f"{path}__in": targets})
        allowed = condition if allowed is None else allowed | condition
    return history_queryset.none() if allowed is None else history_queryset.filter(allowed)
