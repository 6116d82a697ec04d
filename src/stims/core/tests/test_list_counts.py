"""Lists over huge tables (issue #20): the whole of a big table is estimated on PostgreSQL, never a
filtered or scoped list, and never on SQLite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core import tables
from stims.geo.models import AdminUnit
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate")


@pytest.fixture
def many_orgs(db):
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    Organization.objects.bulk_create(
        Organization(name=f"HTX {i:02}", kind=OrganizationKind.COOPERATIVE, admin_unit=binh_lieu)
        for i in range(30)
    )
    for i in range(3):  # saved one by one: the search's folded text is filled on save
        Organization.objects.create(
            name=f"HTX Ba Chẽ {i}", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
        )
    return Organization.objects.count()


def record_count(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="record-count">') + len('data-testid="record-count">')
    return html[start : html.index("</div>", start)]


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orgs_organization")


def test_small_tables_and_sqlite_keep_the_exact_count(client, many_orgs):
    client.force_login(make_user("specialist"))
    response = client.get(reverse("orgs:organization_list"))
    assert record_count(response) == f"{many_orgs} bản ghi"
    assert response.context["table"].paginator.approximate == ""


@postgres_only
def test_the_whole_of_a_big_table_shows_the_planners_estimate(client, many_orgs, monkeypatch):
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", 10)
    analyze()
    client.force_login(make_user("specialist"))
    response = client.get(reverse("orgs:organization_list"))
    paginator = response.context["table"].paginator
    assert paginator.approximate == "about"
    assert record_count(response).startswith("khoảng ")
    assert paginator.count > 10
    # Pages still work: the second page's rows, and a page past the estimated end is empty, not an error.
    second = client.get(reverse("orgs:organization_list"), {"page": 2, "per_page": 10})
    assert len(second.context["table"].page.object_list) == 10
    assert second.context["table"].page.has_next()
    past = client.get(reverse("orgs:organization_list"), {"page": 999, "per_page": 10})
    assert past.status_code == 200 and not past.context["table"].page.has_next()


@postgres_only
def test_stale_statistics_give_a_capped_count(client, many_orgs, monkeypatch):
    analyze()  # statistics from when the table was small; then it grows past the threshold
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", many_orgs + 5)
    Organization.objects.bulk_create(
        Organization(
            name=f"Mới {i}", kind=OrganizationKind.COOPERATIVE, admin_unit=unit("Huyện Ba Chẽ", legacy=True)
        )
        for i in range(20)
    )
    client.force_login(make_user("specialist"))
    response = client.get(reverse("orgs:organization_list"))
    assert response.context["table"].paginator.approximate == "more"
    assert record_count(response) == f"hơn {many_orgs + 5} bản ghi"


@postgres_only
def test_a_local_officers_list_is_counted_never_estimated(client, many_orgs, monkeypatch):
    """The scope is a condition: the officer sees their unit's count, not the table's estimate."""
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", 10)
    analyze()
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    response = client.get(reverse("orgs:organization_list"))
    paginator = response.context["table"].paginator
    assert paginator.approximate == ""
    visible = Organization.objects.filter(admin_unit__name="Huyện Ba Chẽ").count()
    assert paginator.count == visible < 10
    assert record_count(response) == f"{visible} bản ghi"


@postgres_only
def test_a_filtered_list_is_counted_exactly(client, many_orgs, monkeypatch):
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", 10)
    analyze()
    client.force_login(make_user("specialist"))
    response = client.get(reverse("orgs:organization_list"), {"q": "Ba Chẽ"})
    paginator = response.context["table"].paginator
    assert paginator.approximate == ""
    assert paginator.count == Organization.objects.filter(name__contains="Ba Chẽ").count()


@postgres_only
def test_an_estimated_list_costs_one_query_for_its_count(client, many_orgs, monkeypatch):
    client.force_login(make_user("specialist"))
    client.get(reverse("orgs:organization_list"))
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as exact:
        client.get(reverse("orgs:organization_list"))
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", 10)
    analyze()
    with CaptureQueriesContext(connection) as estimated:
        client.get(reverse("orgs:organization_list"))
    assert len(estimated) == len(exact)
    assert not any('"__count"' in q["sql"] for q in estimated.captured_queries)
    assert any("reltuples" in q["sql"] for q in estimated.captured_queries)


@pytest.mark.parametrize("sort", ["", "name", "-name", "admin_unit"])
def test_a_long_lists_page_is_read_by_key_with_the_same_rows_in_the_same_order(
    client, many_orgs, monkeypatch, sort
):
    """Past LATE_ROWS_ABOVE rows a page is read in two steps (the keys of its rows in the list's
    order, then those rows with what the table shows): the same records, in the same order, on every
    page and sort order, as the one-query read of a short list."""
    client.force_login(make_user("specialist"))
    url = reverse("orgs:organization_list")

    def pages():
        shown, sql = [], []
        for number in (1, 2, 3, 4):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"page": number, "per_page": 10, "sort": sort})
            table = response.context["table"]
            shown.append([(row.record.pk, row.record.admin_unit.name) for row in table.page.object_list])
            sql.append([q["sql"] for q in queries.captured_queries])
        return shown, sql

    one_query, one_sql = pages()
    monkeypatch.setattr(tables, "LATE_ROWS_ABOVE", 10)
    by_key, key_sql = pages()
    assert by_key == one_query
    assert sum(len(page) for page in by_key) == many_orgs
    # One query more per page: the keys, ordered and limited without the table's joins, then the rows.
    assert all(len(late) == len(one) + 1 for late, one in zip(key_sql, one_sql, strict=True))
    keys = [q for q in key_sql[0] if q.startswith('SELECT "orgs_organization"."id"') and "LIMIT 10" in q]
    assert keys, key_sql[0]
    keys = keys[0]
    assert "LIMIT 10" in keys and ("JOIN" not in keys or sort == "admin_unit")


def honey_cooperatives(n: int) -> None:
    """`n` cooperatives a search for "mat ong" finds (their search columns written as a save would)."""
    Organization.objects.bulk_create(
        Organization(
            name=f"HTX Mật ong {i}",
            kind=OrganizationKind.COOPERATIVE,
            admin_unit=unit("Huyện Ba Chẽ", legacy=True),
            search_text=f"htx mat ong {i}",
            search_name=f"htx mat ong {i}",
        )
        for i in range(n)
    )


def test_a_searched_list_is_counted_up_to_the_cap_then_says_more(client, many_orgs, monkeypatch):
    """A common word matches tens of thousands of rows at national scale: the search box's count stops
    at SEARCH_COUNT_CAP (both databases); under it the count is exact, and the pages still page."""
    from stims.core import views

    honey_cooperatives(12)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 10)
    client.force_login(make_user("specialist"))
    response = client.get(reverse("orgs:organization_list"), {"q": "mat ong", "per_page": 5})
    assert response.context["table"].paginator.approximate == "more"
    assert record_count(response) == "hơn 10 bản ghi"
    last = client.get(reverse("orgs:organization_list"), {"q": "mat ong", "per_page": 5, "page": 3})
    assert len(last.context["table"].page.object_list) == 2 and not last.context["table"].page.has_next()
    response = client.get(reverse("orgs:organization_list"), {"q": "ba che"})
    assert response.context["table"].paginator.approximate == ""
    assert record_count(response) == "3 bản ghi"


def test_a_searched_api_list_is_counted_up_to_the_cap_and_says_so(client, many_orgs, monkeypatch):
    """The API counts a search (`q`) as the pages do: up to the cap, then `count_capped` (a common word's
    full count was 0.9 s of the database per call at national scale); its pages go on while they come
    back full, `?page=last` counts every match to find the last page, and any other list is exact."""
    from stims.core import api_pagination

    honey_cooperatives(12)
    monkeypatch.setattr(tables, "SEARCH_COUNT_CAP", 10)
    monkeypatch.setattr(api_pagination.Pagination, "page_size", 5)
    client.force_login(make_user("specialist"))
    url = "/api/orgs/organizations/"

    first = client.get(url, {"q": "mat ong"}, secure=True).json()
    assert (first["count"], first["count_capped"], len(first["results"])) == (10, True, 5)
    seen = [row["id"] for row in first["results"]]
    page, next_url = 1, first["next"]
    while next_url:
        page += 1
        body = client.get(next_url, secure=True).json()
        seen += [row["id"] for row in body["results"]]
        next_url = body["next"]
    expected = Organization.objects.filter(name__startswith="HTX Mật ong").values_list("pk", flat=True)
    assert page == 3 and sorted(seen) == sorted(expected)  # past the cap, every match, none twice

    last = client.get(url, {"q": "mat ong", "page": "last"}, secure=True).json()
    assert (last["count"], last["count_capped"], len(last["results"])) == (12, False, 2)
    under = client.get(url, {"q": "ba che"}, secure=True).json()
    assert (under["count"], under["count_capped"]) == (3, False)
    whole = client.get(url, secure=True).json()
    assert (whole["count"], whole["count_capped"]) == (Organization.objects.count(), False)
    assert client.get(url, {"q": "mat ong", "page": 9}, secure=True).json()["results"] == []


def test_a_searched_count_is_kept_until_a_table_it_reads_changes(client, many_orgs):
    """Paging through a search counts once: the capped count is kept under the versions of the tables
    its statement reads, per statement (scope and words), and a change to those tables counts again."""
    from django.contrib.contenttypes.models import ContentType

    honey_cooperatives(4)
    client.force_login(make_user("specialist"))
    url = reverse("orgs:organization_list")

    def counted(params) -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
        return record_count(response), len(counts)

    assert counted({"q": "mat ong"}) == ("4 bản ghi", 1)
    assert counted({"q": "mat ong", "page": 1}) == ("4 bản ghi", 0)  # kept
    assert counted({"q": "ba che"}) == ("3 bản ghi", 1)  # another search: its own count
    # A write to a table the statement does not read (the units, for a department-wide list) keeps it.
    AdminUnit.objects.filter(pk=unit("Huyện Ba Chẽ", legacy=True).pk).update(short_name="Ba Chẽ (đổi)")
    assert counted({"q": "mat ong"}) == ("4 bản ghi", 0)
    honey_cooperatives(1)  # a write to the table the count reads
    assert counted({"q": "mat ong"}) == ("5 bản ghi", 1)
    # A statement over a table without a version (Django's own) is counted every time.
    with CaptureQueriesContext(connection) as queries:
        assert tables.capped_count(ContentType.objects.all(), 3) == 4
        assert tables.capped_count(ContentType.objects.all(), 3) == 4
    assert sum(q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries) == 2
    # A search whose other filters nothing can meet compiles to no statement: 0, not an error.
    assert tables.capped_count(Organization.objects.none(), 3) == 0
    response = client.get("/api/registries/targets/", {"q": "mat ong", "year": "-2271"}, secure=True)
    assert response.status_code == 200 and response.json()["count"] == 0


def test_a_kept_search_count_is_never_another_scopes(client, many_orgs):
    """The kept count is keyed by the statement, scope included: a local officer searching the word a
    specialist just searched gets their own units' count, on the page and through the API."""
    honey_cooperatives(4)  # in Ba Chẽ, beside its 3 cooperatives found by "htx"
    Organization.objects.create(
        name="HTX Bình Liêu mới",
        kind=OrganizationKind.COOPERATIVE,
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
    )
    lists, api = reverse("orgs:organization_list"), "/api/orgs/organizations/"
    client.force_login(make_user("specialist"))
    assert record_count(client.get(lists, {"q": "htx"})) == "8 bản ghi"
    assert client.get(api, {"q": "htx"}, secure=True).json()["count"] == 8

    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Bình Liêu", legacy=True)))
    assert record_count(client.get(lists, {"q": "htx"})) == "1 bản ghi"
    assert client.get(api, {"q": "htx"}, secure=True).json()["count"] == 1


