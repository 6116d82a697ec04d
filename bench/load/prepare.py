"""Load test, step 1 (main venv): fill the database the runner created and migrated, or find what an
existing one (a copy of the national data set, a kept load database) already holds.

Adds, when TASKS and ASSETS are not 0, realistic volume with the benchmarks' own builders (bench/tasks.py: tasks with their events,
councils, budgets and results, plus organizations and people; bench/registries.py: IP assets and
products with evaluations), then the demo data (`stims demo`) when the database holds no task yet; then creates (or finds) the
users the virtual users act as (division specialists `load.NN`: they read everything and add and
edit records), each with a password for the web pages and a fresh API token, and writes everything
the locustfile needs to a JSON file: the credentials, and ids that reads and writes may point at.

    DATABASE_URL=… .venv/bin/python bench/load/prepare.py OUT.json USERS TASKS ASSETS
"""

import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import registries  # noqa: E402  (bench/registries.py; importing it sets Django up)
import tasks  # noqa: E402  (bench/tasks.py)
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def signed_in_session(user) -> str:
    """The key of a session signed in as `user`, as the login form leaves it (the staff signed in
    earlier in the day): the server's SECRET_KEY must be the one this process runs with."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main(out: Path, n_users: int, n_tasks: int, n_assets: int) -> None:
    from stims.accounts.models import ApiToken, RoleAssignment, User
    from stims.geo.models import AdminUnit
    from stims.ip.models import IpAsset, IpStatus, IpType
    from stims.orgs.models import Organization, Person
    from stims.products.models import Product, ProductGroup
    from stims.sttasks.models import ScienceField, Task, TaskType, WorkflowState

    if n_tasks:
        start = time.perf_counter()
        tasks.build(n_tasks, random.Random(2025))
        print(f"tasks built in {time.perf_counter() - start:.0f} s", flush=True)
    if n_assets:
        start = time.perf_counter()
        registries.build(n_assets, max(n_assets // 20, 100), random.Random(2026))
        print(f"registries built in {time.perf_counter() - start:.0f} s", flush=True)
    # The demo after the volume: the task builder gives members to every council it finds.
    if n_tasks or n_assets or not Task.objects.exists():
        start = time.perf_counter()
        call_command("demo", stdout=open(os.devnull, "w"))
        print(f"demo loaded in {time.perf_counter() - start:.0f} s", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    # One password for every load user, hashed once (the real hasher: signing in costs what it costs).
    password = secrets.token_urlsafe(16)
    hashed = make_password(password)
    users, tokens, sessions = [], [], []
    for i in range(1, n_users + 1):
        user, created = User.objects.get_or_create(username=f"load.{i:02d}")
        user.password, user.is_active = hashed, True
        user.save(update_fields=["password", "is_active"])
        if created:
            RoleAssignment.objects.create(user=user, role="specialist")
        users.append(user.username)
        tokens.append(ApiToken.issue(user, name="load test")[1])
        sessions.append(signed_in_session(user))

    home = AdminUnit.objects.current().filter(province__code=settings.STIMS_PROVINCE)

    def ids(queryset, limit=200):
        return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])

    data = {
        "tokens": tokens,
        "users": users,
        "sessions": sessions,
        "password": password,
        "units": ids(home.filter(level="commune")),
        "organizations": ids(Organization.objects.filter(kind="enterprise"))
        or ids(Organization.objects.all()),
        "people": ids(Person.objects.all()),
        "product_groups": ids(ProductGroup.objects.all()),
        "task_types": ids(TaskType.objects.all()),
        "fields": ids(ScienceField.objects.all()),
        "ip_types": ids(IpType.objects.all()),
        "ip_statuses": ids(IpStatus.objects.all()),
        "task_states": ids(WorkflowState.objects.all()),
        # Ids spread over the whole table, for detail reads.
        "read": {
            "organizations": ids(Organization.objects.order_by("?"), 500),
            "products": ids(Product.objects.order_by("?"), 500),
            "ip_assets": ids(IpAsset.objects.order_by("?"), 500),
            "tasks": ids(Task.objects.order_by("?"), 500),
        },
        "counts": {
            model.__name__: model.objects.count() for model in (Organization, Person, Product, IpAsset, Task)
        },
    }
    out.write_text(json.dumps(data))
    print(
        "database: "
        + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items())
        + f"; {n_users} service users with tokens",
        flush=True,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
