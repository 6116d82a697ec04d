"""Pages you can grep: every page and API endpoint of the project is a class written with `class` at the top level of
its module (no class made at run time by a factory), and every page registered with
`register_model_view` is routed under its standard name."""

import importlib
import inspect

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from stims.core.views import STANDARD_ROUTES, registered_views


def walk(patterns, namespace=""):
    """(namespaced URL name, view class) of every URL pattern, through the includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            yield f"{namespace}{pattern.name}", view


def stims_views():
    """(URL name, class) of every page and API endpoint of ours."""
    return [
        (name, view)
        for name, view in walk(get_resolver().url_patterns)
        if view and view.__module__.startswith("stims.")
    ]


def test_the_project_has_pages_to_check():
    names = {name for name, _view in stims_views()}
    assert {"products:product_list", "sttasks:task_detail", "meetings:directive_edit"} <= names
    assert {"api:workflowstate-list", "api:product-list"} <= names
    assert len(names) > 150


def test_every_page_is_a_class_statement_at_module_level():
    sources = {}
    for name, view in stims_views():
        module = importlib.import_module(view.__module__)
        assert getattr(module, view.__name__, None) is view, (
            f"{name}: {view.__qualname__} is not {module.__name__}.{view.__name__}"
        )
        if module.__name__ not in sources:
            sources[module.__name__] = inspect.getsource(module)
        assert f"\nclass {view.__name__}(" in sources[module.__name__], (
            f"{name}: no `class {view.__name__}(` in {module.__name__}"
        )


def test_every_registered_page_is_routed_under_its_standard_name():
    views = registered_views()
    assert len(views) > 100
    for registered in views:
        opts = registered.model._meta
        args = [1] if "<int:pk>" in registered.route else []
        url = reverse(f"{opts.app_label}:{registered.url_name}", args=args)
        assert resolve(url).func.view_class is registered.view, url
        if registered.name in STANDARD_ROUTES:
            assert url.endswith(STANDARD_ROUTES[registered.name].replace("<int:pk>", "1")), url


def test_registered_pages_are_the_standard_classes_of_their_model():
    for registered in registered_views():
        assert registered.view.model is registered.model, registered.view.__qualname__
