"""What the menus offer and where the add forms' Cancel leads, over the demo data.

Every menu link answers 200 to the demo role it is shown to (a page the role may not open is not
offered), and every add form's Cancel goes somewhere that answers 200: the parent record for a child
record (an evaluation on its product, a document on its task), the page the user came from when the
request says so, never another site.
"""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stims.accounts.models import User
from stims.core.views import ChildRecordMixin, ObjectCreateView
from stims.demo.accounts import USERS

pytestmark = pytest.mark.django_db

CANCEL = re.compile(
    r'<a [^>]*(?:href="([^"]*)"[^>]*data-testid="cancel"|data-testid="cancel"[^>]*href="([^"]*)")'
)
BREADCRUMB = re.compile(r'<ol class="breadcrumb">(.*?)</ol>', re.S)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def menu_links(client: Client) -> list[tuple[str, str]]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [
        (str(item["label"]), item["url"])
        for section in response.context["nav_sections"]
        for item in section["items"]
    ]


@pytest.mark.slow  # every page of every role's menu (20 s): a proof for CI's slow tier
@pytest.mark.parametrize("username", [spec.username for spec in USERS])
def test_every_menu_link_opens_for_the_role_it_is_shown_to(demo_data, username):
    client = client_for(username)
    links = menu_links(client)
    assert links, "every demo role has a menu"
    refused = [(label, url, code) for label, url in links if (code := client.get(url).status_code) != 200]
    assert refused == []


def test_the_menus_leave_out_what_the_role_may_not_open(demo_data):
    def urls(username):
        return {url for _label, url in menu_links(client_for(username))}

    draft, registry_import, task_import = (
        reverse("meetings:draft"),
        reverse("registries:import"),
        reverse("sttasks:import"),
    )
    assert {draft, registry_import, task_import} <= urls("chuyenvien")
    assert draft not in urls("canbo.bache")
    assert not {draft, registry_import, task_import} & urls("xem")
    assert not {draft, registry_import, task_import} & urls("thanhtra")
    assert task_import not in urls("hoidong")


