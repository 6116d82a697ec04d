"""Organizations named in an Excel import (`stims.core.imports`): found by name among those the
importing user may see, case and diacritics folded. Used by the ISO 9001 and initiatives imports.

No importer is registered here (the framework's autodiscovery of `imports` modules finds none)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stims.core import permissions
from stims.core.imports import fold

from .models import Organization


class OrganizationIndex:
    """The organizations of `kinds` the user may see, by folded name, read once per workbook.

    An organization the user may not see is "not in the directory", exactly as a name on record
    nowhere is: a workbook cannot probe other localities' directory."""

    def __init__(self, user, kinds=None):
        self.user, self.kinds = user, kinds
        self._index: dict[str, list[Organization]] | None = None

    def index(self) -> dict[str, list[Organization]]:
        if self._index is None:
            queryset = Organization.objects.select_related("admin_unit")
            if self.kinds:
                queryset = queryset.filter(kind__in=self.kinds)
            index: dict[str, list[Organization]] = {}
            for org in permissions.restrict(queryset, self.user, permissions.VIEW).order_by("pk"):
                index.setdefault(fold(org.name), []).append(org)
            self._index = index
        return self._index

    def find(self, name: str) -> tuple[Organization | None, str]:
        """(the organization, "") or (None, why not) for a name as written in a cell."""
        found = self.index().get(fold(name), [])
        exact = [o for o in found if o.name == name]
        found = exact or found
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("“%(name)s” names several agencies of the directory; write its full name") % {
                "name": name
            }
        if self.kinds:
            return None, _(
                "no state agency named “%(name)s” in the directory (a department or a People's Committee)"
            ) % {"name": name}
        return None, _("no agency named “%(name)s” in the directory") % {"name": name}
