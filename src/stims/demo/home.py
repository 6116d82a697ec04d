"""Something for every demo role to do on its home page, added after the other builders:

- a result handed over to Xã Ba Chẽ (user `canbo.xabache`), whose application it has to report;
- a proposal from Bình Liêu (user `canbo.binhlieu`) sent to the department ("Gửi Sở"), waiting for
  the department's decision (users `lanhdao`, `chuyenvien`, told by a notification);
- a directive report of a locality, waiting for the leader's acceptance.

(The score sheet owed by `hoidong` comes with the S&T tasks: `sttasks.pending_council_for_the_demo_council_member`.)
Idempotent: each is looked for first, by its own marks, and made only when missing.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db import transaction

from stims.accounts.models import RoleAssignment, User
from stims.core import permissions
from stims.geo.models import AdminUnit, Generation
from stims.meetings import services as directive_services
from stims.meetings.models import Directive, DirectiveState
from stims.results.models import Handover, TaskResult
from stims.sttasks import proposals
from stims.sttasks.models import Task, TaskType

HANDOVER_RECORD = "25/BB-SKHCN"
PROPOSAL_TITLE = (
    "Ứng dụng công nghệ nhân giống in vitro cây hồi phục vụ phát triển vùng nguyên liệu tại Bình Liêu"
)
REPORT_TEXT = (
    "Đã tổ chức khảo sát, tổng hợp nhu cầu và gửi báo cáo kết quả thực hiện kèm theo danh sách hộ tham gia."
)


def _unit(name: str, generation: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(name=name, generation=generation).order_by("pk").first()


def handover_to_xa_ba_che() -> bool:
    unit = _unit("Xã Ba Chẽ", Generation.CURRENT)
    if unit is None or Handover.objects.filter(record_number=HANDOVER_RECORD).exists():
        return False
    result = (
        TaskResult.objects.filter(task__state__code__in=["handed_over", "applied"])
        .exclude(handovers__receiving_unit=unit)
        .order_by("task__code", "pk")
        .first()
    )
    if result is None:
        return False
    Handover.objects.create(
        result=result,
        receiving_unit=unit,
        handed_over_on=datetime.date(2026, 10, 15),
        record_number=HANDOVER_RECORD,
        note="Bàn giao để ứng dụng tại các thôn vùng cao của xã.",
    )
    return True


def proposal_from_binh_lieu() -> bool:
    officer = User.objects.filter(username="canbo.binhlieu").first()
    orderer = _unit("Xã Bình Liêu", Generation.CURRENT)
    task_type = TaskType.objects.filter(code="de-tai").first()
    if officer is None or orderer is None or task_type is None:
        return False
    if Task.objects.filter(title=PROPOSAL_TITLE).exists():
        return False
    task = Task(
        title=PROPOSAL_TITLE,
        task_type=task_type,
        level="grassroots",
        proposal_year=2027,
        ordering_unit=orderer,
        objectives=(
            "Làm chủ quy trình nhân giống in vitro cây hồi; sản xuất 20.000 cây giống sạch bệnh; "
            "xây dựng mô hình 10 ha trồng hồi thâm canh."
        ),
        expected_products="Quy trình nhân giống; 20.000 cây giống; mô hình 10 ha.",
    )
    task._history_user = officer
    task.full_clean()
    task.save()
    proposals.submit_proposal(task, officer)
    return True


def report_awaiting_acceptance() -> bool:
    if Directive.objects.filter(reports__text=REPORT_TEXT).exists():
        return False
    officers = User.objects.filter(
        pk__in=RoleAssignment.objects.active().filter(role="local_officer").values("user"), is_active=True
    ).order_by("username")
    for officer in officers:
        candidates = (
            permissions.restrict(Directive.objects.all(), officer)
            .filter(state__in=[DirectiveState.ASSIGNED, DirectiveState.IN_PROGRESS])
            .order_by("deadline", "pk")
        )
        for directive in candidates[:20]:
            if directive_services.allowed(officer, directive, "report"):
                directive_services.move(
                    directive, "report", officer, on=datetime.date(2026, 11, 30), text=REPORT_TEXT
                )
                return True
    return False


def load(stdout: TextIO) -> None:
    made = []
    with transaction.atomic():
        if handover_to_xa_ba_che():
            made.append("a result handed over to Xã Ba Chẽ")
        if proposal_from_binh_lieu():
            made.append("a proposal from Bình Liêu sent to the department")
        if report_awaiting_acceptance():
            made.append("a directive report awaiting acceptance")
    if made:
        stdout.write("Demo work for the home pages: " + "; ".join(made) + "\n")
