from django.urls import path

from stims.core.views import crud_urls

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
    *crud_urls(WorkingSession, views.session_views, "sessions"),
    *crud_urls(Participant, views.participant_views, "participants"),
    *crud_urls(AgendaItem, views.agenda_views, "agenda-items"),
    *crud_urls(SessionDocument, views.document_views, "documents"),
    *crud_urls(SessionFigure, views.figure_views, "figures"),
    *crud_urls(LocalityRequest, views.request_views, "requests"),
    *crud_urls(Directive, views.directive_views, "directives"),
]
