"""What a list page costs above its SQL: the task list beside its raw-SQL floor, two bare Django pages
and the Django admin's change list with its own floor (issue #20's two ratios, taken apart).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_quick .venv/bin/python bench/floor.py

On a database `bench/national.py` built (any size). Each figure is the median of BENCH_REPEAT (default
40) requests through the test client and the whole middleware (session, user, CSRF, security headers,
the audit's and the request log's), the lines interleaved so the machine's load falls on all alike:

- the page's **floor**: the SQL statements it issued, captured once, re-run through a bare cursor with
  every row fetched and serialised to JSON (bench/national.py's `×raw` divides by this);
- a **bare page**: a view that only reads the signed-in user and answers an empty body — what any page
  costs on this stack before it does anything;
- a **bare list**: the same user, then the page's own rows query run raw and its rows written as an
  HTML table with every value escaped — no menu, filter form, permissions, links or labels;
- STIMS's **task list**, and the **Django admin**'s task change list (25 rows a page), with its own floor
  taken the same way.

Not a test: it prints figures, it asserts nothing.
"""

import functools
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import national  # noqa: E402  (production's settings, Django set up; its page capture and raw re-run)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils.html import escape  # noqa: E402

ROWS_SQL: list[str] = []  # the task list's rows query, set before the bare list is asked


def bare_page(request):
    request.user.is_authenticated  # noqa: B018  (the session and the user read, as every page does)
    return HttpResponse("")


def bare_list(request):
    request.user.is_authenticated  # noqa: B018
    with connection.cursor() as cursor:
        cursor.execute(ROWS_SQL[0])
        rows = cursor.fetchall()
    body = "".join("<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>" for row in rows)
    return HttpResponse(f"<!doctype html><table>{body}</table>")


# The bare pages, then STIMS's own (this module is the URL configuration while it measures).
urlpatterns = [
    path("bare/page/", bare_page),
    path("bare/list/", bare_list),
    path("", include(settings.ROOT_URLCONF)),
]


def main() -> None:
    from django.contrib import admin
    from django.test import Client, override_settings
    from django.urls import clear_url_caches, reverse

    from stims.accounts.models import User
    from stims.core import serving
    from stims.sttasks.models import Task
    from stims.testing import make_user

    repeat = int(os.environ.get("BENCH_REPEAT", "40"))
    national.collect_static()
    specialist = User.objects.filter(username="national.floor.specialist").first() or make_user(
        "specialist", username="national.floor.specialist"
    )
    superuser = User.objects.filter(username="national.floor.admin").first()
    if superuser is None:
        superuser = User.objects.create_superuser("national.floor.admin", password="pw-for-bench-123")
    admin.site._registry[Task].list_per_page = 25
    client, admin_client = Client(), Client()
    client.force_login(specialist)
    admin_client.force_login(superuser)
    task_list = reverse("sttasks:task_list")
    admin_list = reverse("admin:sttasks_task_changelist")

    page_sql = national.page_statements(client, task_list)[1]
    admin_sql = national.page_statements(admin_client, admin_list)[1]
    ROWS_SQL.append(next(sql for sql in page_sql if sql.startswith('SELECT "sttasks_task"."id"')))
    module = sys.modules[__name__]
    with override_settings(ROOT_URLCONF=module):
        clear_url_caches()
        serving.settle()
        lines = {
            "the task list's floor (its SQL, raw)": functools.partial(national.run_statements, page_sql),
            "bare page (the user read, nothing else)": lambda: client.get("/bare/page/"),
            "bare list (the user, the rows query, an escaped table)": lambda: client.get("/bare/list/"),
            "STIMS task list": lambda: client.get(task_list),
            "the admin's floor (its SQL, raw)": functools.partial(national.run_statements, admin_sql),
            "Django admin task change list": lambda: admin_client.get(admin_list),
        }
        for run in lines.values():
            run()
        times: dict[str, list[float]] = {label: [] for label in lines}
        for _ in range(repeat):
            for label, run in lines.items():
                start = time.perf_counter()
                run()
                times[label].append((time.perf_counter() - start) * 1000)
    clear_url_caches()
    median = {label: statistics.median(values) for label, values in times.items()}
    floor, admin_floor = (
        median["the task list's floor (its SQL, raw)"],
        median["the admin's floor (its SQL, raw)"],
    )
    print(
        f"database: {connection.vendor}; {repeat} requests each; queries: page {len(page_sql)}, admin {len(admin_sql)}"
    )
    print(f"{'':<58} {'median':>8} {'× page floor':>13} {'× admin floor':>14}")
    for label, value in median.items():
        print(f"{label:<58} {value:8.2f} {value / floor:12.1f}× {value / admin_floor:13.1f}×")


if __name__ == "__main__":
    main()
