"""The full-text index behind the global search and the lists' search boxes (core.fulltext): kept in
step by every write path, present for every searchable model, safe with any query text, and the
global search's query count fixed."""

import pytest
from django.apps import apps
from django.db import connection

from stims.core import fulltext
from stims.core.filters import folded_search_q
from stims.core.search import search
from stims.core.text import fold
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return sorted(Organization.objects.filter(folded_search_q(query)).values_list("name", flat=True))


def organization(name: str, **extra) -> Organization:
    extra.setdefault("admin_unit", unit("Huyện Ba Chẽ", legacy=True))
    return Organization.objects.create(name=name, kind=OrganizationKind.ENTERPRISE, **extra)


def test_every_write_path_keeps_the_index_in_step():
    # save()
    org = organization("Hợp tác xã Mật ong Đạp Thanh")
    assert found("mat ong dap") == ["Hợp tác xã Mật ong Đạp Thanh"]
    org.name = "Hợp tác xã Trà hoa vàng"
    org.save()
    assert found("mat ong") == []
    assert found("tra hoa") == ["Hợp tác xã Trà hoa vàng"]
    # QuerySet.update() of the column (what a data fix or a raw UPDATE does)
    Organization.objects.filter(pk=org.pk).update(search_text=fold("Nấm linh chi Bình Liêu"))
    assert found("tra hoa") == []
    assert found("linh chi") == ["Hợp tác xã Trà hoa vàng"]
    # bulk_create and bulk_update, as the imports write (they fill the column themselves)
    made = [
        Organization(name=name, kind=OrganizationKind.COOPERATIVE, admin_unit=org.admin_unit)
        for name in ("HTX Miến dong Bình Liêu", "HTX Ba kích tím")
    ]
    for row in made:
        row.search_text, row.search_name = row.build_search_text(), fold(row.name)
    created = Organization.objects.bulk_create(made)
    assert found("mien dong") == ["HTX Miến dong Bình Liêu"]
    for row in Organization.objects.filter(pk__in=[r.pk for r in created]):
        row.name = row.name.replace("HTX", "Công ty")
        row.search_text = row.build_search_text()
        Organization.objects.bulk_update([row], ["name", "search_text"])
    assert found("cong ty ba kich") == ["Công ty Ba kích tím"]
    assert found("htx ba kich") == []
    # delete(), one and many
    org.delete()
    assert found("linh chi") == []
    Organization.objects.filter(pk__in=[r.pk for r in created]).delete()
    assert found("cong ty") == []


def test_each_word_is_a_prefix_of_a_word_as_one_types():
    organization("Công ty CP Kinh doanh lâm sản Đạp Thanh")
    for query in ("dap thanh", "Đạp Th", "lam s", "KINH DOANH", "cong ty cp dap"):
        assert found(query) == ["Công ty CP Kinh doanh lâm sản Đạp Thanh"], query
    for query in ("ap thanh", "dap thanhx", "thanh dapx"):
        assert found(query) == [], query


@pytest.mark.parametrize(
    "query",
    ["a & b", 'x"y', "ip:*", "!(", "'; drop table x; --", "a_b", "* OR *", "NEAR(a b)", "x" * 3000, "ạ" * 50],
)
def test_any_query_text_is_safe(query):
    organization("Công ty A B")
    assert isinstance(found(query), list)
    assert isinstance(search(make_user("viewer"), query), list)


def test_a_query_of_punctuation_only_filters_nothing():
    assert folded_search_q("?!…") == folded_search_q("")


def test_the_search_column_of_a_linked_record_is_searched_through_the_link():
    from stims.ip.models import IpAsset

    sql = str(IpAsset.objects.filter(folded_search_q("ba che", "admin_unit__search_text")).query)
    assert "geo_adminunit" in sql


def test_every_searchable_model_has_its_index():
    searchable = [m for m in apps.get_models() if fulltext.is_searchable(m)]
    assert len(searchable) >= 20
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%%search_vector%%'")
            present = {row[0] for row in cursor.fetchall()}
            assert {fulltext.pg_index(m) for m in searchable} <= present
            # and the names compared byte by byte, which the global search reads in order
            cursor.execute(
                """SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%%search_name COLLATE "C"%%'"""
            )
            present = {row[0] for row in cursor.fetchall()}
            assert {fulltext.pg_name_index(m) for m in searchable} <= present
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
            present = {row[0] for row in cursor.fetchall()}
            for model in searchable:
                fts = fulltext.fts_table(model)
                assert {fts, f"{fts}_ai", f"{fts}_au", f"{fts}_ad"} <= present, model


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_a_table_rebuilt_by_a_migration_gets_its_triggers_and_index_back():
    # Django's SQLite schema editor rebuilds a table to alter it: the old table's triggers go with it.
    organization("HTX Sá sùng Vân Đồn")
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "orgs_organization_fts_ai"')
    organization("HTX Gà đồi Tiên Yên")
    assert found("ga doi") == []  # stale, until the next migrate
    fulltext.ensure(connection)
    assert found("ga doi") == ["HTX Gà đồi Tiên Yên"]
    assert found("sa sung") == ["HTX Sá sùng Vân Đồn"]


def test_a_local_officer_learns_nothing_of_other_districts_not_even_a_count():
    binh_lieu = unit("Huyện Bình Liêu", legacy=True)
    for i in range(13):
        organization(f"HTX Miến dong số {i}", admin_unit=binh_lieu)
    organization("HTX Miến dong Ba Chẽ")
    officer = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    groups = {group.model: group for group in search(officer, "mien dong")}
    assert [str(r) for r in groups[Organization].results] == ["HTX Miến dong Ba Chẽ"]
    assert groups[Organization].total == 1
    everyone = {group.model: group for group in search(make_user("viewer"), "mien dong")}
    assert everyone[Organization].total == 14
    assert len(everyone[Organization].results) == 10


def test_the_global_search_issues_one_query_then_one_per_group_found(django_assert_max_num_queries):
    from stims.core.tests.test_search import names  # noqa: F401 (same module family)

    for i in range(12):
        organization(f"HTX Ba Chẽ số {i}")
    user = make_user("viewer")
    search(user, "ba che")  # the user's roles, once per request
    with django_assert_max_num_queries(1) as nothing:
        assert search(user, "zzqxw khong co") == []
    groups = search(user, "ba che")
    with django_assert_max_num_queries(1 + len(groups)) as captured:
        groups = search(user, "ba che")
    assert {Organization} <= {g.model for g in groups}
    assert len(captured.captured_queries) == 1 + len(groups)
    assert len(nothing.captured_queries) == 1


def test_the_row_by_row_test_finds_what_the_index_finds():
    """`fulltext_rows` (the global search's test of the names it reads in order) is the same test."""
    organization("HTX Mật ong Đạp Thanh")
    organization("Công ty Ong mật Bình Liêu")
    organization("HTX Trà hoa vàng")
    for query in ("mat ong", "ong mat binh", "tra hoa vang", "ma", "zzqxw", "binh lieu"):
        by_row = Organization.objects.filter(folded_search_q(query, row_by_row=True)).values_list(
            "name", flat=True
        )
        assert sorted(by_row) == found(query), query
    sql = str(Organization.objects.filter(folded_search_q("mat ong", row_by_row=True)).query)
    assert ("IS TRUE" in sql) == (connection.vendor == "postgresql")
