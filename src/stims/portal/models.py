"""The public portal's own records: news (with its review-then-publish workflow), the sessions of the
leaders' work calendar made public, proposals received from the public, and daily visit counts.

Everything else the portal shows is read from the domains (results, OCOP products, IP assets, S&T
enterprises, tasks) through `stims.portal.public`, which names the public fields and rows.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel
from stims.core.text import fold

from . import images, sanitize


class NewsCategory(AuditedModel):
    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("address"), max_length=150, unique=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(fold(self.name))[:150]
        super().save(*args, **kwargs)

    def get_public_url(self) -> str:
        return reverse("portal:news_category", args=[self.slug])


class NewsTag(AuditedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address"), max_length=100, unique=True, blank=True)

    class Meta:
        verbose_name = _("news tag")
        verbose_name_plural = _("news tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(fold(self.name))[:100]
        super().save(*args, **kwargs)


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Awaiting approval")
    APPROVED = "approved", _("Approved")


class PublishedArticles(models.QuerySet):
    def public(self):
        """What the public may read: approved, and its publication time has come."""
        return self.filter(status=ArticleStatus.APPROVED, publish_at__lte=timezone.now())


class NewsArticle(SearchableModel, AuditedModel):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=200, unique=True, blank=True)
    category = models.ForeignKey(
        NewsCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(NewsTag, verbose_name=_("tags"), blank=True, related_name="articles")
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown in lists and to search engines."))
    body = models.TextField(_("content"))
    image = models.ImageField(_("image"), upload_to="portal/news/%Y/", blank=True, max_length=200)
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    is_hot = models.BooleanField(_("hot news"), default=False)
    publish_at = models.DateTimeField(
        _("publish at"), help_text=_("The article goes live at this time once approved.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, editable=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = PublishedArticles.as_manager()
    search_fields = ("title", "summary", "body_text")
    search_name_field = "title"
    text_limits = {"body": 200_000}

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-publish_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="portal_news_live"),
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 20,000 articles, 16 ms a page without it).
            models.Index(fields=["-publish_at", "id"], name="portal_news_list_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def body_text(self) -> str:
        return sanitize.plain_text(self.body)

    @property
    def is_public(self) -> bool:
        return self.status == ArticleStatus.APPROVED and self.publish_at <= timezone.now()

    def description(self) -> str:
        text = self.summary or self.body_text
        return text[:200]

    def save(self, *args, **kwargs):
        self.body = sanitize.clean(self.body)
        if not self.slug:
            base = slugify(fold(self.title))[:180] or "tin"
            slug, n = base, 1
            while NewsArticle.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            self.slug = slug
        super().save(*args, **kwargs)
        if self.image and not default_storage.exists(images.rendition_name(self.image.name, "thumb")):
            images.make_renditions(self.image.name)

    def get_public_url(self) -> str:
        return reverse("portal:news_detail", args=[self.slug])


class PublicSession(AuditedModel):
    """A working session of the leaders' calendar (meetings) that the department made public."""

    session = models.OneToOneField(
        "meetings.WorkingSession",
        verbose_name=_("working session"),
        on_delete=models.CASCADE,
        related_name="publication",
    )
    public_title = models.CharField(
        _("title shown to the public"), max_length=500, blank=True, help_text=_("Empty: the session's title.")
    )

    scope_unit_path = "session__admin_unit"
    scope_organization_path = "session__host_organization"

    class Meta:
        verbose_name = _("public calendar entry")
        verbose_name_plural = _("public calendar entries")
        ordering = ["-session__held_on"]

    def __str__(self) -> str:
        return self.public_title or self.session.title


def new_tracking_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "DX-" + "".join(secrets.choice(alphabet) for _ in range(10))


class SubmitterKind(models.TextChoices):
    COMMUNE = "commune", _("Commune or ward")
    INSTITUTE = "institute", _("Institute, university or research body")
    ENTERPRISE = "enterprise", _("Enterprise or cooperative")


class PortalProposal(AuditedModel):
    """A task proposal (đề xuất đặt hàng) received through the portal: the task it became, who sent it
    (kept for the department, never shown on the portal) and the code the sender follows it with."""

    tracking_code = models.CharField(
        _("tracking code"), max_length=20, unique=True, default=new_tracking_code
    )
    task = models.OneToOneField(
        "sttasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="portal_proposal"
    )
    submitter_kind = models.CharField(_("sender"), max_length=20, choices=SubmitterKind.choices)
    organization_name = models.CharField(_("name of the commune, institute or enterprise"), max_length=300)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)

    scope_unit_path = "task__ordering_unit"

    class Meta:
        verbose_name = _("proposal received on the portal")
        verbose_name_plural = _("proposals received on the portal")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.tracking_code


class DailyVisits(models.Model):
    """Visitors counted per day: a number only (who visited is never stored; see visitors.py)."""

    day = models.DateField(_("day"), unique=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("daily visitors")
        verbose_name_plural = _("daily visitors")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.visitors}"
