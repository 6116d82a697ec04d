"""The schema passes the tools integrators run on it: `openapi-typescript` generates types without a
warning, and `redocly lint` with the recommended rules (trailing slashes aside, see redocly.yaml)
reports no error and no warning."""

import json
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from stims.testing import make_user

# The tools read a file: what they say does not depend on the database the schema was served from.
pytestmark = [pytest.mark.slow, pytest.mark.once, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[4]
BIN = ROOT / "node_modules" / ".bin"


@pytest.fixture
def schema_file(tmp_path) -> Path:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(make_user("viewer", username=f"schema-{uuid.uuid4().hex[:6]}"))
    path = tmp_path / "stims.json"
    path.write_text(json.dumps(client.get("/api/schema/", HTTP_ACCEPT="application/json").json()))
    return path


def run(args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=300)


def test_openapi_typescript_generates_the_types_without_a_warning(schema_file, tmp_path):
    result = run([BIN / "openapi-typescript", schema_file, "-o", tmp_path / "stims.d.ts"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warn" not in (result.stdout + result.stderr).lower().replace("deprecation warning: node.js", "")
    types = (tmp_path / "stims.d.ts").read_text()
    assert "list_tasks" in types and "OrganizationRequest" in types


def test_redocly_lint_finds_nothing_but_trailing_slashes(schema_file):
    result = run(
        [BIN / "redocly", "lint", schema_file, "--config", ROOT / "redocly.yaml", "--format=summary"], ROOT
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error" not in output.replace("Deprecation", "").lower() or "0 errors" in output.lower(), output
    assert "warning " not in output.lower(), output
