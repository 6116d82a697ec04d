"""The portal's rule beyond the role matrix (django-rules, `stims.core.rules`):

    APPROVE_ARTICLE  approve an article awaiting approval, or send it back: department staff who may
                     change it and did not write it (the second person of "review, then publish")

Writing an article, sending it for approval and making a working session public are the matrix's
(`change` on portal.newsarticle, `add` on portal.publicsession: the department's staff). Asked by the
article's page (its buttons and the move views) through the services (`services.py`).
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules

APPROVE_ARTICLE = "portal.approve_article"


@rules.predicate
def may_change(user, obj) -> bool:
    return obj is None or permissions.has_perm(user, permissions.CHANGE, obj)


@rules.predicate
def is_not_author(user, article) -> bool:
    return article is None or article.author_id != user.pk


RULES = {APPROVE_ARTICLE: is_department_staff & may_change & is_not_author}

REFUSALS = {
    APPROVE_ARTICLE: _(
        "An article is approved by a member of the department's staff other than the one who wrote it."
    ),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
require = core_rules.require
