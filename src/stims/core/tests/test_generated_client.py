"""An integrator's journey: generate a Python client from the live schema with openapi-python-client
(no warning, every module importable), then use it against a live server as an integration would."""

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from stims.accounts.models import ApiToken
from stims.orgs.models import Organization, Person, Position
from stims.testing import make_user, unit

from .browser import units_fixture  # noqa: F401  (the live server's units)

pytestmark = [pytest.mark.slow]

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture
def generated(live_server, units, tmp_path):
    if not GENERATOR.exists():
        pytest.fail("openapi-python-client is not installed (the dev extra): make install")
    specialist = make_user("specialist", username=f"integrator-{uuid.uuid4().hex[:6]}")
    _, key = ApiToken.issue(specialist, name="integration test")
    import urllib.request

    request = urllib.request.Request(
        f"{live_server.url}/api/schema/",
        headers={"Authorization": f"Token {key}", "Accept": "application/json"},
    )
    schema = tmp_path / "stims.json"
    schema.write_bytes(urllib.request.urlopen(request, timeout=120).read())  # nosec B310 # our own live server
    out = tmp_path / "gen"
    out.mkdir()
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [GENERATOR, "generate", "--path", schema, "--meta", "none", "--output-path", out / "stims_client"],
        capture_output=True,
        text=True,
        cwd=out,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("stims_client"), key, specialist
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == "stims_client" or m.startswith("stims_client.")]:
            del sys.modules[name]
        shutil.rmtree(out, ignore_errors=True)


def test_every_generated_module_imports(generated):
    client_package, _, _ = generated
    api = importlib.import_module("stims_client.api")
    modules = [
        f"stims_client.api.{package.name}.{module.name}"
        for package in pkgutil.iter_modules(api.__path__)
        for module in pkgutil.iter_modules(
            importlib.import_module(f"stims_client.api.{package.name}").__path__
        )
    ]
    assert len(modules) > 250
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # the report names every module that does not import
            failed.append(f"{name}: {error!r}")
    assert not failed, failed


def test_the_generated_client_does_an_integrations_work(generated, live_server):
    package, key, specialist = generated
    from stims_client import AuthenticatedClient
    from stims_client.api.orgs import (
        create_organization,
        delete_organization,
        get_organization,
        list_organizations,
        partial_update_organization,
    )
    from stims_client.models import (
        Error,
        OrganizationKindEnum,
        OrganizationRequest,
        PatchedOrganizationRequest,
        StaleVersion,
    )

    client = AuthenticatedClient(base_url=live_server.url, token=key, prefix="Token")
    cooperative = OrganizationKindEnum("cooperative")
    ba_che = unit("Huyện Ba Chẽ", legacy=True)

    # Bulk create, retried with the same idempotency key: one batch.
    batch = [
        OrganizationRequest(name=f"HTX số {n}", kind=cooperative, admin_unit=ba_che.pk) for n in range(3)
    ]
    idem = str(uuid.uuid4())
    first = create_organization.sync_detailed(client=client, body=batch, idempotency_key=idem)
    again = create_organization.sync_detailed(client=client, body=batch, idempotency_key=idem)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Organization.objects.filter(name__startswith="HTX số").count() == 3

    # A list with a filter and pages (page=last is accepted as typed).
    page = list_organizations.sync(client=client, q="HTX số", page=1)
    assert page.count == 3 and {o.name for o in page.results} == {"HTX số 0", "HTX số 1", "HTX số 2"}
    assert list_organizations.sync(client=client, q="HTX số", page="last").count == 3

    # Read with ETag; update with If-Match; a stale version is a typed 412.
    target = Organization.objects.get(name="HTX số 0")
    read = get_organization.sync_detailed(client=client, id=target.pk)
    etag = read.headers["ETag"]
    assert read.headers["API-Version"]
    changed = partial_update_organization.sync_detailed(
        client=client, id=target.pk, body=PatchedOrganizationRequest(phone="0203 999 000"), if_match=etag
    )
    assert changed.status_code == 200 and changed.parsed.phone == "0203 999 000"
    stale = partial_update_organization.sync(
        client=client, id=target.pk, body=PatchedOrganizationRequest(phone="0203 111 222"), if_match=etag
    )
    assert isinstance(stale, StaleVersion) and stale.code == "precondition_failed" and stale.changes

    # Null sent as null; a field left out keeps its default.
    orphan = create_organization.sync(
        client=client,
        body=OrganizationRequest(
            name="HTX không trực thuộc", kind=cooperative, admin_unit=ba_che.pk, parent=None
        ),
    )
    assert Organization.objects.get(pk=orphan.id).is_active is True

    # A typed 400.
    invalid = create_organization.sync(
        client=client, body=OrganizationRequest(name="", kind=cooperative, admin_unit=ba_che.pk)
    )
    assert isinstance(invalid, Error) and invalid.code == "invalid" and "name" in invalid.errors

    # Deleting a record others refer to: a typed 409.
    person = Person.objects.create(full_name="Lò Văn Tằng", admin_unit=ba_che)
    Position.objects.create(person=person, organization=target, title="Giám đốc")
    leader = make_user("leader", username=f"leader-{uuid.uuid4().hex[:6]}")
    _, leader_key = ApiToken.issue(leader, name="leader")
    leader_client = AuthenticatedClient(base_url=live_server.url, token=leader_key, prefix="Token")
    refused = delete_organization.sync_detailed(client=leader_client, id=target.pk)
    assert (
        refused.status_code == 409
        and isinstance(refused.parsed, Error)
        and refused.parsed.code in ("protected", "conflict")
    )

    # A typed 403: a viewer may read but not create.
    viewer = make_user("viewer", username=f"viewer-{uuid.uuid4().hex[:6]}")
    _, viewer_key = ApiToken.issue(viewer, name="read only")
    forbidden = create_organization.sync(
        client=AuthenticatedClient(base_url=live_server.url, token=viewer_key, prefix="Token"),
        body=OrganizationRequest(name="Không được", kind=cooperative, admin_unit=ba_che.pk),
    )
    assert isinstance(forbidden, Error) and forbidden.code == "permission_denied"
