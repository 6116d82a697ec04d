from .urls_dashboards import urlpatterns as dashboard_patterns
from .urls_drafting import urlpatterns as drafting_patterns

app_name = "meetings"
urlpatterns = [*dashboard_patterns, *drafting_patterns]
