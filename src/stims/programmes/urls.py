from django.urls import include, path

from stims.core.views import model_urls

from . import views
from .models import (
    Activity,
    Agreement,
    AgreementReview,
    BodyMeeting,
    Commitment,
    DocumentLink,
    DocumentReview,
    LegalDocument,
    LocalOfficer,
    Plan,
    PlanLink,
    ProgressEntry,
    Target,
)

app_name = "programmes"

urlpatterns = [
    *model_urls(Plan, "plans"),
    *model_urls(Target, "targets"),
    *model_urls(ProgressEntry, "progress"),
    *model_urls(PlanLink, "plan-links"),
    path("documents/options/", views.LegalDocumentOptionsView.as_view(), name="legaldocument_options"),
    *model_urls(LegalDocument, "documents"),
    *model_urls(DocumentLink, "document-links"),
    *model_urls(DocumentReview, "document-reviews"),
    *model_urls(Agreement, "agreements"),
    *model_urls(Commitment, "commitments"),
    *model_urls(AgreementReview, "agreement-reviews"),
    *model_urls(Activity, "activities"),
    *model_urls(BodyMeeting, "body-meetings"),
    *model_urls(LocalOfficer, "officers"),
    path(
        "documents/<int:pk>/move/<slug:move>/",
        views.LegalDocumentMoveView.as_view(),
        name="legaldocument_move",
    ),
    path("activities/report/", views.ActivityReportView.as_view(), name="activity_report"),
    path("plans/behind/", views.BehindPlansView.as_view(), name="behind"),
    path("", include("stims.programmes.urls_imports")),
]