@postgres_only
def test_a_common_search_is_counted_past_the_cap_from_the_first_rows(client, monkeypatch):
    """A list searched for a query PostgreSQL's statistics say is common is counted from its first
    rows, each tested against the query, not from the full-text index's bitmap of every match
    (issue #20); the page says the same "more than" count. Too few there (the words common apart,
    rare together), or any other list, is counted as before, exactly."""
    from stims.core import fulltext, permissions, views
    from stims.core.filters import folded_search_q

    monkeypatch.setattr(tables, "SEARCH_COUNT_CAP", 20)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 20)
    monkeypatch.setattr(fulltext, "PROBE_ROWS", 200)
    monkeypatch.setattr(fulltext, "PROBE_TABLE_ROWS", 100)
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    for name in ["Công ty Hợp Thành"]:  # among the first rows read; the two others past them
        Organization.objects.create(name=name, kind=OrganizationKind.ENTERPRISE, admin_unit=ba_che)
    rows = [
        *(Organization(name=f"Hợp tác xã chè số {i}", kind=OrganizationKind.COOPERATIVE) for i in range(150)),
        *(Organization(name=f"Công ty TNHH số {i}", kind=OrganizationKind.ENTERPRISE) for i in range(150)),
    ]
    for i, row in enumerate(rows):
        row.admin_unit = ba_che if i % 2 else binh_lieu
        row.search_text, row.search_name = row.build_search_text(), row.name.lower()
    Organization.objects.bulk_create(rows)
    for name in ["Công ty hợp nhất Đầm Hà", "Hợp tác xã Công Hòa"]:
        Organization.objects.create(name=name, kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che)
    analyze()
    monkeypatch.setattr(fulltext, "_stats", {})  # the statistics read afresh, and not kept after

    def count(queryset) -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            counted = tables._probed_count(queryset, 20)
            exact = queryset.order_by().values("pk")[:21].count()
        assert counted in (None, exact)
        return exact, counted is not None and any("found_match" in q["sql"] for q in queries.captured_queries)

    search = Organization.objects.filter
    assert count(search(folded_search_q("hop tac xa"))) == (21, True)
    # With the list's other filters and a local officer's scope, still from the first rows.
    assert count(search(folded_search_q("hop tac xa"), kind=OrganizationKind.COOPERATIVE)) == (21, True)
    officer = make_user("local_officer", admin_unit=ba_che)
    scoped = permissions.restrict(Organization.objects.all(), officer, permissions.VIEW)
    assert count(scoped.filter(folded_search_q("hop tac xa"))) == (21, True)
    # Common apart, rare together: the first rows hold one, the index counts all three.
    assert count(search(folded_search_q("cong hop"))) == (3, False)
    # A rare word: the index.
    assert count(search(folded_search_q("dam ha"))) == (1, False)

    # The page: "more than 20" either way, and the same rows.
    client.force_login(make_user("specialist"))
    url = reverse("orgs:organization_list")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"q": "hop tac xa"})
    assert record_count(page) == "hơn 20 bản ghi"
    assert any("found_match" in q["sql"] for q in queries.captured_queries)
    assert record_count(client.get(url, {"q": "cong hop"})) == "3 bản ghi"


