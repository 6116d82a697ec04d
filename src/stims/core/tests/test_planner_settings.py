"""PostgreSQL connections plan the join orders of at most 4 relations at once (issue #20): a record's
page joins ten lookups by key, whose planning cost ten times their run. `STIMS_PG_JOIN_COLLAPSE_LIMIT`
changes it."""

import os
import subprocess  # nosec B404  (our own interpreter, fixed arguments)
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")


def show(cursor) -> str:
    cursor.execute("SHOW join_collapse_limit")
    return cursor.fetchone()[0]


@postgres_only
def test_connections_plan_joins_four_at_a_time():
    with connection.cursor() as cursor:
        assert show(cursor) == "4"


@postgres_only
def test_the_limit_is_a_setting():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'stims.settings'; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {**os.environ, "STIMS_PG_JOIN_COLLAPSE_LIMIT": "8", "SECRET_KEY": "x" * 50}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # nosec B603
    assert out.stdout.strip() == "-c join_collapse_limit=8"
