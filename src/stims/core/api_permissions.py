"""DRF permission class over the STIMS permission layer.

Kept apart from `core.api` because REST_FRAMEWORK settings import it while DRF's own views module is
still loading.
"""

from rest_framework import permissions as drf_permissions

from . import permissions

_METHOD_ACTIONS = {
    "GET": permissions.VIEW,
    "HEAD": permissions.VIEW,
    "OPTIONS": permissions.VIEW,
    "POST": permissions.ADD,
    "PUT": permissions.CHANGE,
    "PATCH": permissions.CHANGE,
    "DELETE": permissions.DELETE,
}


class ScopedPermission(drf_permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method not in _METHOD_ACTIONS:
            return True  # TRACE and the like: no handler, so DRF answers 405
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return bool(request.user and request.user.is_authenticated)
        return permissions.has_perm(request.user, _METHOD_ACTIONS[request.method], model)

    def has_object_permission(self, request, view, obj):
        if request.method not in _METHOD_ACTIONS:
            return False
        return permissions.has_perm(request.user, _METHOD_ACTIONS[request.method], obj)
