from .urls_imports import urlpatterns as import_patterns

app_name = "sttasks"
urlpatterns = [*import_patterns]
