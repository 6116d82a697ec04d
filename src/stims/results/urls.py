from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import ApplicationReport, Handover, TaskResult

app_name = "results"
urlpatterns = [
    *model_urls(TaskResult, ""),
    *model_urls(Handover, "handovers"),
    *model_urls(ApplicationReport, "applications"),
    path("handovers/<int:pk>/record/", views.HandoverRecordView.as_view(), name="handover_record"),
    path("replication/", views.ReplicationView.as_view(), name="replication"),
    path("options/results/", views.TaskResultOptionsView.as_view(), name="taskresult_options"),
    path("options/tasks/", views.TaskOptionsView.as_view(), name="task_options"),
]
