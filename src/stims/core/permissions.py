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

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)
READ = frozenset({VIEW})
WRITE = frozenset({VIEW, ADD, CHANGE})
FULL = frozenset(ACTIONS)
ANY_MODEL = "*"

# role -> {model label: actions}; ANY_MODEL is the default for models not named. Later domains add
# their models here, so the whole matrix reads as one table (and one test checks it end to end).
ROLE_MATRIX: dict[str, dict[str, frozenset[str]]] = {
    "leader": {ANY_MODEL: FULL, "geo.adminunit": READ, "accounts.user": READ},
    "specialist": {ANY_MODEL: WRITE, "geo.adminunit": READ, "accounts.user": READ},
    # Inspectors read everything; they record the labelling guidance they give.
    "inspector": {ANY_MODEL: READ, "products.labellingguidance": WRITE},
    "local_officer": {
        "geo.adminunit": READ,
        "orgs.organization": WRITE,
        "orgs.person": WRITE,
        "orgs.position": WRITE,
        "orgs.localbody": WRITE,
        "orgs.localbodymember": WRITE,
        # Registries: localities keep their own products, IP assets, enterprises and startups.
        "products.product": WRITE,
        "products.ocopevaluation": WRITE,
        "products.traceability": WRITE,
        "products.labellingguidance": READ,  # guidance is given by the department's inspectors
        "products.qualitydeclaration": WRITE,
        "ip.ipasset": WRITE,
        "ip.ipstatusevent": WRITE,
        "ip.iprenewal": WRITE,
        "ip.ipauthorizeduser": WRITE,
        "enterprises.stenterprise": READ,  # certificates are issued by the department
        "enterprises.strevenueshare": READ,
        "enterprises.stincentive": READ,
        "enterprises.startup": WRITE,
        "enterprises.startupfounder": WRITE,
        "enterprises.startupsupport": WRITE,
        "registries.target": READ,
        # S&T tasks: a locality proposes and orders tasks, attaches their papers, and follows them;
        # the department runs the councils, contracts and money. Localities report where the results
        # handed to them are applied, and what they spent of the S&T budget allocated to them.
        "sttasks.task": WRITE,
        "sttasks.taskmember": WRITE,
        "sttasks.document": WRITE,
        "sttasks.taskevent": READ,
        "sttasks.progressreport": READ,
        "funding.budgetline": READ,
        "funding.tranche": READ,
        "funding.disbursement": READ,
        "funding.settlement": READ,
        "funding.allocation": READ,
        "funding.allocationspending": WRITE,
        "results.taskresult": READ,
        "results.handover": READ,
        "results.applicationreport": WRITE,
        # Working sessions: a locality reads the sessions held with it and reports on the directives
        # its own units lead (the directive services check the lead unit); the department records them.
        "meetings.workingsession": READ,
        "meetings.participant": READ,
        "meetings.agendaitem": READ,
        "meetings.sessiondocument": READ,
        "meetings.sessionfigure": READ,
        "meetings.localityrequest": READ,
        "meetings.directive": READ,
        "meetings.directivereport": WRITE,
        "meetings.directiveevent": READ,
    },
    # Council members read the tasks and councils and enter score sheets (their own: see councils).
    "council_member": {
        "geo.adminunit": READ,
        "orgs.organization": READ,
        "orgs.person": READ,
        "sttasks.task": READ,
        "sttasks.document": READ,
        "councils.council": READ,
        "councils.councilmember": READ,
        "councils.councildossier": READ,
        "councils.criteriaset": READ,
        "councils.criterion": READ,
        "councils.scoresheet": WRITE,
    },
    "viewer": {ANY_MODEL: READ},
}

# Models every signed-in user may read whatever their scope: public reference data.
REFERENCE_MODELS = frozenset(
    {
        "geo.adminunit",
        "products.productgroup",
        "products.starband",
        "ip.iptype",
        "ip.ipstatus",
        "sttasks.tasktype",
        "sttasks.programme",
        "sttasks.sciencefield",
        "sttasks.workflowstate",
        "sttasks.workflowtransition",
        "sttasks.documentkind",
        "councils.ratinglevel",
    }
)


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
        from stims.accounts.models import RoleAssignment

        cached = list(RoleAssignment.objects.active().filter(user=user).select_related("admin_unit"))
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
        from stims.geo.services import covered_units_q

        assignment._covered_units_q = covered_units_q(assignment.admin_unit)
    return assignment._covered_units_q


def _covered_organizations(assignment) -> Q:
    if not hasattr(assignment, "_covered_organizations_q"):
        from stims.orgs.services import organization_subtree_q

        assignment._covered_organizations_q = organization_subtree_q(assignment.organization_id)
    return assignment._covered_organizations_q


def _scope_q(assignment, model: type[models.Model]) -> Q | None:
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
    if path == "pk":  # the model is itself the scope (organizations, units)
        return Q(pk__in=model._default_manager.filter(target_q).values("pk"))
    target_model = _target_model(model, path)
    targets = target_model._default_manager.filter(target_q).values("pk")
    if "__" in path and _crosses_many(model, path):
        return Q(pk__in=model._default_manager.filter(**{f"{path}__in": targets}).values("pk"))
    return Q(**{f"{path}__in": targets})


def _walk(model: type[models.Model], path: str):
    current = model
    for name in path.split("__"):
        field = current._meta.get_field(name)
        yield field
        current = field.related_model


def _target_model(model, path):
    *_, last = _walk(model, path)
    return last.related_model


def _crosses_many(model, path) -> bool:
    return any(field.many_to_many or field.one_to_many for field in _walk(model, path))


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The part of `queryset` that `user` may act on with `action`."""
    model = queryset.model
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    label = label_of(model)
    assignments = active_assignments(user)
    if action == VIEW and label in REFERENCE_MODELS and assignments:
        return queryset
    allowed: Q | None = None
    for assignment in assignments:
        if action not in actions_for(assignment.role, label):
            continue
        condition = _scope_q(assignment, model)
        if condition is None:
            continue
        if not condition:  # deployment-wide: nothing narrower can widen it
            return queryset
        allowed = condition if allowed is None else allowed | condition
    return queryset.none() if allowed is None else queryset.filter(allowed)


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
    return restrict(type(target)._default_manager.filter(pk=target.pk), user, action).exists()


def require(user, action: str, target) -> None:
    if not has_perm(user, action, target):
        raise PermissionDenied


def allowed_actions(user, obj: models.Model) -> set[str]:
    return {action for action in (CHANGE, DELETE) if has_perm(user, action, obj)}


def roles_of(user) -> Iterable[str]:
    return {a.role for a in active_assignments(user)}


def assignable_units(user, model: type[models.Model], action: str = ADD):
    """The administrative units a user may attach a record of `model` to when adding or changing it."""
    from stims.geo.models import AdminUnit

    units = AdminUnit.objects.all()
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
            scopes.append((model.scope_unit_path, "geo.AdminUnit", _covered_units(assignment)))
        if assignment.organization_id is not None:
            scopes.append(
                (model.scope_organization_path, "orgs.Organization", _covered_organizations(assignment))
            )
        condition: Q | None = Q()
        for path, target, target_q in scopes:
            if path != "pk" and _crosses_many(model, path):
                condition = None
                break
            targets = apps.get_model(target)._default_manager.filter(target_q).values("pk")
            condition &= Q(id__in=targets) if path == "pk" else Q(**{f"{path}__in": targets})
        if condition is None:
            continue
        allowed = condition if allowed is None else allowed | condition
    return history_queryset.none() if allowed is None else history_queryset.filter(allowed)
