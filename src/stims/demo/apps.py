from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and the `stims demo` command, above every domain (no models, so no verbose name
    shown anywhere: none to translate)."""

    name = "stims.demo"
    label = "demo"
