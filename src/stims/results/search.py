from stims.core.search import register

from .models import TaskResult

TaskResult.search_select_related = ("task",)
register(TaskResult, "results:taskresult_detail")
