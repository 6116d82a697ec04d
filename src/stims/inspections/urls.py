from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Violation,
)

app_name = "inspections"
urlpatterns = [
    path("", views.QualityDashboardView.as_view(), name="dashboard"),
    path("establishments/options/", views.EstablishmentOptionsView.as_view(), name="establishment_options"),
    path(
        "inspections/<int:pk>/move/<slug:action>/", views.InspectionMoveView.as_view(), name="inspection_move"
    ),
    *model_urls(Establishment, "establishments"),
    *model_urls(InspectionPlan, "plans"),
    *model_urls(InspectionDecision, "decisions"),
    *model_urls(Inspection, "inspections"),
    *model_urls(Violation, "violations"),
    *model_urls(Sanction, "sanctions"),
    *model_urls(FollowUp, "follow-ups"),
    *model_urls(MeasuringInstrument, "instruments"),
    *model_urls(RadiationSource, "radiation-sources"),
    *model_urls(RadiationLicence, "radiation-licences"),
]
