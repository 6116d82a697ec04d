from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("templates/", views.ReportTemplateListView.as_view(), name="reporttemplate_list"),
    path("<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("<int:pk>/download/", views.ReportDownloadView.as_view(), name="report_download"),
]
