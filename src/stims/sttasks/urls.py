from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import Call, Document, ProgressReport, Task, TaskMember
from .urls_imports import urlpatterns as import_patterns

app_name = "sttasks"


urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("my-actions/", views.MyActionsView.as_view(), name="my_actions"),
    path("workflow/", views.WorkflowView.as_view(), name="workflow"),
    path("options/", views.TaskOptionsView.as_view(), name="task_options"),
    path("<int:pk>/steps/<slug:code>/", views.StepView.as_view(), name="task_step"),
    path("<int:pk>/submit/", views.SubmitProposalView.as_view(), name="task_submit"),
    path("<int:pk>/return/", views.ReturnProposalView.as_view(), name="task_return"),
    path("documents/<int:pk>/download/", views.DocumentDownloadView.as_view(), name="document_download"),
    *model_urls(TaskMember, "members"),
    *model_urls(Document, "documents"),
    *model_urls(ProgressReport, "progress-reports"),
    *model_urls(Call, "calls"),
    *import_patterns,
    *model_urls(Task, ""),
]
