from stims.core.forms import register_search_widget
from stims.core.search import register

from .models import Call, Task

Task.search_select_related = ("ordering_unit",)
register(Task, "sttasks:task_detail")
register(Call, "sttasks:call_detail")

# Form fields choosing these records get a search box instead of a <select>.
register_search_widget("sttasks.task", "sttasks:task_options")
