"""Demo S&T tasks for `stims demo`, from the seed articles, entered through the same services as the
pages: every state is reached by workflow steps (`workflow.perform`) with the councils, documents,
budgets and results each step requires.

What the articles say, and what is built from it:
  * Sơn La (05/6/2023): 12 results of accepted tasks handed over to departments, universities and units
    of the province; 29 tasks carried over from 2021 (24 provincial topics, 4 projects of the rural and
    mountainous areas programme managed centrally, 1 urgent local topic at national level); the
    selection council held for 9 of the 13 topics of 2023 (QĐ 2423/QĐ-UBND 18/11/2022 and
    338/QĐ-UBND 07/03/2023); the leader asked to allow research models to be extended, stating why.
  * Quảng Ninh (13/3/2023): in 2022 Bình Liêu ordered 4 provincial tasks (3 R&D, 1 under the IP
    development programme); Ba Chẽ put 550 million VND into S&T in 2022 and was asked to propose tasks
    for 2024 on golden camellia, morinda and native timber trees.
  * Thái Nguyên (27/4/2023): Định Hóa asked the department to support restoring Bao Thai rice and
    Định Biên Nếp Vải rice; the director assigned the Science division to help.

Titles, codes, people, amounts and dates beyond those are illustrations and say so ("minh hoạ"). A
task whose code exists is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from stims.accounts.models import User
from stims.councils import services as council_services
from stims.councils.models import Council, CouncilDossier, CouncilMember, CouncilRole, CriteriaSet
from stims.demo.orgs import (
    CREATED,
    SRC_QN,
    SRC_SL,
    SRC_TN,
    UNCHANGED,
    UPDATED,
    Tally,
    load_directory,
    upsert,
    write_summary,
)
from stims.funding import services as funding_services
from stims.funding.models import (
    Allocation,
    AllocationSpending,
    BudgetLine,
    Disbursement,
    FundingSource,
    Settlement,
    Tranche,
)
from stims.orgs.models import Organization, OrganizationKind, Person
from stims.results.models import ApplicationReport, ApplicationStatus, Handover, ResultKind, TaskResult
from stims.sttasks import workflow
from stims.sttasks.models import (
    Call,
    Document,
    DocumentKind,
    Level,
    Programme,
    ScienceField,
    Task,
    TaskType,
    WorkflowTransition,
)

Date = datetime.date
ILLUSTRATIVE = "Tên, mã, chủ nhiệm, kinh phí và các ngày là minh hoạ (demo); số lượng theo bài viết."


@dataclass
class TaskSpec:
    code: str
    title: str
    type_code: str
    level: str
    field_code: str
    unit: str  # key into the demo directory's units
    lead: str  # key into the demo directory's organizations (or the extra ones below)
    year: int
    start: Date
    end: Date
    path: list[str]  # workflow steps to take, in order
    programme: str | None = None
    carried_over_year: int | None = None
    budget: int = 900_000_000
    extend_to: Date | None = None
    results: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    receivers: list[str] = field(default_factory=list)  # organization keys receiving the results
    applied_in: list[tuple[str, int, str, str]] = field(
        default_factory=list
    )  # (unit key, year, status, scale)
    source: str = ""
    identify: tuple[str, Date] | None = None  # the decision approving the list, when not the batch's
    handed_over_on: Date | None = None  # the day the results were handed over (the article's period)
    extend_on: Date | None = None  # the day the extension was decided


EXTRA_ORGS = [
    # Receivers and lead organizations the articles name by kind only ("các sở, ngành, Trường đại học, cao đẳng").
    ("dh_taybac", "Trường Đại học Tây Bắc", OrganizationKind.UNIVERSITY, "sl"),
    ("cd_sonla", "Trường Cao đẳng Sơn La", OrganizationKind.UNIVERSITY, "sl"),
    (
        "snn_sl",
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Sơn La",
        OrganizationKind.PROVINCIAL_AGENCY,
        "sl",
    ),
    ("vien_lua", "Viện Cây lương thực và Cây thực phẩm", OrganizationKind.INSTITUTE, "hn"),
    ("dh_nonglam_tn", "Trường Đại học Nông Lâm - Đại học Thái Nguyên", OrganizationKind.UNIVERSITY, "tn"),
]

EXPERTS = [
    # Illustrative council members and principal investigators (not in the articles).
    ("GS.TS", "Nguyễn Văn Tuất", "Bảo vệ thực vật"),
    ("PGS.TS", "Lê Thị Hà", "Khoa học cây trồng"),
    ("PGS.TS", "Trần Đức Viên", "Sinh thái nông nghiệp"),
    ("TS", "Lò Văn Hùng", "Chăn nuôi"),
    ("TS", "Cầm Thị Lan", "Lâm sinh"),
    ("TS", "Vì Văn Minh", "Kinh tế nông nghiệp"),
    ("ThS", "Đinh Thị Thu", "Quản lý khoa học"),
    ("TS", "Hoàng Văn Sơn", "Công nghệ sinh học"),
    ("TS", "Nông Thị Bích", "Chọn tạo giống lúa"),
]

SL_TOPICS = [
    (
        "de-tai",
        "nong-nghiep",
        "Nghiên cứu tuyển chọn giống cà phê chè năng suất cao, chất lượng tốt cho vùng Mộc Châu",
    ),
    (
        "de-tai",
        "nong-nghiep",
        "Nghiên cứu quy trình nhân giống và trồng cây sơn tra (táo mèo) theo hướng hàng hóa",
    ),
    ("de-tai", "nong-nghiep", "Ứng dụng công nghệ cao trong sản xuất rau an toàn tại thành phố Sơn La"),
    ("de-tai", "y-duoc", "Nghiên cứu bảo tồn và phát triển một số cây dược liệu quý tại huyện Sốp Cộp"),
    ("de-tai", "nong-nghiep", "Nghiên cứu quy trình thâm canh xoài tròn Yên Châu theo tiêu chuẩn VietGAP"),
    ("de-tai", "ky-thuat", "Ứng dụng công nghệ chế biến sâu sản phẩm từ quả mận hậu Mộc Châu"),
    ("de-tai", "xa-hoi", "Nghiên cứu giải pháp phát triển du lịch cộng đồng gắn với văn hóa dân tộc Thái"),
    ("de-tai", "nong-nghiep", "Nghiên cứu chọn lọc và nhân giống bò Mộc Châu thuần chủng"),
    ("de-tai", "nong-nghiep", "Xây dựng mô hình trồng cây mắc ca xen cà phê tại huyện Mai Sơn"),
    ("de-tai", "ky-thuat", "Ứng dụng công nghệ thông tin quản lý vùng trồng cây ăn quả xuất khẩu"),
    ("de-tai", "nong-nghiep", "Nghiên cứu phòng trừ tổng hợp sâu đục thân hại cây cà phê"),
    ("de-tai", "nhan-van", "Sưu tầm, bảo tồn chữ viết và văn học dân gian dân tộc Mông"),
]


def _lower_first(text: str) -> str:
    """A title inside a sentence: first letter lower-cased, proper names (Sơn La, Mộc Châu) kept."""
    return text[:1].lower() + text[1:]


def _sl_handed_over(units) -> list[TaskSpec]:
    """The 12 accepted tasks whose results were handed over in January–May 2023 (the article reports
    them among the results of the first five months of 2023; the days are illustrative)."""
    receivers = [
        "snn_sl",
        "dh_taybac",
        "cd_sonla",
        "snn_sl",
        "so_sl",
        "snn_sl",
        "ubnd_sl",
        "snn_sl",
        "snn_sl",
        "dh_taybac",
        "snn_sl",
        "dh_taybac",
    ]
    kinds = [
        ResultKind.VARIETY,
        ResultKind.PROCESS,
        ResultKind.MODEL,
        ResultKind.PROCESS,
        ResultKind.PROCESS,
        ResultKind.TECHNOLOGY,
        ResultKind.SOLUTION,
        ResultKind.VARIETY,
        ResultKind.MODEL,
        ResultKind.TECHNOLOGY,
        ResultKind.PROCESS,
        ResultKind.PUBLICATION,
    ]
    specs = []
    for number, ((type_code, field_code, title), receiver, kind) in enumerate(
        zip(SL_TOPICS, receivers, kinds, strict=True), 1
    ):
        applied = [("sl", 2023, ApplicationStatus.APPLIED, f"{10 * number} ha")] if number % 2 else []
        if number in (1, 5, 9):
            applied.append(("sl", 2025, ApplicationStatus.REPLICATED, f"{40 * number} ha, {number * 25} hộ"))
        specs.append(
            TaskSpec(
                code=f"SL.ĐT.{number:02d}-2019",
                title=title,
                type_code=type_code,
                level=Level.PROVINCIAL,
                field_code=field_code,
                unit="sl",
                lead=["hvnn", "dh_taybac", "tt_knst_sl"][number % 3],
                year=2019,
                start=Date(2019, 7, 1),
                end=Date(2021, 6, 30),
                budget=600_000_000 + 50_000_000 * number,
                path=[
                    *FULL_PREPARATION,
                    "start",
                    "submit_acceptance",
                    "register_results",
                    "liquidate",
                    "hand_over",
                    *(["report_application"] if applied else []),
                ],
                results=[(kind, f"Kết quả: {_lower_first(title)}")],
                receivers=[receiver],
                handed_over_on=Date(2023, 1 + (number - 1) * 5 // 12, 10 + (number % 3) * 5),
                applied_in=applied,
                source=SRC_SL,
            )
        )
    return specs


FULL_PREPARATION = ["identify", "open_call", "select", "appraise", "approve", "sign_contract"]


def _sl_carried_over() -> list[TaskSpec]:
    """29 tasks carried over from 2021: 24 provincial topics, 4 NTMN projects, 1 national topic."""
    specs = []
    for number in range(1, 25):
        title = f"Đề tài cấp tỉnh chuyển tiếp số {number:02d} (minh hoạ): " + _lower_first(
            SL_TOPICS[number % len(SL_TOPICS)][2]
        )
        path = [*FULL_PREPARATION, "start"]
        extend_to = extend_on = None
        if number <= 3:
            # "cho phép kéo dài thời gian nghiên cứu, nêu rõ nguyên nhân" (05/6/2023): the research models
            # due to end on 30/6/2023 were extended by a year, decided after the session, then submitted.
            extend_on, extend_to = Date(2023, 6, 26), Date(2024, 6, 30)
            path += ["extend", "submit_acceptance"]
        elif number <= 6:
            path.append("submit_acceptance")
        else:
            path += ["submit_acceptance", "register_results", "liquidate"]
        specs.append(
            TaskSpec(
                code=f"SL.ĐT.{number:02d}-2021",
                title=title,
                type_code="de-tai",
                level=Level.PROVINCIAL,
                field_code=SL_TOPICS[number % len(SL_TOPICS)][1],
                unit="sl",
                lead=["hvnn", "dh_taybac", "snn_sl"][number % 3],
                year=2021,
                start=Date(2021, 7, 1),
                end=Date(2023, 6, 30) if number > 6 or number <= 3 else Date(2026, 6, 30),
                carried_over_year=2022,
                extend_to=extend_to,
                extend_on=extend_on,
                path=path,
                budget=750_000_000 + 10_000_000 * number,
                results=[(ResultKind.PROCESS, f"Quy trình kỹ thuật của đề tài {number:02d}")]
                if number > 6
                else [],
                source=SRC_SL,
            )
        )
    for number in range(1, 5):
        specs.append(
            TaskSpec(
                code=f"SL.NTMN.{number:02d}-2021",
                title=f"Dự án thuộc Chương trình Nông thôn miền núi số {number} (minh hoạ): "
                f"ứng dụng tiến bộ KH&CN phát triển {['chè Shan tuyết', 'cá nước lạnh', 'lúa đặc sản', 'dê núi'][number - 1]}",
                type_code="du-an-khcn",
                level=Level.NATIONAL,
                programme="ntmn",
                field_code="nong-nghiep",
                unit="sl",
                lead="tt_knst_sl",
                year=2021,
                start=Date(2022, 1, 1),
                end=Date(2026, 12, 31),
                carried_over_year=2022,
                path=[*FULL_PREPARATION, "start"],
                budget=2_500_000_000,
                source=SRC_SL,
            )
        )
    specs.append(
        TaskSpec(
            code="SL.QG.01-2021",
            title="Đề tài cấp thiết địa phương cấp Quốc gia (minh hoạ): giải pháp phát triển bền vững "
            "vùng cây ăn quả tỉnh Sơn La",
            type_code="de-tai",
            level=Level.NATIONAL,
            field_code="nong-nghiep",
            unit="sl",
            lead="hvnn",
            year=2021,
            start=Date(2021, 10, 1),
            end=Date(2027, 3, 31),
            carried_over_year=2022,
            path=[*FULL_PREPARATION, "start"],
            budget=4_800_000_000,
            source=SRC_SL,
        )
    )
    return specs


def _sl_2023() -> list[TaskSpec]:
    """13 topics of 2023, identified by QĐ 2423/QĐ-UBND (18/11/2022) and 338/QĐ-UBND (07/3/2023);
    the selection council held for 9 of them."""
    return [
        TaskSpec(
            code=f"SL.ĐT.{number:02d}-2023",
            title=f"Đề tài năm 2023 số {number:02d} (minh hoạ): "
            + _lower_first(SL_TOPICS[(number + 3) % len(SL_TOPICS)][2]),
            type_code="de-tai",
            level=Level.PROVINCIAL,
            field_code=SL_TOPICS[(number + 3) % len(SL_TOPICS)][1],
            unit="sl",
            lead=["hvnn", "dh_taybac", "snn_sl"][number % 3],
            year=2023,
            start=Date(2023, 7, 1),
            end=Date(2025, 6, 30),
            path=["identify", "open_call", *(["select"] if number <= 9 else [])],
            source=SRC_SL,
            # The list was completed by a second decision in March 2023.
            identify=("338/QĐ-UBND", Date(2023, 3, 7)) if number > 11 else None,
        )
        for number in range(1, 14)
    ]


def _quang_ninh() -> list[TaskSpec]:
    binh_lieu = [
        (
            "de-tai",
            "nong-nghiep",
            "Nghiên cứu phát triển vùng nguyên liệu dong riềng phục vụ sản xuất miến dong Bình Liêu",
        ),
        (
            "de-tai",
            "nong-nghiep",
            "Ứng dụng tiến bộ kỹ thuật nhân giống và trồng cây hồi tại huyện Bình Liêu",
        ),
        (
            "de-tai",
            "xa-hoi",
            "Nghiên cứu giải pháp phát triển du lịch cộng đồng gắn với sống lưng khủng long Bình Liêu",
        ),
        (
            "chuong-trinh-sttt",
            "xa-hoi",
            "Xây dựng, quản lý và phát triển nhãn hiệu chứng nhận “Miến dong Bình Liêu”",
        ),
    ]
    specs = [
        TaskSpec(
            code=f"QN.BL.{number:02d}-2023",
            title=title,
            type_code=type_code,
            level=Level.PROVINCIAL,
            field_code=field_code,
            unit="old_h_binhlieu",
            lead="ubnd_h_binhlieu",
            year=2023,
            start=Date(2023, 7, 1),
            end=Date(2025, 12, 31),
            programme="sttt" if type_code == "chuong-trinh-sttt" else None,
            # "Năm 2022, huyện Bình Liêu đã đặt hàng 04 nhiệm vụ KH&CN cấp tỉnh": all four ordered, each
            # by the decision approving the list of ordered tasks.
            path=["identify"],
            source=SRC_QN,
        )
        for number, (type_code, field_code, title) in enumerate(binh_lieu, 1)
    ]
    ba_che = [
        "Nghiên cứu hoàn thiện quy trình nhân giống và thâm canh trà hoa vàng Ba Chẽ",
        "Ứng dụng kỹ thuật trồng ba kích tím dưới tán rừng theo hướng hữu cơ",
        "Nghiên cứu phát triển cây gỗ lớn bản địa trên địa bàn huyện Ba Chẽ",
    ]
    specs += [
        TaskSpec(
            code=f"QN.BC.{number:02d}-2024",
            title=title,
            type_code="de-tai",
            level=Level.PROVINCIAL,
            field_code="nong-nghiep",
            unit="old_h_bache",
            lead="ubnd_h_bache",
            year=2024,
            start=Date(2024, 7, 1),
            end=Date(2026, 6, 30),
            path=[],
            source=SRC_QN,
        )
        for number, title in enumerate(ba_che, 1)
    ]
    return specs


def _thai_nguyen() -> list[TaskSpec]:
    return [
        TaskSpec(
            code="TN.ĐH.01-2024",
            title="Phục tráng giống lúa Bao Thai Định Hóa",
            type_code="du-an-khcn",
            level=Level.PROVINCIAL,
            field_code="nong-nghiep",
            unit="old_h_dinhhoa",
            lead="dh_nonglam_tn",
            year=2024,
            # Call opened 20/12/2023; selection (start - 90 days) in March 2024, after it.
            start=Date(2024, 6, 1),
            end=Date(2026, 12, 31),
            budget=1_450_000_000,
            path=[*FULL_PREPARATION, "start"],
            source=SRC_TN,
        ),
        TaskSpec(
            code="TN.ĐH.02-2024",
            title="Phục tráng giống lúa Nếp Vải Định Biên",
            type_code="du-an-khcn",
            level=Level.PROVINCIAL,
            field_code="nong-nghiep",
            unit="old_h_dinhhoa",
            lead="vien_lua",
            year=2024,
            start=Date(2024, 7, 1),
            end=Date(2026, 12, 31),
            budget=1_200_000_000,
            path=["identify", "open_call"],
            source=SRC_TN,
        ),
    ]


class Builder:
    """Walks demo tasks through the workflow, creating what each step needs on the way."""

    def __init__(self, directory, tally: Tally):
        self.directory, self.tally = directory, tally
        self.units = directory.units
        self.orgs = dict(directory.orgs)
        self.actor = (
            User.objects.filter(username="chuyenvien").first()
            or User.objects.filter(is_superuser=True).first()
        )
        self.kinds = {kind.code: kind for kind in DocumentKind.objects.all()}
        self.steps = {
            step.code: step
            for step in WorkflowTransition.objects.select_related(
                "requires_document_kind", "target"
            ).prefetch_related("sources")
        }
        self.selection_criteria = (
            CriteriaSet.objects.filter(council_kind="selection").prefetch_related("criteria").first()
        )
        self.acceptance_criteria = (
            CriteriaSet.objects.filter(council_kind="acceptance").prefetch_related("criteria").first()
        )
        for key, name, kind, unit in EXTRA_ORGS:
            self.orgs[key] = upsert(
                Organization,
                {"name": name},
                {"kind": kind, "admin_unit": self.units[unit], "notes": ILLUSTRATIVE},
                tally,
            )
        self.experts = [
            upsert(
                Person,
                {"full_name": name},
                {
                    "degree": degree,
                    "expertise": expertise,
                    "admin_unit": self.units["sl"],
                    "notes": "Chuyên gia minh hoạ (demo).",
                },
                tally,
            )
            for degree, name, expertise in EXPERTS
        ]

    # --- documents ---------------------------------------------------------------------------------
    def document(
        self, task, kind: str, number: str, day: Date, title: str, signer="Phó Chủ tịch UBND tỉnh (minh hoạ)"
    ):
        return Document.objects.create(
            task=task,
            kind=self.kinds[kind],
            number=number,
            issued_on=day,
            title=title,
            signer=signer,
            issuer="UBND tỉnh" if kind == "decision" else "",
        )

    # --- councils -----------------------------------------------------------------------------------
    def council(self, kind, name, tasks, day, *, criteria=None, scored=False, conclude=True, members=None):
        council = Council.objects.create(
            kind=kind,
            name=name,
            criteria_set=criteria,
            meeting_date=day,
            decision_number=f"{day.day:02d}{day.month:02d}/QĐ-SKHCN",
            decision_date=day - datetime.timedelta(days=7),
            decision_signer="Giám đốc Sở (minh hoạ)",
            location="Sở KH&CN",
        )
        roles = [
            CouncilRole.CHAIR,
            CouncilRole.REVIEWER,
            CouncilRole.REVIEWER,
            CouncilRole.MEMBER,
            CouncilRole.SECRETARY,
        ]
        people = members or self.experts[:5]
        seats = [
            CouncilMember.objects.create(
                council=council, person=person, role=role, affiliation="Chuyên gia (minh hoạ)"
            )
            for person, role in zip(people, roles, strict=False)
        ]
        dossiers = [
            CouncilDossier.objects.create(council=council, task=task, applicant=task.lead_organization)
            for task in tasks
        ]
        if scored and criteria is not None:
            criteria_list = list(criteria.criteria.all())
            for index, dossier in enumerate(dossiers):
                for seat_index, seat in enumerate(seats):
                    if seat.role == CouncilRole.SECRETARY:
                        continue  # the secretary does not score
                    # 80–92 % of each maximum: every dossier passes; sheets differ a little by member.
                    share = 80 + (index * 3 + seat_index * 2) % 13
                    scores = {c: (c.max_score * share / 100).quantize(c.max_score) for c in criteria_list}
                    council_services.record_score_sheet(dossier, seat, scores)
        if conclude:
            outcomes = {d: ("dat" if kind == "acceptance" else True) for d in dossiers}
            council_services.conclude(
                council, None, day, "Hội đồng thống nhất thông qua (minh hoạ).", outcomes
            )
        return council

    # --- the walk ------------------------------------------------------------------------------------
    def create(self, spec: TaskSpec) -> Task | None:
        if Task.objects.filter(code=spec.code).exists():
            self.tally.add("S&T tasks", UNCHANGED)
            return None
        principal = self.experts[5 + len(spec.code) % 4]
        task = Task(
            code=spec.code,
            title=spec.title,
            task_type=TaskType.objects.get(code=spec.type_code),
            level=spec.level,
            field=ScienceField.objects.get(code=spec.field_code),
            programme=Programme.objects.get(code=spec.programme) if spec.programme else None,
            ordering_unit=self.units[spec.unit],
            lead_organization=self.orgs[spec.lead],
            principal_investigator=principal,
            officer=self.actor,
            proposal_year=spec.year,
            start_date=spec.start,
            end_date=spec.end,
            is_carried_over=spec.carried_over_year is not None,
            carried_over_year=spec.carried_over_year,
            objectives=f"{ILLUSTRATIVE} {spec.source}",
            expected_products="; ".join(name for _, name in spec.results),
            is_published=True,
        )
        task.full_clean()
        task._change_reason = "Dữ liệu minh hoạ (demo)"
        task.save()
        self.tally.add("S&T tasks", CREATED)
        return task

    def walk(self, tasks_and_specs, *, identify_decision, identify_day, batch_name):
        """Take each task's steps; steps taken by several tasks share one council (as in practice)."""
        order = [code for code, *_ in workflow.DEFAULT_TRANSITIONS]
        for code in sorted({c for _, spec in tasks_and_specs for c in spec.path}, key=order.index):
            batch = [(task, spec) for task, spec in tasks_and_specs if code in spec.path]
            for task, _spec in batch:
                task.refresh_from_db()
            day = self.day_of(code, batch[0][1], identify_day)
            self.prepare(code, batch, day, batch_name)
            for task, spec in batch:
                day = self.day_of(code, spec, identify_day)
                inputs = self.inputs(code, task, spec, day, identify_decision)
                workflow.perform(task, self.steps[code], self.actor, happened_on=day, **inputs)
        for task, _spec in tasks_and_specs:
            self.report_progress(task)

    @staticmethod
    def report_progress(task):
        """Reports due before the summer of 2026 came in on time; the later ones are still awaited."""
        reports = list(task.progress_reports.filter(submitted_on__isnull=True, due_on__lt=Date(2026, 6, 1)))
        for number, report in enumerate(reports, 1):
            report.submitted_on = report.due_on + datetime.timedelta(days=10)
            report.percent_complete = min(95, 100 * number // (len(reports) + 2))
            report.summary = "Thực hiện đúng tiến độ đăng ký (minh hoạ)."
            report._change_reason = "Dữ liệu minh hoạ (demo)"
            report.save()

    @staticmethod
    def day_of(code, spec, identify_day) -> Date:
        start, end = spec.start, spec.end
        identify_day = spec.identify[1] if spec.identify else identify_day
        return {
            "identify": identify_day,
            "open_call": identify_day + datetime.timedelta(days=20),
            "select": start - datetime.timedelta(days=90),
            "appraise": start - datetime.timedelta(days=60),
            "approve": start - datetime.timedelta(days=30),
            "sign_contract": start - datetime.timedelta(days=10),
            "start": start,
            "extend": spec.extend_on or end - datetime.timedelta(days=45),
            "submit_acceptance": (spec.extend_to or end) + datetime.timedelta(days=20),
            "register_results": end + datetime.timedelta(days=75),
            "liquidate": end + datetime.timedelta(days=120),
            "hand_over": spec.handed_over_on or Date(max(end.year + 1, 2022), 9, 15),
            "report_application": Date(2023, 12, 20),
        }[code]

    def prepare(self, code, batch, day, batch_name):
        tasks = [task for task, _ in batch]
        if code == "identify":
            self.council(
                "identification",
                f"Hội đồng tư vấn xác định nhiệm vụ KH&CN — {batch_name}",
                tasks,
                day - datetime.timedelta(days=30),
            )
        elif code == "select":
            self.council(
                "selection",
                f"Hội đồng tư vấn tuyển chọn — {batch_name}",
                tasks,
                day,
                criteria=self.selection_criteria,
                scored=True,
            )
        elif code == "appraise":
            self.council("appraisal", f"Tổ thẩm định nội dung, kinh phí — {batch_name}", tasks, day)
        elif code == "sign_contract":
            for task, spec in batch:
                self.plan_budget(task, spec)
        elif code == "register_results":
            for task, spec in batch:
                self.council(
                    "acceptance",
                    f"Hội đồng đánh giá nghiệm thu {task.code}",
                    [task],
                    day,
                    criteria=self.acceptance_criteria,
                    members=self.experts[2:7],
                )
                for kind, name in spec.results or [
                    (ResultKind.PROCESS, f"Báo cáo tổng hợp kết quả {task.code}")
                ]:
                    result = TaskResult(
                        task=task,
                        kind=kind,
                        name=name,
                        certificate_number=f"{task.pk:03d}/{day.year}/ĐKKQ",
                        certificate_date=day,
                    )
                    result.full_clean()
                    result.save()
        elif code == "liquidate":
            for task, _spec in batch:
                self.settle(task, day)
        elif code == "hand_over":
            for task, spec in batch:
                for result in task.results.all():
                    for receiver in spec.receivers or [spec.lead]:
                        Handover.objects.create(
                            result=result,
                            receiving_organization=self.orgs[receiver],
                            receiving_unit=self.units[spec.unit],
                            handed_over_on=day,
                            record_number=f"{task.pk:03d}/BB-BG",
                        )
        elif code == "report_application":
            for task, spec in batch:
                result = task.results.first()
                for unit_key, year, status, scale in spec.applied_in:
                    ApplicationReport.objects.create(
                        result=result,
                        year=year,
                        admin_unit=self.units[unit_key],
                        status=status,
                        scale=scale,
                        place="Các hợp tác xã, hộ sản xuất trên địa bàn (minh hoạ)",
                        effect="Năng suất tăng 15–20 %, thu nhập của hộ tăng (minh hoạ).",
                        reported_on=Date(year, 12, 15),
                    )

    def inputs(self, code, task, spec, day, identify_decision) -> dict:
        if code == "identify":
            number, issued = spec.identify or identify_decision
            return {
                "document": self.document(
                    task, "decision", number, issued, "Phê duyệt danh mục nhiệm vụ KH&CN đặt hàng"
                )
            }
        if code == "approve":
            return {
                "document": self.document(
                    task,
                    "decision",
                    f"{task.pk:04d}/QĐ-UBND",
                    day,
                    f"Phê duyệt tổ chức chủ trì, chủ nhiệm, kinh phí và thời gian thực hiện {task.code}",
                )
            }
        if code == "sign_contract":
            return {
                "document": self.document(
                    task,
                    "contract",
                    f"{task.pk:02d}/{day.year}/HĐ-KHCN",
                    day,
                    f"Hợp đồng thực hiện {task.code}",
                    signer="Giám đốc Sở KH&CN",
                )
            }
        if code == "extend":
            return {
                "document": self.document(
                    task,
                    "decision",
                    f"{task.pk:04d}/QĐ-UBND",
                    day,
                    f"Gia hạn thời gian thực hiện {task.code}",
                ),
                "reason": "Các mô hình của đề tài cần thêm một vụ thu hoạch để đánh giá kết quả (lý do khách quan, "
                "nêu theo kết luận buổi làm việc ngày 05/6/2023; minh hoạ).",
                "new_end_date": spec.extend_to,
            }
        if code == "submit_acceptance":
            return {
                "document": self.document(
                    task,
                    "final_report",
                    f"{task.pk:02d}/BC-TCCT",
                    day,
                    f"Báo cáo tổng hợp kết quả {task.code}",
                    signer="Chủ nhiệm nhiệm vụ",
                )
            }
        if code == "liquidate":
            return {
                "document": self.document(
                    task,
                    "liquidation",
                    f"{task.pk:02d}/BB-TL",
                    day,
                    f"Thanh lý hợp đồng {task.code}",
                    signer="Giám đốc Sở KH&CN",
                )
            }
        return {}

    def plan_budget(self, task, spec: TaskSpec):
        """Budget by year and source (70 % lump-sum state budget, 20 % non-lump-sum, 10 % counterpart),
        in whole millions; one tranche of state budget a year, paid when due."""
        years = list(range(spec.start.year, spec.end.year + 1))
        state_total = spec.budget * 90 // 100
        shares = {
            FundingSource.STATE_LUMP_SUM: spec.budget * 70 // 100,
            FundingSource.STATE_NON_LUMP_SUM: state_total - spec.budget * 70 // 100,
            FundingSource.COUNTERPART: spec.budget - state_total,
        }
        state_by_year = dict.fromkeys(years, 0)
        for source, amount in shares.items():
            per_year = amount // len(years) // 1_000_000 * 1_000_000
            for index, year in enumerate(years):
                part = amount - per_year * (len(years) - 1) if index == len(years) - 1 else per_year
                funding_services.save_budget_line(
                    BudgetLine(task=task, year=year, source=source, amount=part)
                )
                if source != FundingSource.COUNTERPART:
                    state_by_year[year] += part
        for number, year in enumerate(years, 1):
            planned_on = spec.start if number == 1 else Date(year, 1, 15)
            tranche = funding_services.save_tranche(
                Tranche(
                    task=task,
                    number=number,
                    planned_on=planned_on,
                    amount=state_by_year[year],
                    condition="Sau khi ký hợp đồng" if number == 1 else "Sau báo cáo tiến độ kỳ trước",
                )
            )
            if planned_on <= Date(2026, 11, 1):
                funding_services.save_disbursement(
                    Disbursement(
                        task=task,
                        tranche=tranche,
                        amount=tranche.amount,
                        paid_on=planned_on + datetime.timedelta(days=20),
                        voucher=f"UNC-{task.pk}-{number}",
                    )
                )

    def settle(self, task, day):
        paid = funding_services.disbursed_total(task.pk)
        funding_services.save_settlement(
            Settlement(
                task=task,
                settled_on=day,
                settled_amount=paid - paid // 50,
                returned_amount=paid // 50,
                decision_number=f"{task.pk}/QĐ-SKHCN",
            )
        )


def load_allocations(directory, tally):
    """Ba Chẽ put 550 million VND into S&T in 2022 (the spending lines are illustrative)."""
    allocation = upsert(
        Allocation,
        {"year": 2022, "recipient_unit": directory.units["old_h_bache"]},
        {
            "amount": 550_000_000,
            "purpose": "Phát triển KH&CN trên địa bàn huyện năm 2022",
            "decision_number": "",
            "decision_date": None,
        },
        tally,
    )
    for day, amount, purpose in [
        (Date(2022, 5, 20), 250_000_000, "Mô hình nhân giống trà hoa vàng (minh hoạ)"),
        (Date(2022, 8, 10), 180_000_000, "Tập huấn kỹ thuật trồng ba kích tím cho nông dân (minh hoạ)"),
        (Date(2022, 11, 25), 90_000_000, "Hỗ trợ xây dựng nhãn hiệu sản phẩm OCOP (minh hoạ)"),
    ]:
        if not AllocationSpending.objects.filter(allocation=allocation, spent_on=day).exists():
            funding_services.save_spending(
                AllocationSpending(allocation=allocation, spent_on=day, amount=amount, purpose=purpose)
            )
            tally.add("Spendings", CREATED)


def pending_council_for_the_demo_council_member(builder: Builder, tally: Tally):
    """One of the four 2023 Sơn La topics still waiting: its selection council is called, and the demo
    council member (user `hoidong`) sits on it with a score sheet still to enter."""
    task = Task.objects.filter(code="SL.ĐT.10-2023").first()
    member_user = User.objects.filter(username="hoidong").select_related("person").first()
    if task is None or member_user is None or member_user.person is None:
        return
    if CouncilDossier.objects.filter(task=task, council__kind="selection").exists():
        return
    council = builder.council(
        "selection",
        "Hội đồng tư vấn tuyển chọn — đề tài SL.ĐT.10-2023",
        [task],
        Date(2026, 12, 8),
        criteria=builder.selection_criteria,
        conclude=False,
        members=[*builder.experts[:3], member_user.person],
    )
    CouncilMember.objects.filter(council=council, person=member_user.person).update(user=member_user)
    tally.add("Councils", CREATED)


# The call the Thái Nguyên tasks answer: the department's call of 20/12/2023 ("open_call" on the identify
# decision of 30/11/2023 + 20 days, as `Builder.day_of` dates it), closed before the selection of March 2024.
BAO_THAI_CALL = "Thông báo kêu gọi đề xuất, tuyển chọn nhiệm vụ KH&CN cấp tỉnh năm 2024 (Định Hóa)"
BAO_THAI_TASKS = ("TN.ĐH.01-2024", "TN.ĐH.02-2024")
OPEN_CALL = "Thông báo đặt hàng nhiệm vụ KH&CN cấp tỉnh (minh hoạ, đang nhận đề xuất)"


def load_calls(tally: Tally) -> None:
    """The Bao Thai call (20/12/2023), with the tasks that answer it, and one call open today (an
    illustration, which moves its dates only once it is no longer open, so a rerun the same month
    writes nothing)."""
    project = TaskType.objects.get(code="du-an-khcn")
    bao_thai = upsert(
        Call,
        {"title": BAO_THAI_CALL},
        {
            "number": "125/TB-SKHCN",
            "issued_on": Date(2023, 12, 20),
            "open_from": Date(2023, 12, 20),
            "open_until": Date(2024, 1, 31),
            "level": Level.PROVINCIAL,
            "task_type": project,
            "topics": "Nông nghiệp: phục tráng giống lúa đặc sản Bao Thai, Nếp Vải Định Hóa",
            "description": f"{ILLUSTRATIVE} {SRC_TN}",
            "contact": "Phòng Quản lý khoa học, Sở KH&CN (minh hoạ)",
            "publish_on_portal": True,
        },
        tally,
    )
    for task in Task.objects.filter(code__in=BAO_THAI_TASKS, call__isnull=True):
        task.call = bao_thai
        task._change_reason = "Dữ liệu minh hoạ (demo): đề xuất theo thông báo 20/12/2023"
        task.save(update_fields=["call", "updated_at"])
        tally.add("S&T tasks", UPDATED)
    today = timezone.localdate()
    current = Call.objects.filter(title=OPEN_CALL).first()
    if current is not None and current.is_open_on(today):
        tally.add("Calls for proposals", UNCHANGED)
        return
    upsert(
        Call,
        {"title": OPEN_CALL},
        {
            "number": "",
            "issued_on": today - datetime.timedelta(days=10),
            "open_from": today - datetime.timedelta(days=10),
            "open_until": today + datetime.timedelta(days=50),
            "level": Level.PROVINCIAL,
            "task_type": TaskType.objects.get(code="de-tai"),
            "topics": "Chế biến sâu sản phẩm OCOP; chuyển đổi số cấp xã; giống cây dược liệu bản địa",
            "description": "Minh hoạ (demo): một thông báo đang nhận đề xuất hôm nay, để thử cổng thông tin "
            "và biểu mẫu đề xuất; không phải thông báo thật của Sở.",
            "contact": "Phòng Quản lý khoa học, Sở KH&CN (minh hoạ)",
            "publish_on_portal": True,
        },
        tally,
    )


def load(stdout: TextIO) -> None:
    directory = load_directory()
    tally = Tally()
    with transaction.atomic():
        builder = Builder(directory, tally)
        stories = [
            (_sl_handed_over(directory.units), ("1256/QĐ-UBND", Date(2018, 11, 20)), "Sơn La, năm 2019"),
            (_sl_carried_over(), ("1890/QĐ-UBND", Date(2020, 11, 18)), "Sơn La, năm 2021"),
            (_sl_2023(), ("2423/QĐ-UBND", Date(2022, 11, 18)), "Sơn La, năm 2023"),
            (_quang_ninh(), ("2956/QĐ-UBND", Date(2022, 11, 25)), "Quảng Ninh, năm 2023–2024"),
            (_thai_nguyen(), ("3120/QĐ-UBND", Date(2023, 11, 30)), "Thái Nguyên, năm 2024"),
        ]
        for specs, decision, name in stories:
            created = [(task, spec) for spec in specs if (task := builder.create(spec)) is not None]
            walking = [(task, spec) for task, spec in created if spec.path]
            if walking:
                builder.walk(walking, identify_decision=decision, identify_day=decision[1], batch_name=name)
        load_allocations(directory, tally)
        load_calls(tally)
        pending_council_for_the_demo_council_member(builder, tally)
    if tally.changed:
        write_summary(stdout, "Demo S&T tasks (workflow, councils, budgets, results):", tally)
