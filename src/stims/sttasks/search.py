from stims.core.search import register

from .models import Task

Task.search_select_related = ("ordering_unit",)
register(Task, "sttasks:task_detail")
