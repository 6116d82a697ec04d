"""Named rules, one mechanism for every app (django-rules).

An app's `rules.py` declares its predicates, one rule per action (`RULES`: name → predicate) and the
reason a refusal gives (`REFUSALS`: name → text), then calls `register(RULES, REFUSALS)`. Every path
asks `has(name, user, obj)`, and a refusal says `refusal(name, **values)` (or `require` raises it).
Rule names carry their app's label ("sttasks.change_task"), so one registry serves all.

A refusal on a page is `RuleRefused` (a PermissionDenied carrying the rule's reason): the 403 page shows
that reason (`stims.core.denied`), and only that; any other PermissionDenied shows the generic text.
A reason names at most the record asked about, which the user may see (a record outside their scope is
a 404 before any rule is asked).
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied

_REFUSALS: dict = {}


class RuleRefused(PermissionDenied):
    """A named rule's refusal (403), whose reason the 403 page shows to the user."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else ""


@rules.predicate
def is_active_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def register(predicates: dict, refusals: dict) -> None:
    """Adds each rule to django-rules' permission set, and its refusal to the reasons `refusal` gives."""
    for name, predicate in predicates.items():
        rules.add_perm(name, predicate)
    _REFUSALS.update(refusals)


def has(name: str, user, obj=None) -> bool:
    """Whether `user` passes the rule `name` (for `obj`)."""
    return rules.has_perm(name, user, obj)


def refusal(name: str, **values) -> str:
    """The reason a refusal of rule `name` gives, filled in with `values`."""
    text = str(_REFUSALS[name])
    return text % values if values else text


def names() -> list[str]:
    """Every registered rule's name (the ones with a refusal), sorted."""
    return sorted(_REFUSALS)


def deny(name: str, **values) -> RuleRefused:
    """The refusal of rule `name` as an exception to raise (403 with its reason)."""
    return RuleRefused(refusal(name, **values))


def require(name: str, user, obj=None, **values) -> None:
    """`RuleRefused` (a PermissionDenied) with the rule's reason unless `user` passes the rule `name`
    (for `obj`)."""
    if not has(name, user, obj):
        raise deny(name, **values)
