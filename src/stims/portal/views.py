"""The portal's staff pages: news (write, send for approval, approve or send back, withdraw),
categories, tags, the public calendar entries and the proposals received. The public pages are in
public_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core.views import (
    DeletedObjectsView,
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)

from . import cache, filters, forms, rules, services, tables
from .models import ArticleStatus, NewsArticle, NewsCategory, NewsTag, PortalProposal, PublicSession

# --- News ------------------------------------------------------------------------------------------


class ArticleRowsMixin:
    def base_queryset(self):
        return NewsArticle.objects.select_related("category", "author", "approved_by")


@register_model_view(NewsArticle, "list")
class NewsArticleListView(ArticleRowsMixin, ObjectListView):
    model = NewsArticle
    table_class = tables.NewsArticleTable
    filterset_class = filters.NewsArticleFilterSet


@register_model_view(NewsArticle, "detail")
class NewsArticleDetailView(ArticleRowsMixin, ObjectDetailView):
    model = NewsArticle

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article, user = self.object, self.request.user
        context["can_submit"] = not services.submit_problems(article, user)
        context["can_approve"] = not services.approve_problems(article, user)
        context["approve_refusal"] = (
            rules.core_rules.refusal(rules.APPROVE_ARTICLE)
            if article.status == ArticleStatus.REVIEW and not rules.has(rules.APPROVE_ARTICLE, user, article)
            else ""
        )
        context["can_withdraw"] = article.status == ArticleStatus.APPROVED and permissions.has_perm(
            user, permissions.CHANGE, article
        )
        return context


@register_model_view(NewsArticle, "add")
class NewsArticleCreateView(ObjectCreateView):
    model = NewsArticle
    form_class = forms.NewsArticleForm
    template_name = "portal/newsarticle_form.html"

    def form_valid(self, form):
        form.instance.author = self.request.user
        return super().form_valid(form)


@register_model_view(NewsArticle, "edit")
class NewsArticleUpdateView(ArticleRowsMixin, ObjectUpdateView):
    model = NewsArticle
    form_class = forms.NewsArticleForm
    template_name = "portal/newsarticle_form.html"

    def form_valid(self, form):
        # A changed article is approved again before the public sees the change.
        if form.instance.status != ArticleStatus.DRAFT:
            form.instance.status = ArticleStatus.DRAFT
            form.instance.approved_by = None
            form.instance.approved_at = None
            cache.invalidate()
        return super().form_valid(form)


@register_model_view(NewsArticle, "delete")
class NewsArticleDeleteView(ArticleRowsMixin, ObjectDeleteView):
    model = NewsArticle


@register_model_view(NewsArticle, "deleted")
class NewsArticleDeletedView(DeletedObjectsView):
    model = NewsArticle


class ArticleMoveView(ArticleRowsMixin, ModelPermissionMixin, generic.View):
    """POST only: one move of the news workflow; the refusal's reasons shown on the article's page."""

    model = NewsArticle
    http_method_names = ["post"]
    done_message = ""

    def move(self, article):
        raise NotImplementedError

    def post(self, request, pk):
        article = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            self.move(article)
        except ValidationError as exc:
            for reason in exc.messages:
                messages.error(request, reason)
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(article.get_absolute_url())


class NewsArticleSubmitView(ArticleMoveView):
    def move(self, article):
        self.done_message = _("The article was sent for approval.")
        services.submit(article, self.request.user)


class NewsArticleApproveView(ArticleMoveView):
    def move(self, article):
        self.done_message = _("The article was approved; it is published at its publication time.")
        services.approve(article, self.request.user)


class NewsArticleSendBackView(ArticleMoveView):
    def move(self, article):
        self.done_message = _("The article was sent back to its writer.")
        services.send_back(article, self.request.user, self.request.POST.get("reason", ""))


class NewsArticleWithdrawView(ArticleMoveView):
    def move(self, article):
        self.done_message = _("The article was withdrawn from the portal.")
        services.withdraw(article, self.request.user)


# --- Categories and tags ---------------------------------------------------------------------------


@register_model_view(NewsCategory, "list")
class NewsCategoryListView(ObjectListView):
    model = NewsCategory
    table_class = tables.NewsCategoryTable
    filterset_class = filters.NewsCategoryFilterSet


@register_model_view(NewsCategory, "detail")
class NewsCategoryDetailView(ObjectDetailView):
    model = NewsCategory


@register_model_view(NewsCategory, "add")
class NewsCategoryCreateView(ObjectCreateView):
    model = NewsCategory
    form_class = forms.NewsCategoryForm


@register_model_view(NewsCategory, "edit")
class NewsCategoryUpdateView(ObjectUpdateView):
    model = NewsCategory
    form_class = forms.NewsCategoryForm


@register_model_view(NewsCategory, "delete")
class NewsCategoryDeleteView(ObjectDeleteView):
    model = NewsCategory


@register_model_view(NewsTag, "list")
class NewsTagListView(ObjectListView):
    model = NewsTag
    table_class = tables.NewsTagTable
    filterset_class = filters.NewsTagFilterSet


@register_model_view(NewsTag, "detail")
class NewsTagDetailView(ObjectDetailView):
    model = NewsTag


@register_model_view(NewsTag, "add")
class NewsTagCreateView(ObjectCreateView):
    model = NewsTag
    form_class = forms.NewsTagForm


@register_model_view(NewsTag, "edit")
class NewsTagUpdateView(ObjectUpdateView):
    model = NewsTag
    form_class = forms.NewsTagForm


@register_model_view(NewsTag, "delete")
class NewsTagDeleteView(ObjectDeleteView):
    model = NewsTag


# --- The public calendar ---------------------------------------------------------------------------


class PublicSessionRowsMixin:
    def base_queryset(self):
        return PublicSession.objects.select_related("session")


@register_model_view(PublicSession, "list")
class PublicSessionListView(PublicSessionRowsMixin, ObjectListView):
    model = PublicSession
    table_class = tables.PublicSessionTable
    filterset_class = filters.PublicSessionFilterSet


@register_model_view(PublicSession, "detail")
class PublicSessionDetailView(PublicSessionRowsMixin, ObjectDetailView):
    model = PublicSession


@register_model_view(PublicSession, "add")
class PublicSessionCreateView(ObjectCreateView):
    model = PublicSession
    form_class = forms.PublicSessionForm


@register_model_view(PublicSession, "edit")
class PublicSessionUpdateView(PublicSessionRowsMixin, ObjectUpdateView):
    model = PublicSession
    form_class = forms.PublicSessionForm


@register_model_view(PublicSession, "delete")
class PublicSessionDeleteView(PublicSessionRowsMixin, ObjectDeleteView):
    model = PublicSession


# --- Proposals received ----------------------------------------------------------------------------


class ProposalRowsMixin:
    def base_queryset(self):
        return PortalProposal.objects.select_related("task", "task__ordering_unit")


@register_model_view(PortalProposal, "list")
class PortalProposalListView(ProposalRowsMixin, ObjectListView):
    model = PortalProposal
    table_class = tables.PortalProposalTable
    filterset_class = filters.PortalProposalFilterSet


@register_model_view(PortalProposal, "detail")
class PortalProposalDetailView(ProposalRowsMixin, ObjectDetailView):
    model = PortalProposal
