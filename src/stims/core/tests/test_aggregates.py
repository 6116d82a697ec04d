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


def test_only_a_write_to_a_table_the_figures_read_is_the_writers_own(settings, monkeypatch):
    """The writer's marks are table by table: a write to a table the figures do not read leaves them
    lagging for the writer too; a write to one they read, or whose tables are not known, does not."""
    from stims.geo.models import AdminUnit

    settings.STIMS_FIGURES_STALE_SECONDS = 30
    clock, calls, viewer = Clock(monkeypatch), [], make_user("specialist")

    def read():
        return aggregates.cached(
            "t.tables", counted(calls), depends_on=[Organization], scope="all", stale_for=viewer
        )

    first = read()
    clock.now += 5
    org()
    aggregates.note_write(viewer, ["products_product", "django_session"])  # not read by these figures
    assert read() == first and len(calls) == 1
    aggregates.note_write(viewer, [AdminUnit._meta.db_table])  # a scope table, not read with scope "all"
    assert read() == first and len(calls) == 1
    aggregates.note_write(viewer, [Organization._meta.db_table])
    assert read() == first + 1 and len(calls) == 2
    clock.now += 5
    org()
    aggregates.note_write(viewer)  # an import: any table
    assert read() == first + 2 and len(calls) == 3


def test_the_scope_tables_are_the_writers_own_when_the_scope_reads_them(settings, monkeypatch):
    """A local officer's scope is read from the units' and organizations' tables: their own write to
    either is in their next figures, which a deployment-wide user's is not."""
    from stims.geo.models import AdminUnit
    from stims.sttasks.models import Task

    settings.STIMS_FIGURES_STALE_SECONDS = 30
    clock = Clock(monkeypatch)
    unit = AdminUnit.objects.filter(level="province").order_by("pk").first()
    officer, specialist = make_user("local_officer", admin_unit=unit), make_user("specialist")
    assert aggregates.scope_reads_tables(aggregates.scope_of(officer))
    assert not aggregates.scope_reads_tables(aggregates.scope_of(specialist))
    assert not aggregates.scope_reads_tables("all") and not aggregates.scope_reads_tables("none")
    for user, recomputed in ((specialist, False), (officer, True)):
        calls: list = []

        def read(user=user, calls=calls):
            return aggregates.cached(
                "t.scope",
                lambda calls=calls: calls.append(1) or Task.objects.count(),
                depends_on=[Task],
                scope=aggregates.scope_of(user),
                stale_for=user,
            )

        read()
        clock.now += 5
        org()
        aggregates.note_write(user, [Organization._meta.db_table])
        read()
        assert len(calls) == (2 if recomputed else 1), user


def test_the_tables_a_request_writes_are_read_from_its_statements():
    history = Organization.history.model._meta.db_table  # written too, but no figure reads it
    written = aggregates.WrittenTables()
    with written.watching():
        Organization.objects.count()
        with transaction.atomic():
            created = org("Viện B")
        assert written.tables == {"orgs_organization", history}
        Organization.objects.filter(pk=created.pk).update(phone="0203 111 222")
        Organization.objects.bulk_create(
            [Organization(name="Viện C", kind=OrganizationKind.CENTRE, admin_unit=created.admin_unit)]
        )
        assert written.tables == {"orgs_organization", history}
        created.delete()  # and what points at it is set to no organization: users, directives
        assert written.tables == {"orgs_organization", history, "accounts_user", "meetings_directive"}
        with connection.cursor() as cursor:
            cursor.execute("WITH x AS (SELECT 1) SELECT * FROM x")  # not read as a write of one table
    assert aggregates.EVERY_TABLE in written.tables
    seen = set(written.tables)
    Organization.objects.filter(name="Viện C").delete()  # no longer watched
    assert written.tables == seen


