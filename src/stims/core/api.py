"""REST API plumbing shared by every domain: the same permission layer as the pages."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from . import permissions
from .api_permissions import ScopedPermission  # noqa: F401  (re-exported for domain apps)


class ScopedViewSetMixin:
    """Rows restricted like the pages; a write that lands outside the user's scope is rolled back."""

    def get_queryset(self):
        return permissions.restrict(super().get_queryset(), self.request.user, permissions.VIEW)

    def _save_in_scope(self, serializer, action):
        with transaction.atomic():
            instance = serializer.save()
            if not permissions.restrict(
                type(instance)._default_manager.filter(pk=instance.pk), self.request.user, action
            ).exists():
                transaction.set_rollback(True)
                raise PermissionDenied(_("You may only save records that belong to your own unit or organization."))

    def perform_create(self, serializer):
        self._save_in_scope(serializer, permissions.ADD)

    def perform_update(self, serializer):
        self._save_in_scope(serializer, permissions.CHANGE)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass
