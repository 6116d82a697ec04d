"""The cached dashboard aggregates (core.aggregates): the version of a set of tables moves with every
committed write whatever made it, and cache entries never cross scopes."""

import datetime

import pytest
from django.db import connection, transaction

from stims.core import aggregates
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user

pytestmark = pytest.mark.django_db


def org(name="Viện A") -> Organization:
    return Organization.objects.create(name=name, kind=OrganizationKind.CENTRE, admin_unit=_unit())


def _unit():
    from stims.geo.models import AdminUnit

    return AdminUnit.objects.filter(level="province").order_by("pk").first()


def test_every_tracked_table_has_the_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name = 'stims_data_changed'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stims_dv_%'"
            )
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(aggregates.tracked_tables()) <= with_trigger
    assert "orgs_organization" in with_trigger
    assert not any(t.startswith("core_") for t in with_trigger)


def test_version_moves_on_each_write_path():
    seen = {aggregates.version(["orgs"])}

    def moved():
        now = aggregates.version(["orgs"])
        assert now not in seen
        seen.add(now)

    a = org()  # save()
    moved()
    Organization.objects.filter(pk=a.pk).update(notes="bulk")  # no signal
    moved()
    Organization.objects.bulk_create(
        [Organization(name=n, kind=a.kind, admin_unit_id=a.admin_unit_id) for n in "BC"]
    )
    moved()
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("UPDATE orgs_organization SET phone = '1' WHERE id = %s", [a.pk])
    moved()
    Organization.objects.filter(name="C").delete()
    moved()


def test_a_table_not_read_leaves_the_version_alone():
    from stims.accounts.models import User

    before = aggregates.version(["orgs"])
    User.objects.create_user(username="someone", password="pw-for-tests-123")
    assert aggregates.version(["orgs"]) == before


def test_a_rolled_back_write_never_gives_back_a_version_seen_inside_it():
    before = aggregates.version(["orgs"])
    inside = None
    try:
        with transaction.atomic():
            org()
            inside = aggregates.version(["orgs"])
            raise RuntimeError
    except RuntimeError:
        pass
    assert aggregates.version(["orgs"]) == before
    org()
    assert aggregates.version(["orgs"]) not in {before, inside}


def test_cached_value_recomputed_after_a_write_and_kept_otherwise():
    calls = []

    def compute():
        calls.append(1)
        return Organization.objects.count()

    first = aggregates.cached("t.count", compute, depends_on=[Organization], scope="all")
    assert aggregates.cached("t.count", compute, depends_on=[Organization], scope="all") == first
    assert len(calls) == 1
    org()
    assert aggregates.cached("t.count", compute, depends_on=[Organization], scope="all") == first + 1
    assert len(calls) == 2


def test_scopes_never_share_an_entry():
    one = _unit()
    specialist = make_user("specialist")
    officer_a = make_user("local_officer", admin_unit=one)
    same_as_a = make_user("local_officer", admin_unit=one)
    superuser = make_user(is_superuser=True)
    keys = {aggregates.scope_of(u) for u in (specialist, officer_a, superuser, None)}
    assert len(keys) == 4
    assert aggregates.scope_of(same_as_a) == aggregates.scope_of(officer_a)

    answers = {}
    for user in (specialist, officer_a):
        scope = aggregates.scope_of(user)
        answers[scope] = aggregates.cached("t.scoped", lambda s=scope: s, depends_on=["orgs"], scope=scope)
    assert set(answers.values()) == set(answers)


def test_warm_read_is_one_query(django_assert_num_queries):
    aggregates.cached("t.warm", lambda: 1, depends_on=["orgs"], scope="all")
    with django_assert_num_queries(1):
        assert aggregates.cached("t.warm", lambda: 2, depends_on=["orgs"], scope="all") == 1


def test_unknown_dependencies_are_refused():
    with pytest.raises(ValueError):
        aggregates.tables_of(["no_such_app"])


def test_a_read_between_two_writes_of_one_transaction_is_not_kept_for_the_second():
    with transaction.atomic():
        org("A")
        between = aggregates.version(["orgs"])
        org("B")
        assert aggregates.version(["orgs"]) != between


