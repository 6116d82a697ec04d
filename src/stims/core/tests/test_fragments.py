"""A list's filter form kept while the tables its choices come from are unchanged (core.fragments,
issue #20): the same HTML as rendered, new choices shown at once whatever wrote them, the query
string's values kept apart, never one user's form for another, nothing kept that no version follows."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import fragments
from stims.core.tests.test_list_queries import list_pages
from stims.sttasks.models import Level, Programme, TaskType
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_kept(settings):
    settings.STIMS_FRAGMENTS = True  # off for the rest of the suite (settings_test)


FORM = re.compile(r'<form method="get"[^>]*data-testid="filters">.*?</form>', re.DOTALL)


def filter_form(response) -> str:
    assert response.status_code == 200
    found = FORM.findall(response.content.decode())
    assert len(found) == 1
    return found[0]


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return response, [q["sql"] for q in captured.captured_queries]


@pytest.fixture
def specialist_client(client):
    client.force_login(make_user("specialist"))
    return client


def test_the_form_is_kept_from_its_second_rendering_and_reads_one_version_instead_of_its_choices(
    specialist_client,
):
    TaskType.objects.create(code="ft-1", name="Loại thử nghiệm")
    Programme.objects.create(code="ft-p", name="Chương trình thử nghiệm")
    url = reverse("sttasks:task_list")
    first, first_sql = queries(specialist_client, url)  # learns the tables its choices are read from
    second, second_sql = queries(specialist_client, url)  # kept under their version
    third, third_sql = queries(specialist_client, url)  # served as kept

    assert filter_form(first) == filter_form(second) == filter_form(third)
    assert "Loại thử nghiệm" in filter_form(third) and "Chương trình thử nghiệm" in filter_form(third)
    choice_tables = ("sttasks_tasktype", "sttasks_programme", "sttasks_workflowstate", "sttasks_sciencefield")
    reads_a_choice = re.compile('FROM "({})"'.format("|".join(choice_tables)))
    choice_reads = [sql for sql in first_sql if reads_a_choice.search(sql)]
    assert len(choice_reads) == 4, "the task list's form reads its types, programmes, states and fields"
    assert not [sql for sql in third_sql if sql in choice_reads]
    (version,) = [sql for sql in third_sql if "core_dataversion" in sql]
    assert all(table in version for table in choice_tables)
    assert len(third_sql) == len(first_sql) - len(choice_reads) + 1


def test_a_new_choice_is_offered_on_the_next_page_whatever_wrote_it(specialist_client):
    url = reverse("sttasks:task_list")
    for _ in range(3):
        assert "Loại mới thêm" not in filter_form(specialist_client.get(url))
    TaskType.objects.create(code="ft-2", name="Loại mới thêm")  # the ORM: no form, no signal needed
    assert "Loại mới thêm" in filter_form(specialist_client.get(url))
    TaskType.objects.filter(code="ft-2").update(name="Loại đã đổi tên")  # QuerySet.update: no signal
    shown = filter_form(specialist_client.get(url))
    assert "Loại đã đổi tên" in shown and "Loại mới thêm" not in shown


def test_each_query_string_keeps_its_own_form(specialist_client):
    url = reverse("sttasks:task_list")
    chosen = f'<option value="{Level.PROVINCIAL}" selected>'
    for _ in range(3):
        assert chosen in filter_form(specialist_client.get(url, {"level": Level.PROVINCIAL}))
        assert chosen not in filter_form(specialist_client.get(url))
        # The table's own parameters (page, order) do not change the form: one kept form for all.
        assert chosen not in filter_form(specialist_client.get(url, {"sort": "-code", "page": "1"}))
    searched = filter_form(specialist_client.get(url, {"q": "cà phê <b>"}))
    assert 'value="cà phê &lt;b&gt;"' in searched


@pytest.mark.slow  # every list page twice for two users (10 s): a proof for CI's slow tier
def test_every_list_shows_the_same_filter_form_to_an_officer_as_to_a_superuser_kept_or_not(
    client, demo_data, settings
):
    """The premise of keeping one form for everyone: no list's filter form depends on who asks (a form
    narrowed to the user's scope would have to set `form_class_per_request`). Each list's form rendered
    afresh for a superuser and for a local officer, then kept and served again: the same HTML."""
    from stims.accounts.models import User

    officer = make_user("local_officer", admin_unit=unit("Xã Ba Chẽ"))
    superuser = User.objects.create_superuser("fragments.admin", password="pw-for-tests-123")
    compared = 0
    for name, url, _model in list_pages():
        settings.STIMS_FRAGMENTS = False
        client.force_login(superuser)
        fresh = FORM.findall(client.get(url).content.decode())
        client.force_login(officer)
        as_officer = client.get(url)
        officer_forms = FORM.findall(as_officer.content.decode()) if as_officer.status_code == 200 else []
        if officer_forms:  # a list the officer may open (the user list is another page for them)
            assert officer_forms == fresh, name
            compared += 1
        settings.STIMS_FRAGMENTS = True
        # Learnt, kept, served as kept: to the superuser, and the officer's kept form to them too.
        users = (superuser, officer, superuser, officer) if officer_forms else (superuser,) * 3
        for user in users:
            client.force_login(user)
            assert FORM.findall(client.get(url).content.decode()) == fresh, name
    assert compared > 20


def test_a_fragment_reading_a_table_no_version_follows_is_never_kept():
    rendered = []

    def render():
        rendered.append(ContentType.objects.order_by("pk").count())  # django_content_type: no trigger
        return "<p>types</p>"

    for _ in range(3):
        assert fragments.rendered("test:untracked", render) == "<p>types</p>"
    assert len(rendered) == 3


def test_a_rendering_that_reads_another_table_is_not_kept_until_that_table_is_followed_too():
    rendered = []
    reads_programmes = False

    def render():
        rendered.append(1)
        names = list(TaskType.objects.values_list("name", flat=True))
        if reads_programmes:
            names += list(Programme.objects.values_list("name", flat=True))
        return ",".join(sorted(names))

    fragments.rendered("test:growing", render)
    fragments.rendered("test:growing", render)
    assert fragments.rendered("test:growing", render) == fragments.rendered("test:growing", render)
    assert len(rendered) == 2  # learnt, then kept

    reads_programmes = True  # e.g. a search select now showing the record chosen
    Programme.objects.create(code="ft-g", name="Chương trình mới")
    TaskType.objects.create(code="ft-g", name="Loại khác")  # moves the version it is kept under
    assert "Chương trình mới" in fragments.rendered("test:growing", render)  # read more: not kept
    fragments.rendered("test:growing", render)  # kept under both tables' version
    Programme.objects.filter(code="ft-g").update(name="Chương trình đổi tên")
    assert "Chương trình đổi tên" in fragments.rendered("test:growing", render)


def test_nothing_is_kept_with_debug_on(settings):
    settings.DEBUG = True
    rendered = []
    for _ in range(3):
        fragments.rendered("test:debug", lambda: rendered.append(1) or "x")
    assert len(rendered) == 3
