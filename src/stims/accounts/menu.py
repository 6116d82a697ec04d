"""User management in the navigation: shown to the department's administrator only.

The menu shows an item to whom its `allowed` check answers true (the page's own rule, MANAGE_USERS); a
menu without that check could only show it to everyone who may read users (leaders, specialists), who
would get 403, so then the item is not registered and the administrator reaches the pages from their
account page ("My account" → "Users and roles").
"""

import inspect
from typing import Any

from django.utils.translation import gettext_lazy as _

from stims.core import rules as core_rules
from stims.core.context_processors import register_item, register_section

from .rules import MANAGE_USERS


def may_manage_users(user) -> bool:
    return core_rules.has(MANAGE_USERS, user)


if "allowed" in inspect.signature(register_item).parameters:
    page_check: dict[str, Any] = {"allowed": may_manage_users}
    register_section("administration", _("Administration"), 900)
    register_item(
        "administration", _("Users and roles"), "accounts:user_list", "accounts.User", 10, **page_check
    )
    register_item(
        "administration", _("E-mails not sent"), "accounts:failed_emails", "accounts.User", 20, **page_check
    )
