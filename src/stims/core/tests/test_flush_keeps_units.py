"""A test that commits ends with a flush that keeps the 14,000 administrative units when no test wrote
to them (core.tests.reference_data.keep_units_across_flushes), and empties them like every other table
when one did, so that the next test loads them again as they were."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from stims.accounts.models import RoleAssignment, User
from stims.core.tests import reference_data
from stims.geo.models import AdminUnit
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def flush() -> None:
    """As pytest-django flushes after a transactional test."""
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


def test_a_flush_keeps_units_nobody_wrote_to_and_empties_the_rest(unit_snapshot):
    reference_data.ensure_units()
    units = AdminUnit.objects.count()
    assert units > 14_000
    unit = AdminUnit.objects.order_by("pk").first()
    department = Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.DEPARTMENT, admin_unit=unit
    )
    make_user("specialist", organization=department)

    flush()

    assert AdminUnit.objects.count() == units
    assert not Organization.objects.exists()
    assert not User.objects.exists() and not RoleAssignment.objects.exists()
    # The reference lists are written again by the flush's post_migrate, as before.
    assert ContentType.objects.get_for_model(Organization)


def test_a_unit_changed_by_a_test_is_emptied_by_the_flush_and_loaded_again_as_it_was(unit_snapshot):
    reference_data.ensure_units()
    unit = AdminUnit.objects.get(name="Huyện Định Hóa")
    AdminUnit.objects.filter(pk=unit.pk).update(name="Renamed by a test")

    flush()

    assert not AdminUnit.objects.exists()
    reference_data.ensure_units()
    assert AdminUnit.objects.get(pk=unit.pk).name == "Huyện Định Hóa"
    # Loaded again, the units are kept by the next flush.
    flush()
    assert AdminUnit.objects.filter(pk=unit.pk, name="Huyện Định Hóa").exists()


@pytest.mark.slow  # builds the demo in a flushed database (23 s): a proof for CI's slow tier
def test_the_demo_copied_back_after_a_flush_is_the_build_whatever_the_test_before_left(unit_snapshot):
    from stims.sttasks.models import Task
    from stims.testing import demo_snapshot

    demo_snapshot.load_committed()
    built = {
        "tasks": sorted(Task.objects.values_list("pk", "code", "title")),
        "organizations": sorted(Organization.objects.values_list("pk", "name")),
        "users": sorted(User.objects.values_list("pk", "username", "password")),
        "task history": Task.history.count(),
    }
    assert built["tasks"] and built["organizations"]
    # A test changes and adds rows, and its flush leaves the reference lists given new keys.
    Task.objects.filter(pk=built["tasks"][0][0]).update(title="Changed by a test")
    unit = AdminUnit.objects.order_by("pk").first()
    Organization.objects.create(name="Left by a test", kind=OrganizationKind.DEPARTMENT, admin_unit=unit)
    flush()
    reference_data.ensure_units()

    demo_snapshot.load_committed()

    assert {
        "tasks": sorted(Task.objects.values_list("pk", "code", "title")),
        "organizations": sorted(Organization.objects.values_list("pk", "name")),
        "users": sorted(User.objects.values_list("pk", "username", "password")),
        "task history": Task.history.count(),
    } == built
    # New rows get keys after the copied ones.
    added = Organization.objects.create(name="Added after", kind=OrganizationKind.DEPARTMENT, admin_unit=unit)
    assert added.pk > max(pk for pk, _ in built["organizations"])