# --- A big table's count kept under the version of the tables counted (PostgreSQL) --------------------


@pytest.fixture
def keep_counts(settings, many_orgs):
    """Counts kept for tables of more than 10 rows (the organizations, once analysed)."""
    settings.STIMS_KEEP_COUNTS_ABOVE = 10
    analyze()
    tables.forget_planner_rows()
    yield
    tables.forget_planner_rows()


def counted(captured) -> bool:
    return any('"__count"' in q["sql"] for q in captured.captured_queries)


@postgres_only
def test_a_big_tables_count_is_kept_until_a_table_it_counts_changes(client, many_orgs, keep_counts):
    client.force_login(make_user("specialist"))
    url, params = reverse("orgs:organization_list"), {"kind": OrganizationKind.COOPERATIVE}
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, params).context["table"].paginator.count == many_orgs
    with CaptureQueriesContext(connection) as kept:
        response = client.get(url, params)
    assert counted(first) and not counted(kept)
    assert response.context["table"].paginator.count == many_orgs
    assert record_count(response) == f"{many_orgs} bản ghi"

    Organization.objects.create(  # any write to the table counted: the ORM, the API, an import
        name="HTX mới thành lập",
        kind=OrganizationKind.COOPERATIVE,
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    assert client.get(url, params).context["table"].paginator.count == many_orgs + 1
    Organization.objects.filter(name="HTX mới thành lập").update(kind=OrganizationKind.ENTERPRISE)
    assert client.get(url, params).context["table"].paginator.count == many_orgs
    # Another filter is another statement, counted on its own.
    assert client.get(url, {"kind": OrganizationKind.ENTERPRISE}).context["table"].paginator.count == 1


@postgres_only
def test_a_kept_count_is_never_another_scopes(client, many_orgs, keep_counts):
    """The officer's scope is in the statement counted: their count is their unit's, kept or not."""
    url = reverse("orgs:organization_list")
    client.force_login(make_user("specialist"))
    for _ in range(2):
        assert (
            client.get(url, {"kind": OrganizationKind.COOPERATIVE}).context["table"].paginator.count
            == many_orgs
        )
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    visible = Organization.objects.filter(admin_unit__name="Huyện Ba Chẽ").count()
    for _ in range(2):
        response = client.get(url, {"kind": OrganizationKind.COOPERATIVE})
        assert response.context["table"].paginator.count == visible < 10


@postgres_only
def test_the_whole_of_a_big_table_is_estimated_or_its_capped_count_kept(
    client, many_orgs, keep_counts, monkeypatch
):
    client.force_login(make_user("specialist"))
    url = reverse("orgs:organization_list")
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", many_orgs + 5)  # under the threshold: counted, then kept
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        response = client.get(url)
    assert not counted(kept) and response.context["table"].paginator.approximate == ""
    assert response.context["table"].paginator.count == many_orgs
    monkeypatch.setattr(tables, "ESTIMATE_ABOVE", 10)  # past it: the planner's figure, no query at all
    with CaptureQueriesContext(connection) as estimated:
        response = client.get(url)
    assert response.context["table"].paginator.approximate == "about"
    assert not counted(estimated) and not any("reltuples" in q["sql"] for q in estimated.captured_queries)
