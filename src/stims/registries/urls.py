from .urls_dashboard import urlpatterns as dashboard_patterns
from .urls_imports import urlpatterns as import_patterns

app_name = "registries"
urlpatterns = [*dashboard_patterns, *import_patterns]
