import django_filters

from stims.core.filters import SearchFilterSet

from .models import NewsArticle, NewsCategory, NewsTag, PortalProposal, PublicSession


class NewsArticleFilterSet(SearchFilterSet):
    class Meta:
        model = NewsArticle
        fields = ["q", "category", "status", "is_featured", "is_hot"]


class NewsCategoryFilterSet(django_filters.FilterSet):
    class Meta:
        model = NewsCategory
        fields = []


class NewsTagFilterSet(django_filters.FilterSet):
    class Meta:
        model = NewsTag
        fields = []


class PublicSessionFilterSet(django_filters.FilterSet):
    class Meta:
        model = PublicSession
        fields = []


class PortalProposalFilterSet(django_filters.FilterSet):
    class Meta:
        model = PortalProposal
        fields = ["submitter_kind"]
