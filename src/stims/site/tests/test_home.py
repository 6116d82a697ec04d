"""The home page per role, over the demo data: what each role's day asks, each figure the count of the
list it links to, in a fixed number of queries."""

import pytest
from django.urls import reverse

from stims.accounts.models import User

pytestmark = pytest.mark.django_db

# Queries of the whole page (session, user, roles, one aggregate per block), pinned per demo user, the
# first time (cold) and once the blocks that count what the user may see are kept (warm: session, user,
# roles, the data version, and the user's own blocks). The year block is the reports layer's `compute`
# over four sections (tasks, results, registries, funding): about 30 aggregate queries, a fixed number
# whatever the data size (measured 5/12/2026 on the demo: 13 -> 43 queries and 16 -> 75 ms for the
# leader).
MAX_QUERIES = {  # cold, warm
    "admin": (44, WARM := 4),  # + the programmes behind target (rows and count)
    "lanhdao": (44, WARM),
    "chuyenvien": (7, WARM + 2),  # + the tasks they follow, the directives they assigned
    "canbo.xabache": (33, WARM + 2),  # + the units of their two roles, named in the page's header
    "canbo.binhlieu": (33, WARM + 2),
    "hoidong": (4, 4),  # only the score sheets they owe: nothing kept, no version read
    "thanhtra": (40, WARM),
    "xem": (39, WARM),
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
    demo_data, client, username, django_assert_max_num_queries, django_assert_num_queries
):
    from stims.core import aggregates

    cold, warm = MAX_QUERIES[username]
    client.force_login(User.objects.get(username=username))
    # PostgreSQL folds its change log when it passes 1,000 rows (3 more queries, once): the demo's
    # build leaves more, so it is folded before the counted requests.
    aggregates.version(["*"])
    with django_assert_max_num_queries(cold):
        first = client.get(reverse("home"))
    with django_assert_num_queries(warm):
        again = client.get(reverse("home"))
    assert first.status_code == again.status_code == 200
    assert figures(again).keys() == figures(first).keys()
    assert [figure.value for figure in figures(again).values()] == [
        figure.value for figure in figures(first).values()
    ]


def test_the_leaders_home_answers_the_days_questions_and_each_figure_is_its_lists_count(demo_data, client):
    response = home(client, "lanhdao")
    keys = [block.key for block in response.context["blocks"]]
    assert keys == [
        "directives",
        "tasks",
        "programmes-behind",
        "year",
        "tasks-by-phase",
        "budget",
        "registries",
    ]
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
    assert list(blocks) == ["requests", "directives", "tasks", "handovers", "year"]
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
        assert keys == ["year", "tasks-by-phase", "budget", "registries"]


# --- The year block: the reports layer's figures (issue #17) -------------------------------------------


def _year_data(username):
    from django.utils import timezone

    from stims.geo.services import home_province
    from stims.reports import periods
    from stims.reports.figures import compute
    from stims.site.dashboard import YEAR_SECTIONS

    user = User.objects.get(username=username)
    unit = home_province() if username in ("lanhdao", "xem") else None
    if unit is None:
        [unit] = [a.admin_unit for a in user.role_assignments.all() if a.admin_unit_id]
    return unit, compute(unit, periods.year_to_date(timezone.localdate()), user, only=YEAR_SECTIONS)


@pytest.mark.parametrize("username", ["lanhdao", "xem", "canbo.xabache"])
def test_the_year_figures_on_the_home_page_are_the_reports_figures(demo_data, client, username):
    """The home page's year block and its budget 'disbursed' are `reports.figures.compute` for the same
    unit and period (this year to date), so they can never differ from the report and the dashboard."""
    from stims.site.dashboard import YEAR_FIGURES

    unit, data = _year_data(username)
    expected = data.figures()
    if username != "canbo.xabache":  # the province has this year's figures: not a comparison of zeros
        assert any(expected.values())
    response = home(client, username)
    [block] = [b for b in response.context["blocks"] if b.key == "year"]
    shown = {figure.testid: figure for figure in block.figures}
    assert set(shown) == {testid for _key, _label, testid in YEAR_FIGURES}
    for key, _label, testid in YEAR_FIGURES:
        assert shown[testid].value == expected[key], key
        assert f"unit={unit.pk}" in shown[testid].url
    if username != "canbo.xabache":
        assert figures(response)["home-budget-paid"].value == expected["funding.disbursed"]
    assert client.get(block.more_url).status_code == 200


def test_the_leader_sees_the_province_and_a_local_officer_only_their_unit(demo_data, client):
    from stims.geo.services import home_province

    page = home(client, "lanhdao").content.decode()
    assert 'data-testid="home-year"' in page and 'data-testid="home-year-ocop"' in page
    [block] = [b for b in home(client, "lanhdao").context["blocks"] if b.key == "year"]
    assert f"unit={home_province().pk}" in block.more_url
    unit, data = _year_data("canbo.xabache")
    response = home(client, "canbo.xabache")
    [block] = [b for b in response.context["blocks"] if b.key == "year"]
    assert unit.name in str(block.title)
    assert f"unit={unit.pk}" in block.more_url and f"unit={home_province().pk}" not in block.more_url
    # Nothing from other units: the officer's numbers are their unit's, not above the province's.
    province = _year_data("lanhdao")[1].figures()
    for key, value in data.figures().items():
        assert value <= province[key], key
    assert "Bình Liêu" not in str(block.title)


def test_the_home_pages_counts_lag_others_writes_by_at_most_the_allowed_time(
    demo_data, client, settings, monkeypatch
):
    from stims.core import aggregates
    from stims.sttasks.models import Task

    settings.STIMS_FIGURES_STALE_SECONDS = 30
    now = [1_800_000_000.0]
    monkeypatch.setattr(aggregates, "_now", lambda: now[0])
    assert figures(home(client, "lanhdao"))["home-proposals-waiting"].value == 1
    # Someone else takes the proposal back (a write the leader did not make).
    Task.objects.filter(state__is_initial=True, submitted_at__isnull=False).update(submitted_at=None)
    now[0] += 29
    response = home(client, "lanhdao")
    assert figures(response)["home-proposals-waiting"].value == 1
    assert "Số liệu lúc 15:00:00" in response.content.decode()
    now[0] += 1
    response = home(client, "lanhdao")
    assert figures(response)["home-proposals-waiting"].value == 0
    assert "Số liệu lúc" not in response.content.decode()