def test_a_write_to_no_table_a_figure_reads_notes_nothing():
    user = make_user("specialist")
    aggregates.note_write(user, [Organization.history.model._meta.db_table, "django_session"])
    assert aggregates.cache.get(aggregates._wrote_key(user)) is None
    aggregates.note_write(user, ["orgs_organization"])
    assert aggregates.cache.get(aggregates._wrote_key(user, "orgs_organization")) is not None


def test_a_write_through_the_pages_notes_the_tables_it_wrote(client, settings, monkeypatch):
    """The middleware: a page that saves an organization marks that table for its writer; the figures
    of organizations are then computed again for them, not those of tasks."""
    from django.urls import reverse

    from stims.sttasks.models import Task

    settings.STIMS_FIGURES_STALE_SECONDS = 30
    Clock(monkeypatch)
    user = make_user("specialist")
    client.force_login(user)
    response = client.post(
        reverse("orgs:organization_add"),
        {"name": "Hợp tác xã Chè Ba Chẽ", "kind": "cooperative", "admin_unit": _unit().pk, "is_active": "on"},
    )
    assert response.status_code == 302
    wrote = {
        model: aggregates._wrote_since(
            aggregates.Entry("v", aggregates._now() - 1, None),
            user,
            aggregates.tables_of([model], scope_tables=False),
        )
        for model in (Organization, Task)
    }
    assert wrote == {Organization: True, Task: False}


def test_a_computation_reading_a_table_it_does_not_name_is_refused(settings):
    from stims.geo.models import AdminUnit

    with pytest.raises(aggregates.UndeclaredTables, match="geo_adminunit"):
        aggregates.cached(
            "t.undeclared",
            lambda: Organization.objects.filter(admin_unit__level="province").count(),
            depends_on=[Organization],
            scope="all",
        )
    assert (
        aggregates.cached(
            "t.declared",
            lambda: Organization.objects.filter(admin_unit__level="province").count(),
            depends_on=[Organization, AdminUnit],
            scope="all",
        )
        == Organization.objects.filter(admin_unit__level="province").count()
    )


def test_while_one_request_computes_figures_whose_lag_ran_out_the_others_get_the_previous_ones(
    settings, monkeypatch
):
    """No dog-pile: the first request past the lag claims the computation; the others are served the
    previous figures (saying from when) until it is done, for COMPUTING_GRACE seconds at most; the
    writer of a table read is never served them; the claim is released when done, or when it fails."""
    settings.STIMS_FIGURES_STALE_SECONDS = 30
    clock, calls = Clock(monkeypatch), []
    viewer, writer = make_user("specialist"), make_user("specialist")

    def read(user, compute=None):
        aggregates.start_request()
        return aggregates.cached(
            "t.claim", compute or counted(calls), depends_on=[Organization], scope="all", stale_for=user
        )

    first = read(viewer)
    key = aggregates.key_for("t.claim", "all", ())
    org()
    clock.now += 31  # the lag has run out
    assert aggregates._claim(key)  # another request is computing them
    assert read(viewer) == first and len(calls) == 1
    assert aggregates.served_as_of() is not None
    aggregates.note_write(writer, [Organization._meta.db_table])
    assert read(writer) == first + 1 and len(calls) == 2  # the writer's own: computed at once
    cache_key = aggregates._computing_key(key)
    assert aggregates.cache.get(cache_key)  # the other request's claim is not the writer's to release
    aggregates.cache.delete(cache_key)

    org()
    clock.now += 31
    assert read(viewer) == first + 2 and len(calls) == 3  # no one computing: this request does
    assert aggregates.cache.get(cache_key) is None  # and releases its claim

    org()
    clock.now += 31
    assert aggregates._claim(key)
    clock.now += aggregates.COMPUTING_GRACE  # a claim that never finished: not waited for any longer
    assert read(viewer) == first + 3 and len(calls) == 4
    aggregates.cache.delete(cache_key)

    org()
    clock.now += 31

    def failing():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        read(viewer, failing)
    assert aggregates.cache.get(cache_key) is None  # a failed computation leaves no claim behind
