from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import (
    AgendaItem,
    Directive,
    LocalityRequest,
    Participant,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)
from .urls_dashboards import urlpatterns as dashboard_patterns

app_name = "meetings"
urlpatterns = [
    *dashboard_patterns,
    path("sessions/options/", views.WorkingSessionOptionsView.as_view(), name="workingsession_options"),
    path("directives/options/", views.DirectiveOptionsView.as_view(), name="directive_options"),
    path(
        "organizations/checkboxes/",
        views.OrganizationCheckboxesView.as_view(),
        name="organization_checkboxes",
    ),
    path(
        "documents/<int:pk>/download/",
        views.SessionDocumentDownloadView.as_view(),
        name="sessiondocument_download",
    ),
    path("directives/<int:pk>/move/<slug:action>/", views.DirectiveMoveView.as_view(), name="directive_move"),
    path(
        "directive-reports/<int:pk>/evidence/",
        views.DirectiveReportEvidenceView.as_view(),
        name="directivereport_evidence",
    ),
    *model_urls(WorkingSession, "sessions"),
    *model_urls(Participant, "participants"),
    *model_urls(AgendaItem, "agenda-items"),
    *model_urls(SessionDocument, "documents"),
    *model_urls(SessionFigure, "figures"),
    *model_urls(LocalityRequest, "requests"),
    *model_urls(Directive, "directives"),
]