def add_pages():
    """(URL name, view class) of every add form, from the URL configuration."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else (pattern.namespace or namespace)
                )
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.name.endswith("_add"):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, ObjectCreateView):
                    yield f"{namespace}:{pattern.name}", view_class

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda page: page[0])


def parent_model(view_class):
    return view_class.model._meta.get_field(view_class.parent_field).related_model


@pytest.mark.slow  # every add form and its cancel link (5 s): a proof for CI's slow tier
def test_every_add_form_cancels_to_a_page_that_opens(demo_data):
    client = client_for("admin")
    pages = add_pages()
    children = [(name, view) for name, view in pages if issubclass(view, ChildRecordMixin)]
    assert len(children) >= 15, children  # the evaluations, documents, participants… of the issue
    failures = []
    for name, view_class in pages:
        url = reverse(name)
        expected = None
        if issubclass(view_class, ChildRecordMixin):
            parent = parent_model(view_class)._default_manager.order_by("pk").first()
            if parent is not None:  # (the demo has no startup to add a founder to)
                url = f"{url}?{view_class.parent_field}={parent.pk}"
                expected = parent.get_absolute_url()
        if name == "accounts:roleassignment_add":  # opened from a user's page, for that user
            from stims.accounts.models import User

            user = User.objects.order_by("pk").first()
            url, expected = f"{url}?user={user.pk}", reverse("accounts:user_detail", args=[user.pk])
        response = client.get(url)
        if response.status_code != 200:
            failures.append((name, f"form answered {response.status_code}"))
            continue
        page = response.content.decode()
        match = CANCEL.search(page)
        if match is None:
            failures.append((name, "no Cancel link"))
            continue
        cancel = unescape(match.group(1) or match.group(2))
        if expected is not None:
            if cancel != expected:
                failures.append((name, f"Cancel goes to {cancel}, not the parent {expected}"))
            crumbs = BREADCRUMB.search(page)
            if crumbs is None or f'href="{expected}"' not in crumbs.group(1):
                failures.append((name, "the breadcrumb lost the parent"))
        code = client.get(cancel).status_code
        if code != 200:
            failures.append((name, f"Cancel {cancel} answers {code}"))
    assert failures == [], "\n".join(map(str, failures))


def test_cancel_returns_to_the_page_the_user_came_from_and_never_off_site(demo_data):
    client = client_for("admin")
    add = reverse("orgs:organization_add")
    came_from = reverse("orgs:organization_list") + "?q=ba+che"

    def cancel_of(response):
        return unescape(CANCEL.search(response.content.decode()).group(1))

    assert cancel_of(client.get(add, HTTP_REFERER=f"http://testserver{came_from}")) == came_from
    assert cancel_of(client.get(add, {"next": came_from})) == came_from
    # A refused save keeps where the user came from.
    refused = client.post(add, {"next": came_from, "name": ""})
    assert refused.status_code == 200 and cancel_of(refused) == came_from
    for hostile in ("https://example.org/", "//example.org/x", "javascript:alert(1)"):
        assert cancel_of(client.get(add, {"next": hostile})) == reverse("orgs:organization_list")
        assert cancel_of(client.get(add, HTTP_REFERER=hostile)) == reverse("orgs:organization_list")


def test_the_menu_kept_per_kind_of_user_is_the_one_each_item_answers_and_follows_a_new_role(demo_data):
    """The menu is worked out once per request and, for the items shown by "may view the model", once
    per roles and kinds of scope (core.context_processors): for every demo user it is what asking each
    item gives, and a user given another role gets that role's menu at once. A fragment that does not
    show the menu does not work it out (the bell's count: no query for the user's roles)."""
    from django.test import RequestFactory

    from stims.accounts.models import RoleAssignment
    from stims.core import context_processors

    def asked(user):  # each item asked, nothing kept
        return {
            item.url_name
            for section in context_processors.SECTIONS.values()
            for item in section.items
            if item.shown_to(user)
        }

    def menu(user):
        request = RequestFactory().get("/")
        request.user = user
        first = context_processors.menu(request)
        assert context_processors.menu(request) is first  # once per request
        shown = context_processors.navigation(request)["nav_sections"]  # as the layout reads it
        assert list(shown) == first
        urls = {item["url"] for section in shown for item in section["items"]}
        return {
            item.url_name
            for section in context_processors.SECTIONS.values()
            for item in section.items
            if context_processors.page_url(item.url_name) in urls
        }

    for spec in USERS:
        user = User.objects.get(username=spec.username)
        assert menu(user) == asked(user), spec.username
        assert menu(User.objects.get(pk=user.pk)) == asked(user), spec.username  # kept: the same

    viewer = User.objects.create_user("menu.viewer", password="pw-for-tests-123")
    RoleAssignment.objects.create(user=viewer, role="council_member")
    before = menu(User.objects.get(pk=viewer.pk))
    RoleAssignment.objects.create(user=viewer, role="leader")
    after = menu(User.objects.get(pk=viewer.pk))
    assert after == asked(User.objects.get(pk=viewer.pk)) and after > before

    client = client_for(USERS[0].username)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as badge:
        assert client.get(reverse("accounts:notification_badge")).status_code == 200
    assert not [q for q in badge.captured_queries if "accounts_roleassignment" in q["sql"]]


# base.html's menus as its template loop wrote them before `{% main_menu %}` replaced it: the reference.
MENU_LOOP = """{% for section in nav_sections %}
      <li class="nav-item dropdown">
        <a class="nav-link dropdown-toggle{% if section.active %} active{% endif %}" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false" data-testid="nav-{{ forloop.counter }}">{{ section.label }}</a>
        <ul class="dropdown-menu">
          {% for item in section.items %}<li><a class="dropdown-item{% if item.active %} active{% endif %}" href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{{ item.label }}</a></li>{% endfor %}
        </ul>
      </li>
      {% endfor %}"""


def test_the_menu_tag_writes_what_the_template_loop_wrote(demo_data):
    from django.template import engines
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from stims.core import context_processors

    django_engine = engines["django"]
    loop = django_engine.from_string(MENU_LOOP)
    tag = django_engine.from_string("{% load stims %}{% main_menu nav_sections %}")
    compared = marked = 0
    for language in ("vi", "en"):
        with translation.override(language):
            for spec in USERS:
                user = User.objects.get(username=spec.username)
                for path in ("/", "/tasks/", "/ip/assets/?q=a"):
                    request = RequestFactory().get(path)
                    request.user = user
                    sections = context_processors.menu(request)
                    context = {"nav_sections": sections}
                    expected = loop.render(context)
                    assert tag.render(context) == expected, (language, spec.username, path)
                    compared += 1
                    marked += ' aria-current="page"' in expected
    assert compared == 2 * 3 * len(USERS)
    assert marked >= 2 * 2  # the page's own link and section marked active, in both languages

    # Labels and addresses are escaped; a safe label is not escaped twice.
    odd = [
        {
            "label": "R&D <b>",
            "active": True,
            "items": [
                {"label": 'Q&A "x"', "url": "/a/?b=1&c=<2>", "active": True},
                {"label": mark_safe("<i>safe</i>"), "url": "/d/", "active": False},
            ],
        },
        {"label": "Empty", "active": False, "items": []},
    ]
    assert tag.render({"nav_sections": odd}) == loop.render({"nav_sections": odd})
    assert "R&amp;D &lt;b&gt;" in tag.render({"nav_sections": odd})
