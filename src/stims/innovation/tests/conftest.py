import pytest


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English, the source language."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
