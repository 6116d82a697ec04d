from django.urls import path

from . import views

urlpatterns = [
    path("draft/", views.DraftView.as_view(), name="draft"),
    path("draft/confirm/", views.ConfirmDraftView.as_view(), name="draft_confirm"),
]
