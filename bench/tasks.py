"""Benchmark: S&T tasks at provincial scale, with everything that hangs on a task.

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) holding all administrative
units, 1,000 organizations, 3,000 people and N tasks (default 100,000) spread over the home
province's units (both generations), plan years 2012–next year, types, levels, programmes, fields,
lead organizations and workflow states, each with the history its state implies:

  * task events along the workflow path up to its state (about five per task);
  * identification, selection, appraisal and acceptance councils (ten dossiers each, seven members,
    a score sheet per member and dossier; its scores by criterion for the last three years' councils);
  * budget lines by year and source, tranches, disbursements, and a settlement once liquidated;
  * results with their registration certificates, handovers and application reports;
  * progress reports every six months of a running task, some never submitted (overdue), and
    running tasks whose end date has passed.

Then it prints the median and 95th-percentile times, and the SQL query count, of the task pages
people use most, as a specialist (deployment-wide) and as a commune's local officer:

    .venv/bin/python bench/tasks.py [N]        # default N = 100,000 tasks
    .venv/bin/python bench/tasks.py 2000       # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1/stims_bench .venv/bin/python bench/tasks.py

A page whose URL name does not resolve (not built yet) is skipped with a note. Rows are written with
bulk_create in batches, which skips save(): the folded search columns are filled here with the
models' own build_search_text()/core.text.fold, as save() would. Not a test: it prints figures, it
asserts nothing.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 5000
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
TODAY = timezone.localdate()
FIRST_YEAR = 2012

SUBJECTS = [
    "mô hình trồng ba kích tím",
    "quy trình nhân giống trà hoa vàng",
    "chuỗi giá trị miến dong",
    "chế biến chả mực",
    "nuôi hàu Thái Bình Dương",
    "bảo tồn gen lợn Móng Cái",
    "nhãn hiệu tập thể mật ong",
    "truy xuất nguồn gốc sản phẩm OCOP",
    "chuyển đổi số cấp xã",
    "xử lý nước thải làng nghề",
    "trồng quế hữu cơ",
    "nuôi gà đồi Tiên Yên",
    "sản xuất nấm linh chi",
    "du lịch cộng đồng Bình Liêu",
]
VERBS = [
    "Ứng dụng tiến bộ kỹ thuật xây dựng",
    "Nghiên cứu",
    "Xây dựng và phát triển",
    "Hoàn thiện công nghệ",
    "Đánh giá hiện trạng và đề xuất giải pháp cho",
]
PLACES = [
    "Ba Chẽ",
    "Bình Liêu",
    "Tiên Yên",
    "Đầm Hà",
    "Hải Hà",
    "Vân Đồn",
    "Cô Tô",
    "Đông Triều",
    "Uông Bí",
    "Hạ Long",
]
ORG_PREFIX = ["Trung tâm", "Viện", "Trường Đại học", "Công ty cổ phần", "Hợp tác xã", "Phòng Kinh tế"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Lý"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Chính",
    "Quốc Dũng",
    "Đức Hùng",
    "Thị Lan",
    "Thị Mai",
    "Xuân Tú",
    "Văn Vỹ",
]

# The main path of the default workflow: state codes, and the step that leads into each.
PATH = [
    "proposed",
    "identified",
    "call_open",
    "selected",
    "appraised",
    "approved",
    "contracted",
    "in_progress",
    "acceptance",
    "results_registered",
    "liquidated",
    "handed_over",
    "applied",
]
STEP_INTO = {
    "identified": "identify",
    "call_open": "open_call",
    "selected": "select",
    "appraised": "appraise",
    "approved": "approve",
    "contracted": "sign_contract",
    "in_progress": "start",
    "acceptance": "submit_acceptance",
    "results_registered": "register_results",
    "liquidated": "liquidate",
    "handed_over": "hand_over",
    "applied": "report_application",
}
# Side exits: (state, the path state it leaves from, the step).
SIDE = {
    "not_selected": ("call_open", "not_select"),
    "terminated": ("in_progress", "terminate"),
    "suspended": ("in_progress", "suspend"),
}
COUNCIL_AFTER = {
    "identification": "identified",
    "selection": "selected",
    "appraisal": "appraised",
    "acceptance": "results_registered",
}


def timed(label, fn, repeat=REPEAT):
    durations, queries, status = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        status = getattr(response, "status_code", None)
    durations.sort()
    p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
    print(
        f"{label:<66} median {statistics.median(durations):8.1f} ms   p95 {p95:8.1f} ms   "
        f"{queries:3d} queries   HTTP {status}",
        flush=True,
    )


def batched(objects, model):
    """bulk_create a generator in batches, without holding every object at once; returns the count."""
    chunk, count = [], 0
    for obj in objects:
        chunk.append(obj)
        if len(chunk) == BATCH:
            model.objects.bulk_create(chunk, batch_size=BATCH)
            count += len(chunk)
            chunk = []
    if chunk:
        model.objects.bulk_create(chunk, batch_size=BATCH)
        count += len(chunk)
    return count


def searchable(obj):
    from stims.core.text import fold

    obj.search_text = obj.build_search_text()
    obj.search_name = fold(obj._resolve(obj.search_name_field))[:255]
    return obj


def between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def pick_state(rng, year: int) -> str:
    """Where a task of `year` stands today: old tasks are mostly done, recent ones in preparation."""
    age = TODAY.year - year
    roll = rng.random()
    if roll < 0.06:
        return "not_selected"
    if roll < 0.08 and age >= 1:
        return "terminated"
    if roll < 0.09 and age >= 1:
        return "suspended"
    if age <= 0:
        reach = 5  # next year's and this year's proposals: still in preparation
    elif age == 1:
        reach = 8
    elif age <= 3:
        reach = 10
    else:
        reach = 12
    low = {0: 0, 1: 3, 2: 6, 3: 7}.get(age, 9)
    return PATH[rng.randint(min(low, reach), reach)]


def build(n: int, rng: random.Random, spread=None):
    """spread: a registries.Spread (default: the home province's units, both generations)."""
    from stims.accounts.models import User
    from stims.councils.models import (
        Council,
        CouncilDossier,
        CouncilMember,
        CriteriaSet,
        Criterion,
        RatingLevel,
        Score,
        ScoreSheet,
    )
    from stims.funding.models import BudgetLine, Disbursement, Settlement, Tranche
    from stims.orgs.models import Organization, Person
    from stims.results.models import ApplicationReport, Handover, TaskResult
    from stims.sttasks.models import (
        Programme,
        ProgressReport,
        ScienceField,
        Task,
        TaskEvent,
        TaskType,
        WorkflowState,
        WorkflowTransition,
    )

    if spread is None:
        from registries import Spread

        spread = Spread()
    communes = spread.communes
    types, fields, programmes = (
        list(TaskType.objects.all()),
        list(ScienceField.objects.all()),
        list(Programme.objects.all()),
    )
    states = {s.code: s for s in WorkflowState.objects.all()}
    steps = {t.code: t for t in WorkflowTransition.objects.all()}
    officer_user = User.objects.create_user(username="bench.officer.in.charge", password="x-bench-123456")

    start = time.perf_counter()
    batched(
        (
            searchable(
                Organization(
                    name=f"{rng.choice(ORG_PREFIX)} {rng.choice(SUBJECTS)} {rng.choice(PLACES)} {i}",
                    kind=rng.choice(["centre", "institute", "university", "enterprise", "cooperative"]),
                    admin_unit=spread.pick(rng),
                )
            )
            for i in range(1000)
        ),
        Organization,
    )
    orgs = list(Organization.objects.all())
    batched(
        (
            searchable(
                Person(full_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)} {i}", admin_unit=spread.pick(rng))
            )
            for i in range(3000)
        ),
        Person,
    )
    people = list(Person.objects.all())
    print(
        f"built 1,000 organizations, 3,000 people                           {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    # ---- tasks
    start = time.perf_counter()
    plan = []  # (task, state code) in creation order

    def tasks():
        for i in range(n):
            year = rng.randint(FIRST_YEAR, TODAY.year + 1)
            state = pick_state(rng, year)
            reached = PATH.index(SIDE[state][0]) if state in SIDE else PATH.index(state)
            unit = spread.pick(rng, year) if rng.random() < 0.85 else None
            task = Task(
                code=f"NV.{year}.{i:06d}",
                title=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)} tại {rng.choice(PLACES)}",
                task_type=rng.choice(types),
                level=rng.choices(["provincial", "grassroots", "national"], [5, 4, 1])[0],
                programme=rng.choice(programmes) if rng.random() < 0.3 else None,
                field=rng.choice(fields),
                ordering_unit=unit,
                ordering_organization=rng.choice(orgs) if unit is None or rng.random() < 0.2 else None,
                lead_organization=rng.choice(orgs)
                if reached >= PATH.index("selected") or rng.random() < 0.5
                else None,
                principal_investigator=rng.choice(people) if reached >= PATH.index("selected") else None,
                officer=officer_user if rng.random() < 0.3 else None,
                proposal_year=year,
                objectives="Xây dựng mô hình và chuyển giao quy trình",
                expected_products="Quy trình; mô hình",
                state=states[state],
                is_published=rng.random() < 0.4,
            )
            if reached >= PATH.index("approved"):
                task.start_date = datetime.date(min(year, TODAY.year), rng.randint(1, 9), 1)
                task.end_date = task.start_date + datetime.timedelta(
                    days=30 * rng.choice([12, 18, 24, 30, 36])
                )
                task.original_end_date = task.end_date
            if rng.random() < 0.1 and year < TODAY.year:
                task.is_carried_over, task.carried_over_year = True, year + 1
            task.state_since = between(rng, datetime.date(min(year, TODAY.year), 1, 1), TODAY)
            plan.append((task, state))
            yield searchable(task)

    batched(tasks(), Task)
    if plan and plan[0][0].pk is None:  # a backend that does not return keys from bulk_create
        ids = dict(Task.objects.values_list("code", "pk"))
        for task, _state in plan:
            task.pk = task.id = ids[task.code]
    print(
        f"built {n:,} tasks                                                  {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    def path_of(state):
        """The states a task went through, in order, ending with its own."""
        if state in SIDE:
            left_from, _step = SIDE[state]
            return [*PATH[: PATH.index(left_from) + 1], state]
        return PATH[: PATH.index(state) + 1]

    def reached(state, target):
        return target in path_of(state)

    # ---- events along each task's path
    start = time.perf_counter()

    def events():
        for task, state in plan:
            visited = path_of(state)
            day = datetime.date(min(task.proposal_year, TODAY.year) - 1, 10, 1)
            for before, after in zip(visited, visited[1:], strict=False):
                step = steps[SIDE[after][1] if after in SIDE else STEP_INTO[after]]
                day = between(rng, day, min(day + datetime.timedelta(days=200), TODAY))
                yield TaskEvent(
                    task_id=task.pk,
                    transition=step,
                    from_state=states[before],
                    to_state=states[after],
                    happened_on=day,
                    reason="Theo quyết định" if step.requires_reason else "",
                    actor=officer_user,
                )

    count = batched(events(), TaskEvent)
    print(
        f"built {count:,} task events                                          {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    # ---- councils, members, dossiers, score sheets and scores
    start = time.perf_counter()
    criteria = {}
    for kind in COUNCIL_AFTER:
        criteria_set = CriteriaSet.objects.filter(council_kind=kind).first()
        if criteria_set is None:
            criteria_set = CriteriaSet.objects.create(
                name=f"Tiêu chí {kind}", council_kind=kind, pass_mark=Decimal("70")
            )
            for number in range(1, 6):
                Criterion.objects.create(
                    criteria_set=criteria_set,
                    code=str(number),
                    name=f"Tiêu chí {number}",
                    max_score=Decimal("20"),
                    sort_order=number,
                )
        criteria[kind] = (criteria_set, list(criteria_set.criteria.all()))
    ratings = list(RatingLevel.objects.filter(is_pass=True)) or [None]
    council_tasks = {kind: [t for t, s in plan if reached(s, after)] for kind, after in COUNCIL_AFTER.items()}
    groups = []  # (kind, tasks) per council: ten dossiers each
    for kind, chosen in council_tasks.items():
        groups += [(kind, chosen[i : i + 10]) for i in range(0, len(chosen), 10)]
    batched(
        (
            Council(
                kind=kind,
                name=f"Hội đồng {kind} {number}",
                criteria_set=criteria[kind][0],
                decision_number=f"{number}/QĐ-SKHCN",
                meeting_date=between(rng, datetime.date(FIRST_YEAR, 1, 1), TODAY),
                concluded_on=TODAY - datetime.timedelta(days=rng.randint(1, 3000)),
            )
            for number, (kind, _tasks) in enumerate(groups)
        ),
        Council,
    )
    councils = list(Council.objects.order_by("pk"))
    batched(
        (
            CouncilMember(council=council, person=person, role="chair" if index == 0 else "member")
            for council in councils
            for index, person in enumerate(rng.sample(people, 7))
        ),
        CouncilMember,
    )
    members = {}
    for member in CouncilMember.objects.order_by("pk").values_list("council_id", "pk"):
        members.setdefault(member[0], []).append(member[1])
    batched(
        (
            CouncilDossier(
                council=council,
                task_id=task.pk,
                applicant=task.lead_organization,
                passed=True,
                rating=rng.choice(ratings) if kind == "acceptance" else None,
            )
            for council, (kind, chosen) in zip(councils, groups, strict=True)
            for task in chosen
        ),
        CouncilDossier,
    )
    kinds = {council.pk: council.kind for council in councils}
    scored = [
        (pk, council_id)
        for pk, council_id in CouncilDossier.objects.values_list("pk", "council_id")
        if kinds[council_id] in ("selection", "acceptance")
    ]
    sheets = batched(
        (
            ScoreSheet(dossier_id=dossier, member_id=member, total=Decimal(rng.randint(60, 95)))
            for dossier, council_id in scored
            for member in members[council_id]
        ),
        ScoreSheet,
    )

    # Scores by criterion for the councils of the last three years only: older sheets were kept on
    # paper, their totals typed in (and scores would triple the build time without changing a page).
    recent = {council.pk for council in councils if council.meeting_date.year >= TODAY.year - 2}

    def scores():
        for sheet_id, council_id in ScoreSheet.objects.values_list("pk", "dossier__council_id").iterator(
            chunk_size=BATCH
        ):
            if council_id not in recent:
                continue
            for criterion in criteria[kinds[council_id]][1]:
                yield Score(
                    sheet_id=sheet_id,
                    criterion=criterion,
                    score=Decimal(
                        rng.randint(int(criterion.max_score * Decimal("0.6")), int(criterion.max_score))
                    ),
                )

    score_count = batched(scores(), Score)
    print(
        f"built {len(councils):,} councils, {sum(len(t) for _k, t in groups):,} dossiers, {sheets:,} score sheets, "
        f"{score_count:,} scores   {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    # ---- money
    start = time.perf_counter()
    funded = [(t, s) for t, s in plan if reached(s, "approved")]
    batched(
        (
            BudgetLine(task_id=task.pk, year=year, source=source, amount=rng.randint(50, 900) * 1_000_000)
            for task, _s in funded
            for year in range(task.start_date.year, task.end_date.year + 1)
            for source in ("state_lump_sum", "counterpart")
        ),
        BudgetLine,
    )
    contracted = [(t, s) for t, s in plan if reached(s, "contracted")]
    batched(
        (
            Tranche(
                task_id=task.pk,
                number=number,
                planned_on=task.start_date + datetime.timedelta(days=180 * (number - 1)),
                amount=rng.randint(100, 600) * 1_000_000,
            )
            for task, _s in contracted
            for number in (1, 2)
        ),
        Tranche,
    )
    tranches = {}
    for pk, task_id, number, planned_on in Tranche.objects.values_list(
        "pk", "task_id", "number", "planned_on"
    ):
        tranches[(task_id, number)] = (pk, planned_on)
    batched(
        (
            Disbursement(
                task_id=task.pk,
                tranche_id=tranches[(task.pk, number)][0],
                paid_on=min(tranches[(task.pk, number)][1] + datetime.timedelta(days=20), TODAY),
                amount=rng.randint(100, 500) * 1_000_000,
                voucher=f"UNC-{task.pk}-{number}",
            )
            for task, state in contracted
            for number in ((1, 2) if reached(state, "acceptance") else (1,))
        ),
        Disbursement,
    )
    batched(
        (
            Settlement(
                task_id=task.pk,
                settled_on=min(task.end_date + datetime.timedelta(days=90), TODAY),
                settled_amount=rng.randint(300, 1500) * 1_000_000,
            )
            for task, state in plan
            if reached(state, "liquidated")
        ),
        Settlement,
    )
    print(
        f"built {BudgetLine.objects.count():,} budget lines, {Tranche.objects.count():,} tranches, "
        f"{Disbursement.objects.count():,} disbursements, {Settlement.objects.count():,} settlements"
        f"   {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    # ---- results, handovers, applications
    start = time.perf_counter()
    registered = [(t, s) for t, s in plan if reached(s, "results_registered")]
    batched(
        (
            searchable(
                TaskResult(
                    task=task,
                    kind=rng.choice(["process", "model", "technology", "variety"]),
                    name=f"Quy trình {rng.choice(SUBJECTS)} {number}",
                    certificate_number=f"GCN-{task.pk}-{number}",
                    certificate_date=min(task.end_date + datetime.timedelta(days=60), TODAY),
                )
            )
            for task, _s in registered
            for number in range(1, rng.randint(1, 2) + 1)
        ),
        TaskResult,
    )
    state_of = {task.pk: state for task, state in plan}
    results = list(TaskResult.objects.values_list("pk", "task_id"))
    handed = [(pk, task_id) for pk, task_id in results if reached(state_of[task_id], "handed_over")]
    batched(
        (
            Handover(
                result_id=pk,
                receiving_unit=rng.choice(communes),
                handed_over_on=TODAY - datetime.timedelta(days=rng.randint(30, 2000)),
                record_number=f"BB-{pk}",
            )
            for pk, _t in handed
        ),
        Handover,
    )
    batched(
        (
            ApplicationReport(
                result_id=pk,
                year=year,
                admin_unit=rng.choice(communes),
                place="Hợp tác xã",
                status=rng.choice(["applied", "replicated", "trial"]),
                scale=f"{rng.randint(1, 50)} ha",
                reported_on=datetime.date(year, 12, 15),
            )
            for pk, task_id in handed
            if state_of[task_id] == "applied"
            for year in range(max(FIRST_YEAR, TODAY.year - 3), TODAY.year)
        ),
        ApplicationReport,
    )
    print(
        f"built {len(results):,} results, {Handover.objects.count():,} handovers, "
        f"{ApplicationReport.objects.count():,} application reports   {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    # ---- progress reports: every six months of a running or finished task; some never came in
    start = time.perf_counter()
    from stims.sttasks.services import progress_due_dates

    def reports():
        for task, state in plan:
            if not reached(state, "in_progress"):
                continue
            running = state in ("in_progress", "contracted")
            for number, due in enumerate(progress_due_dates(task.start_date, task.end_date, 6), 1):
                late = running and due < TODAY and rng.random() < 0.15
                submitted = (
                    None
                    if late or due >= TODAY
                    else min(due + datetime.timedelta(days=rng.randint(-10, 20)), TODAY)
                )
                yield ProgressReport(
                    task_id=task.pk,
                    due_on=due,
                    period=f"Báo cáo {number} (hạn {due:%d/%m/%Y})",
                    submitted_on=submitted,
                    percent_complete=min(100, 20 * number) if submitted else None,
                )

    count = batched(reports(), ProgressReport)
    print(
        f"built {count:,} progress reports                                   {time.perf_counter() - start:8.1f} s",
        flush=True,
    )
    return plan, states


def main(n: int) -> None:
    setup_test_environment()
    print(f"database: {connection.vendor}; today {TODAY:%d/%m/%Y}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(
        f"load_units                                                        {time.perf_counter() - start:8.1f} s",
        flush=True,
    )
    rng = random.Random(2025)
    plan, states = build(n, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from stims.core import permissions
    from stims.geo.models import AdminUnit
    from stims.sttasks.deadlines import overdue_q
    from stims.sttasks.models import Task
    from stims.testing import make_user

    commune = (
        AdminUnit.objects.current().filter(province__code=settings.STIMS_PROVINCE, name="Xã Ba Chẽ").first()
        or AdminUnit.objects.current().filter(province__code=settings.STIMS_PROVINCE, level="commune").first()
    )
    specialist = make_user("specialist", username="bench.specialist")
    officer = make_user("local_officer", admin_unit=commune, username="bench.officer")
    print(
        f"{Task.objects.filter(overdue_q(TODAY)).count():,} tasks with something overdue; "
        f"{permissions.restrict(Task.objects.all(), officer).count():,} tasks in the scope of {commune}",
        flush=True,
    )

    def url(name, *args):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    def busiest(user):
        """A task the user may see that carries the most records (an applied task: every panel full)."""
        visible = permissions.restrict(Task.objects.all(), user)
        return (
            visible.filter(state__code="applied").order_by("-pk").first()
            or visible.order_by("-state__sort_order", "-pk").first()
        )

    in_progress = states["in_progress"].pk
    pages = [
        ("task list, page 1", lambda: url("sttasks:task_list")),
        (
            "task list state+level+year",
            lambda: (
                (url("sttasks:task_list") or None)
                and f"{url('sttasks:task_list')}?state={in_progress}&level=provincial&proposal_year={TODAY.year - 2}"
            ),
        ),
        (
            "task list search 'ba kich tim'",
            lambda: (url("sttasks:task_list") or None) and f"{url('sttasks:task_list')}?q=ba+kich+tim",
        ),
        ("leader's summary", lambda: url("sttasks:summary")),
        ("overdue list", lambda: url("sttasks:overdue")),
        # The API pages by number, with an exact count: page 1, a filtered page, and the last page (the
        # deepest OFFSET a client walking the whole table reaches).
        ("API tasks, page 1", lambda: "/api/tasks/tasks/"),
        (
            "API tasks state+year",
            lambda: f"/api/tasks/tasks/?state={in_progress}&proposal_year={TODAY.year - 2}",
        ),
        ("API tasks, last page", lambda: "/api/tasks/tasks/?page=last"),
    ]
    for user in (specialist, officer):
        client = Client()
        client.force_login(user)
        who = user.username
        for label, address in pages:
            target = address()
            if target is None:
                print(f"[{who}] {label}: its URL name does not resolve yet, not measured")
                continue
            timed(f"[{who}] {label}", lambda c=client, t=target: c.get(t))
        task = busiest(user)
        detail = url("sttasks:task_detail", task.pk) if task else None
        if detail:
            timed(
                f"[{who}] task page ({task.state.code}, {task.events.count()} events)",
                lambda c=client, t=detail: c.get(t),
            )
        elif task is None:
            print(f"[{who}] task page: no task in this user's scope, not measured")
        else:
            print(f"[{who}] task page: sttasks:task_detail does not resolve yet, not measured")


if __name__ == "__main__":
    main(int(sys.argv[1].replace(",", "").replace("_", "")) if len(sys.argv) > 1 else 100_000)
