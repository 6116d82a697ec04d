import django_tables2 as tables
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from stims.core.tables import DateColumn, record_link

from .models import NewsArticle, NewsCategory, NewsTag, PortalProposal, PublicSession


class NewsArticleTable(tables.Table):
    title = tables.Column(linkify=True)
    publish_at = DateColumn(verbose_name=capfirst(_("publish at")))

    class Meta:
        model = NewsArticle
        fields = ("title", "category", "status", "publish_at", "is_featured", "is_hot", "view_count")
        order_by = ("-publish_at",)


class NewsCategoryTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = NewsCategory
        fields = ("name", "slug", "sort_order")


class NewsTagTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = NewsTag
        fields = ("name", "slug")


class PublicSessionTable(tables.Table):
    session = tables.Column(linkify=record_link)

    class Meta:
        model = PublicSession
        fields = ("session", "public_title")


class PortalProposalTable(tables.Table):
    tracking_code = tables.Column(linkify=True)
    task = tables.Column(linkify=True)  # to the task's page (the object at the column's name)
    created_at = DateColumn(verbose_name=capfirst(_("received on")))

    class Meta:
        model = PortalProposal
        fields = ("tracking_code", "task", "submitter_kind", "organization_name", "created_at")
