"""The news workflow: draft → awaiting approval → approved (live from `publish_at`), or back to draft.

Each move goes through `core.transitions.apply_locked` (row locked, every reason given, nothing changed
on a refusal) and asks the named rules of `rules.py`; an editor never approves their own article.

Events (stims.core.events), after the change is committed:
    portal.article_submitted   article, actor
    portal.article_approved    article, actor
    portal.article_returned    article, actor, reason
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from stims.core import events, permissions
from stims.core.transitions import apply_locked

from . import cache, rules
from .models import ArticleStatus, NewsArticle


def submit_problems(article, user) -> list[str]:
    found = []
    if not permissions.has_perm(user, permissions.CHANGE, article):
        found.append(_("You may not change this article."))
    if article.status != ArticleStatus.DRAFT:
        found.append(_("Only a draft is sent for approval."))
    return found


def approve_problems(article, user) -> list[str]:
    found = []
    if not rules.has(rules.APPROVE_ARTICLE, user, article):
        found.append(rules.core_rules.refusal(rules.APPROVE_ARTICLE))
    if article.status != ArticleStatus.REVIEW:
        found.append(_("Only an article awaiting approval is approved or sent back."))
    return found


def _save(article, user, reason, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    article._history_user = user
    article._change_reason = reason
    article.save(update_fields=[*fields, "updated_at"])


def submit(article, user):
    def apply(row):
        _save(row, user, _("Sent for approval"), status=ArticleStatus.REVIEW)
        events.emit("portal.article_submitted", article=row, actor=user)
        return row

    return apply_locked(
        NewsArticle.objects.all(), article.pk, problems=lambda row: submit_problems(row, user), apply=apply
    )


def approve(article, user):
    def apply(row):
        _save(
            row,
            user,
            _("Approved for publication"),
            status=ArticleStatus.APPROVED,
            approved_by=user,
            approved_at=timezone.now(),
        )
        events.emit("portal.article_approved", article=row, actor=user)
        cache.invalidate()
        return row

    return apply_locked(
        NewsArticle.objects.all(), article.pk, problems=lambda row: approve_problems(row, user), apply=apply
    )


def send_back(article, user, reason: str):
    reason = (reason or "").strip()

    def problems(row):
        found = approve_problems(row, user)
        if not reason:
            found.append(_("Give the reason the article is sent back."))
        return found

    def apply(row):
        _save(row, user, _("Sent back: %(reason)s") % {"reason": reason[:200]}, status=ArticleStatus.DRAFT)
        events.emit("portal.article_returned", article=row, actor=user, reason=reason)
        return row

    return apply_locked(NewsArticle.objects.all(), article.pk, problems=problems, apply=apply)


def withdraw(article, user):
    """Take a live or approved article off the portal (back to draft): whoever may approve it."""

    def apply(row):
        _save(
            row,
            user,
            _("Withdrawn from the portal"),
            status=ArticleStatus.DRAFT,
            approved_by=None,
            approved_at=None,
        )
        cache.invalidate()
        return row

    def problems(row):
        found = []
        if not permissions.has_perm(user, permissions.CHANGE, row):
            found.append(_("You may not change this article."))
        if row.status != ArticleStatus.APPROVED:
            found.append(_("Only an approved article is withdrawn."))
        return found

    return apply_locked(NewsArticle.objects.all(), article.pk, problems=problems, apply=apply)
