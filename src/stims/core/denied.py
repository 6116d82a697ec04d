"""The 403 page (`handler403`): the generic text, and a named rule's reason when the refusal is one
(`stims.core.rules.RuleRefused`). Any other PermissionDenied shows only the generic text, whatever it
carries, so a page never says more than the rule's own reason."""

from __future__ import annotations

from django.shortcuts import render

from .rules import RuleRefused


def permission_denied(request, exception=None):
    reason = exception.reason if isinstance(exception, RuleRefused) else ""
    return render(request, "403.html", {"reason": reason}, status=403)
