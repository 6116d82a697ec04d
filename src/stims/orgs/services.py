"""Organization queries shared with the permission layer."""

from django.db.models import Q

from .models import Organization


def organization_subtree_ids(root_id: int) -> set[int]:
    """The organization and every organization under it (divisions, centres…)."""
    ids, frontier = {root_id}, {root_id}
    while frontier:
        frontier = set(Organization.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def organization_subtree_q(root_id: int) -> Q:
    return Q(pk__in=organization_subtree_ids(root_id))
