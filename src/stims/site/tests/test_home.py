"""The home page per role, over the demo data: what each role's day asks, each figure the count of the
list it links to, in a fixed number of queries."""

import pytest
from django.urls import reverse

from stims.accounts.models import User

pytestmark = pytest.mark.django_db

# Queries of the whole page (session, user, roles, one aggregate per block), pinned per demo user.
MAX_QUERIES = {
    "admin": 13,  # + the programmes behind target (rows and count)
    "lanhdao": 13,
    "chuyenvien": 6,
    "canbo.xabache": 11,
    "canbo.binhlieu": 11,
    "hoidong": 4,
    "thanhtra": 9,
    "xem": 9,
}


def home(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def figures(response) -> dict:
    return {figure.testid: figure for block in response.context["blocks"] for figure in block.figures}


@pytest.mark.parametrize("username", sorted(MAX_QUERIES))
def test_each_roles_home_page_takes_a_fixed_number_of_queries(
    demo_data, client, username, django_assert_max_num_queries
):
    client.force_login(User.objects.get(username=username))
    with django_assert_max_num_queries(MAX_QUERIES[username]):
        assert client.get(reverse("home")).status_code == 200


def test_the_leaders_home_answers_the_days_questions_and_each_figure_is_its_lists_count(demo_data, client):
    response = home(client, "lanhdao")
    keys = [block.key for block in response.context["blocks"]]
    assert keys == ["directives", "tasks", "programmes-behind", "tasks-by-phase", "budget", "registries"]
    found = figures(response)
    # The demo: overdue directives, a Bình Liêu proposal sent to the department, a report to accept.
    assert found["home-directives-overdue"].value > 0
    assert found["home-proposals-waiting"].value == 1
    assert found["home-directives-reported"].value == 1
    assert 'data-testid="home-province"' not in response.content.decode()  # no more directory counts
    # Each count figure is the row count of the list it links to.
    for testid in (
        "home-directives-overdue",
        "home-directives-soon",
        "home-directives-reported",
        "home-tasks-overdue",
        "home-tasks-ending",
        "home-proposals-waiting",
        "home-tasks-running",
        "home-phase-preparation",
        "home-ocop-3",
        "home-ocop-4",
        "home-enterprises",
    ):
        figure = found[testid]
        listed = client.get(figure.url)
        assert listed.status_code == 200, testid
        assert listed.context["table"].paginator.count == figure.value, testid
    assert found["home-budget-planned"].display.endswith(" ₫") and "." in found["home-budget-planned"].display


def test_a_specialist_sees_what_they_follow_and_what_waits_on_the_department(demo_data, client):
    response = home(client, "chuyenvien")
    keys = [block.key for block in response.context["blocks"]]
    assert keys == ["tasks-mine", "directives-mine", "tasks"]
    found = figures(response)
    for testid in ("home-tasks-overdue-mine", "home-directives-reported-mine", "home-proposals-waiting"):
        listed = client.get(found[testid].url)
        assert listed.context["table"].paginator.count == found[testid].value, testid


def test_a_local_officer_sees_their_localitys_work_and_the_result_to_report_on(demo_data, client):
    response = home(client, "canbo.xabache")
    blocks = {block.key: block for block in response.context["blocks"]}
    assert list(blocks) == ["requests", "directives", "tasks", "handovers"]
    [row] = blocks["handovers"].rows
    assert "Xã Ba Chẽ" in row.note and "15/10/2026" in row.note
    assert client.get(row.url).status_code == 200  # the result handed over opens for the locality
    sent = figures(home(client, "canbo.binhlieu"))["home-proposals-sent"]
    assert sent.value == 1 and client.get(sent.url).context["table"].paginator.count == 1


def test_a_council_member_sees_the_sheets_they_owe_and_viewers_the_key_figures(demo_data, client):
    response = home(client, "hoidong")
    [block] = response.context["blocks"]
    assert block.key == "sheets" and len(block.rows) == 1 and block.figures[0].value == 1
    for username in ("xem", "thanhtra"):
        keys = [block.key for block in home(client, username).context["blocks"]]
        assert keys == ["tasks-by-phase", "budget", "registries"]
