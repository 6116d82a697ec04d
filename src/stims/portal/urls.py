from django.contrib.sitemaps.views import sitemap
from django.urls import path

from stims.core.views import model_urls

from . import public_views, views
from .models import NewsArticle, NewsCategory, NewsTag, PortalProposal, PublicSession

app_name = "portal"

urlpatterns = [
    # Public pages (no sign-in). The front page `/` is this index for anonymous visitors (site.HomeView).
    path("", public_views.PortalHomeView.as_view(), name="index"),
    path("news/", public_views.NewsListView.as_view(), name="news_list"),
    path("news/category/<slug:category>/", public_views.NewsListView.as_view(), name="news_category"),
    path("news/tag/<slug:tag>/", public_views.NewsListView.as_view(), name="news_tag"),
    path("news/rss/", public_views.NewsRssFeed(), name="news_rss"),
    path("news/atom/", public_views.NewsAtomFeed(), name="news_atom"),
    path("news/image/<int:pk>/<str:size>/", public_views.NewsImageView.as_view(), name="news_image"),
    path("news/<slug:slug>/", public_views.NewsDetailView.as_view(), name="news_detail"),
    path("calendar/", public_views.CalendarView.as_view(), name="calendar"),
    path("data/", public_views.CatalogueIndexView.as_view(), name="catalogues"),
    path("data/<slug:key>/", public_views.CatalogueListView.as_view(), name="catalogue"),
    path(
        "data/<slug:key>.<str:fmt>", public_views.CatalogueDownloadView.as_view(), name="catalogue_download"
    ),
    path("data/<slug:key>/<int:pk>/", public_views.CatalogueRecordView.as_view(), name="catalogue_record"),
    path("proposals/new/", public_views.ProposalCreateView.as_view(), name="proposal"),
    path("proposals/track/", public_views.ProposalTrackView.as_view(), name="track"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": public_views.SITEMAPS, "template_name": "portal/sitemap.xml"},
        name="sitemap",
    ),
    # Staff pages.
    *model_urls(NewsArticle, "manage/news"),
    path("manage/news/<int:pk>/submit/", views.NewsArticleSubmitView.as_view(), name="newsarticle_submit"),
    path("manage/news/<int:pk>/approve/", views.NewsArticleApproveView.as_view(), name="newsarticle_approve"),
    path(
        "manage/news/<int:pk>/send-back/",
        views.NewsArticleSendBackView.as_view(),
        name="newsarticle_send_back",
    ),
    path(
        "manage/news/<int:pk>/withdraw/", views.NewsArticleWithdrawView.as_view(), name="newsarticle_withdraw"
    ),
    *model_urls(NewsCategory, "manage/categories"),
    *model_urls(NewsTag, "manage/tags"),
    *model_urls(PublicSession, "manage/calendar"),
    *model_urls(PortalProposal, "manage/proposals"),
]