def test_compaction_keeps_every_version():
    org()
    before = aggregates.version(["orgs"]), aggregates.version(["geo"])
    aggregates.compact()
    assert (aggregates.version(["orgs"]), aggregates.version(["geo"])) == before
    if connection.vendor == "postgresql":
        from stims.core.models import DataChange

        assert not DataChange.objects.exists()
        org("after")
        assert aggregates.version(["orgs"]) != before[0]


def test_a_reader_folds_the_change_log_when_it_grows(monkeypatch):
    from stims.core.models import DataChange

    org()
    first = aggregates.version(["orgs"])
    monkeypatch.setattr(aggregates, "COMPACT_AFTER", 0)
    assert aggregates.version(["orgs"]) == first  # folded while read: the same version
    assert aggregates.version(["orgs"]) == first
    if connection.vendor == "postgresql":
        assert not DataChange.objects.exists()


def test_a_reader_folds_the_changes_of_tables_it_does_not_read(monkeypatch):
    """The change log of a table no dashboard reads is folded in by the next reader of any version,
    so it never grows without end."""
    from stims.core.models import DataChange

    org()
    geo_version = aggregates.version(["geo"])
    monkeypatch.setattr(aggregates, "COMPACT_AFTER", 0)
    assert aggregates.version(["geo"]) == geo_version  # reads geo only; orgs' change is folded too
    if connection.vendor == "postgresql":
        assert not DataChange.objects.filter(table_name__startswith="orgs_").exists()


# --- Dashboards' figures may lag the data by at most STIMS_FIGURES_STALE_SECONDS, never the viewer's writes


class Clock:
    def __init__(self, monkeypatch, start=1_000_000.0):
        self.now = start
        monkeypatch.setattr(aggregates, "_now", lambda: self.now)


def counted(calls):
    def compute():
        calls.append(1)
        return Organization.objects.count()

    return compute


def test_a_dashboard_serves_figures_up_to_the_lag_behind_another_users_write(settings, monkeypatch):
    settings.STIMS_FIGURES_STALE_SECONDS = 30
    clock, calls, viewer = Clock(monkeypatch), [], make_user("specialist")
    aggregates.start_request()

    def read():
        return aggregates.cached(
            "t.lag", counted(calls), depends_on=[Organization], scope="all", stale_for=viewer
        )

    first = read()
    assert aggregates.served_as_of() is None  # computed now: current
    org()  # someone else's write
    clock.now += 29
    assert read() == first and len(calls) == 1
    # The page says when they were computed.
    assert aggregates.served_as_of() == datetime.datetime.fromtimestamp(1_000_000.0, tz=datetime.UTC)
    clock.now += 1  # 30 s: too old to serve behind the data
    aggregates.start_request()
    assert read() == first + 1 and len(calls) == 2
    assert aggregates.served_as_of() is None


def test_the_viewers_own_write_is_in_the_next_figures_they_see(settings, monkeypatch):
    settings.STIMS_FIGURES_STALE_SECONDS = 30
    clock, calls = Clock(monkeypatch), []
    viewer, other = make_user("specialist"), make_user("specialist")

    def read(user):
        return aggregates.cached(
            "t.own", counted(calls), depends_on=[Organization], scope="all", stale_for=user
        )

    first = read(viewer)
    clock.now += 5
    org()
    aggregates.note_write(viewer)
    assert read(other) == first  # the other user may be served the figures behind the data...
    assert read(viewer) == first + 1  # ...the writer never
    assert len(calls) == 2
    assert read(other) == first + 1  # and these are now the current figures for everyone


def test_figures_not_allowed_to_lag_and_a_lag_of_zero_are_exact(settings, monkeypatch):
    Clock(monkeypatch)
    calls, viewer = [], make_user("specialist")
    settings.STIMS_FIGURES_STALE_SECONDS = 30
    first = aggregates.cached("t.exact", counted(calls), depends_on=[Organization], scope="all")
    org()
    assert aggregates.cached("t.exact", counted(calls), depends_on=[Organization], scope="all") == first + 1
    settings.STIMS_FIGURES_STALE_SECONDS = 0
    org()
    assert (
        aggregates.cached("t.exact", counted(calls), depends_on=[Organization], scope="all", stale_for=viewer)
        == first + 2
    )
