"""Helpers for tests: users with roles, units looked up by their official names, Excel uploads."""

import itertools

from stims.geo.models import AdminUnit, Generation, Level

_counter = itertools.count(1)


def unit(name: str, *, legacy: bool = False, province: str | None = None) -> AdminUnit:
    """A loaded administrative unit by its full name, e.g. unit("Huyện Ba Chẽ", legacy=True)."""
    units = AdminUnit.objects.filter(
        name=name, generation=Generation.LEGACY if legacy else Generation.CURRENT
    )
    if province:
        units = units.filter(province__short_name=province)
    return units.select_related("parent", "province").get()


def province(short_name: str, *, legacy: bool = False) -> AdminUnit:
    return AdminUnit.objects.get(
        level=Level.PROVINCE,
        short_name=short_name,
        generation=Generation.LEGACY if legacy else Generation.CURRENT,
    )


def make_user(role: str | None = None, *, admin_unit=None, organization=None, username=None, **extra):
    """A user holding one role (or none), limited to a unit and/or an organization."""
    from stims.accounts.models import RoleAssignment, User

    user = User.objects.create_user(
        username=username or f"user{next(_counter)}", password="pw-for-tests-123", **extra
    )
    if role:
        RoleAssignment.objects.create(user=user, role=role, admin_unit=admin_unit, organization=organization)
    return user


# The data migrations that seed reference data (workflow, task types, OCOP groups and star bands, IP
# types and statuses, council criteria): a transactional test's flush empties those tables too.
SEED_MIGRATIONS = (
    "stims.sttasks.migrations.0002_seed_workflow_and_reference_data",
    "stims.products.migrations.0002_seed_groups_and_star_bands",
    "stims.ip.migrations.0003_seed_types_and_statuses",
    "stims.councils.migrations.0003_seed_ratings_and_criteria",
    "stims.inspections.migrations.0002_seed_sectors_and_violation_types",
)


def reseed_reference_data() -> None:
    """Put back what the seed migrations create (each seed only adds what is missing)."""
    import importlib

    from django.apps import apps

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)


def xlsx_upload(headers, rows, name: str = "danh-sach.xlsx"):
    """An uploaded .xlsx file whose first sheet holds `headers` and then `rows`, as a user sends it."""
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())
