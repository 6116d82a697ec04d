"""Targets in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ

permissions.register_role_grants({"local_officer": {"registries.target": READ}})
