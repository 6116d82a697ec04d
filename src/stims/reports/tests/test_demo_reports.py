"""Every report type generated on the demo data (built once for the module), its Word document and
workbook read back (python-docx, openpyxl): the figures equal those counted directly in the database,
and the seed articles' numbers come out of the reports. The Word document is checked against the rules
of Decree 30/2020/NĐ-CP a clerk cares about; the PDF is made from the same document.

Slow tier: the demo takes about half a minute, LibreOffice a few seconds per PDF."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from docx import Document
from docx.shared import Pt

from stims.accounts.models import User
from stims.funding.models import Allocation
from stims.geo.models import AdminUnit, AdminUnitSuccession, Level
from stims.products.models import Product
from stims.reports import documents, periods, services
from stims.reports.figures import ReportData, compute
from stims.results.models import Handover
from stims.sttasks.models import Task
from stims.testing import province, unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def root():
    return User.objects.create_superuser("root-reports", password="pw-for-tests-123")


def located_units(target: AdminUnit) -> list[int]:
    """The units of `target` counted directly (a province: every unit of it and of the legacy province(s)
    it continues), independently of the query layer."""
    if target.level != Level.PROVINCE:
        return list(AdminUnit.objects.filter(Q(pk=target.pk) | Q(parent=target)).values_list("pk", flat=True))
    provinces = [
        target.pk,
        *AdminUnitSuccession.objects.filter(successor=target, predecessor__level=Level.PROVINCE).values_list(
            "predecessor_id", flat=True
        ),
    ]
    return list(
        AdminUnit.objects.filter(Q(pk__in=provinces) | Q(province__in=provinces)).values_list("pk", flat=True)
    )


def direct_figures(target: AdminUnit, period: periods.Period) -> dict:
    """A few figures counted straight from the tables."""
    units = located_units(target)
    years = range(period.start.year, period.end.year + 1)
    tasks = Task.objects.filter(ordering_unit__in=units)
    return {
        "tasks.ordered": tasks.filter(proposal_year__in=years).count(),
        "tasks.carried_over": tasks.filter(is_carried_over=True, carried_over_year__in=years).count(),
        "results.handed_over": Handover.objects.filter(
            result__task__in=tasks, handed_over_on__range=(period.start, period.end)
        )
        .values("result")
        .distinct()
        .count(),
        "funding.allocated": sum(
            Allocation.objects.filter(recipient_unit__in=units, year__in=years).values_list(
                "amount", flat=True
            )
        ),
        "registries.ocop": Product.objects.filter(admin_unit__in=units, is_ocop=True).count(),
    }


def docx_figures(content: bytes, data: ReportData) -> dict:
    """key → the number written in the document's "- Label: value" lines, section by section."""
    labels = {}
    with services.translation.override("vi"):
        for section in data.sections:
            for figure in section.figures:
                label = str(figure.label)
                labels[(str(section.title), label[:1].upper() + label[1:])] = f"{section.key}.{figure.key}"
    found, current = {}, None
    for paragraph in Document(io.BytesIO(content)).paragraphs:
        heading = re.fullmatch(r"\d+\. (.+)", paragraph.text)
        if heading:
            current = heading[1]
            continue
        line = re.fullmatch(r"- (.+): ([\d.]+)( đồng)?", paragraph.text)
        if line and (current, line[1]) in labels:
            found[labels[(current, line[1])]] = int(line[2].replace(".", ""))
    return found


def xlsx_figures(content: bytes) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Số liệu"]
    return {row[3]: row[2] for row in sheet.iter_rows(min_row=6, values_only=True) if row[3]}


def both(target, kind, text, user) -> tuple[ReportData, dict, dict]:
    data = compute(target, periods.parse(kind, text), user)
    docx = services.render(data, "docx", data.summary())
    xlsx = services.render(data, "xlsx", data.summary())
    return data, docx_figures(docx, data), xlsx_figures(xlsx)


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("month", "9/2022"),
        ("quarter", "3/2022"),
        ("5m", "2023"),
        ("6m", "2023"),
        ("9m", "2022"),
        ("year", "2022"),
        ("range", "01/01/2020-31/12/2023"),
    ],
)
def test_each_report_type_reads_back_the_figures_counted_in_the_database(demo_data, root, kind, text):
    for target in (province("Sơn La"), province("Quảng Ninh"), unit("Huyện Ba Chẽ", legacy=True)):
        data, in_docx, in_xlsx = both(target, kind, text, root)
        assert in_docx == data.figures() == in_xlsx, (target, kind)
        direct = direct_figures(target, data.period)
        assert {key: data.figures()[key] for key in direct} == direct, (target, kind)


def test_the_seed_articles_figures_come_out_of_the_reports(demo_data, root):
    ba_che, binh_lieu, son_la = (
        unit("Huyện Ba Chẽ", legacy=True),
        unit("Huyện Bình Liêu", legacy=True),
        province("Sơn La"),
    )
    expected = [
        (
            ba_che,
            "2022",
            {
                "registries.ocop": 13,
                "registries.ocop_3": 8,
                "registries.ocop_4": 5,
                "funding.allocated": 550_000_000,
            },
        ),
        (
            binh_lieu,
            "2022",
            {
                "registries.ocop": 27,
                "registries.ocop_3": 11,
                "registries.ocop_4": 1,
                "registries.trademarks": 3,
            },
        ),
        # Ordered in 2022 for the 2023 plan: the demo stores them with plan year 2023.
        (binh_lieu, "2023", {"tasks.ordered_provincial": 4}),
        (
            son_la,
            "2022",
            {
                "tasks.carried_over": 29,
                "tasks.carried_over_provincial": 24,
                "tasks.carried_over_programme": 4,
                "tasks.carried_over_national": 1,
            },
        ),
        (son_la, "2023", {"councils.planned_tasks": 13, "councils.with_selection_council": 9}),
        # "Trong 5 tháng đầu năm 2023 … bàn giao 12 kết quả": the demo dates the handovers January–May 2023.
        (son_la, ("5m", "2023"), {"results.handed_over": 12}),
    ]
    for target, period, figures in expected:
        kind, text = period if isinstance(period, tuple) else ("year", period)
        _data, in_docx, in_xlsx = both(target, kind, text, root)
        assert {k: in_docx[k] for k in figures} == figures, target
        assert {k: in_xlsx[k] for k in figures} == figures, target


def test_the_word_document_follows_decree_30(demo_data, root):
    data = compute(unit("Huyện Ba Chẽ", legacy=True), periods.parse("year", "2022"), root)
    document = Document(io.BytesIO(services.render(data, "docx", data.summary(), number="125/BC-SKHCN")))
    section = document.sections[0]
    top, bottom, left, right = (
        round(m.mm, 1)
        for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    )
    assert 20 <= top <= 25 and 20 <= bottom <= 25 and 30 <= left <= 35 and 15 <= right <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and Pt(13) <= normal.size <= Pt(14)
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    runs += [
        run
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for run in p.runs
    ]
    assert all(run.font.name in (None, "Times New Roman") for run in runs)
    body_sizes = {run.font.size for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert all(size is None or Pt(13) <= size <= Pt(14) for size in body_sizes)

    left, right = (cell.paragraphs for cell in document.tables[0].rows[0].cells)
    assert [p.text for p in left] == ["UBND TỈNH QUẢNG NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 125/BC-SKHCN"]
    assert left[1].runs[0].bold
    assert right[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and right[0].runs[0].bold
    assert right[1].text == "Độc lập - Tự do - Hạnh phúc" and right[1].runs[0].bold
    assert (
        re.fullmatch(r"Quảng Ninh, ngày \d{2} tháng \d{2} năm \d{4}", right[2].text)
        and right[2].runs[0].italic
    )
    texts = [p.text for p in document.paragraphs]
    title = texts.index("BÁO CÁO")
    assert texts[title + 1] == "KẾT QUẢ HOẠT ĐỘNG KHOA HỌC VÀ CÔNG NGHỆ NĂM 2022 TRÊN ĐỊA BÀN HUYỆN BA CHẼ"
    assert data.summary() in texts
    recipients, signature = document.tables[-1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:" and recipients.paragraphs[0].runs[0].bold
    assert "- Lưu: VT" in recipients.text
    assert signature.paragraphs[0].text == "GIÁM ĐỐC"
    assert len(document.inline_shapes) >= 1  # the charts, as images


@pytest.mark.skipif(documents.soffice() is None, reason="LibreOffice is not installed")
def test_the_pdf_is_made_from_the_same_word_document(demo_data, root):
    data = compute(unit("Huyện Ba Chẽ", legacy=True), periods.parse("year", "2022"), root)
    pdf = services.render(data, "pdf", data.summary())
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_statistical_forms_fill_what_the_data_gives_and_leave_the_rest_for_entry(demo_data, root):
    data = compute(province("Sơn La"), periods.parse("year", "2022"), root)
    book = openpyxl.load_workbook(io.BytesIO(services.render(data, "forms", "")))
    assert book.sheetnames == [f"Biểu {n:02d}" for n in range(1, 11)]
    rows = {row[1]: (row[2], row[3]) for row in book["Biểu 04"].iter_rows(min_row=5, values_only=True)}
    assert rows["Nhiệm vụ chuyển tiếp"] == (29, "Từ dữ liệu STIMS")
    # The twelve handovers are of January–May 2023 (the article's "5 tháng đầu năm 2023").
    data = compute(province("Sơn La"), periods.parse("year", "2023"), root)
    book = openpyxl.load_workbook(io.BytesIO(services.render(data, "forms", "")))
    rows = {row[1]: (row[2], row[3]) for row in book["Biểu 06"].iter_rows(min_row=5, values_only=True)}
    assert rows["Kết quả nhiệm vụ đã bàn giao"] == (12, "Từ dữ liệu STIMS")
    assert rows["Hợp đồng chuyển giao công nghệ"] == (None, "Nhập tay")


def test_the_command_gives_the_same_figures_as_the_page(demo_data, root, client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    out = tmp_path / "bache.xlsx"
    call_command(
        "report",
        "year",
        period="2022",
        unit="Huyện Ba Chẽ",
        format="xlsx",
        output=str(out),
        stdout=io.StringIO(),
    )
    listed = io.StringIO()
    call_command("report", list=True, stdout=listed)
    assert [line.split()[0] for line in listed.getvalue().splitlines()] == list(periods.KINDS)
    client.force_login(root)
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    client.post(
        reverse("reports:report_list"),
        {"kind": "year", "period": "2022", "unit": ba_che.pk, "format": "xlsx"},
    )
    from stims.reports.models import Report

    report = Report.objects.get(admin_unit=ba_che)
    assert xlsx_figures(out.read_bytes()) == xlsx_figures(report.file.read()) == report.figures


def test_the_leaders_dashboard_shows_the_report_figures_this_year_and_last(demo_data, root, client):
    client.force_login(root)
    son_la = province("Sơn La")
    page = client.get(reverse("reports:dashboard"), {"unit": son_la.pk, "year": 2023}).content.decode()
    this_year = compute(son_la, periods.parse("year", "2023"), root).figures()
    last_year = compute(son_la, periods.parse("year", "2022"), root).figures()
    assert (
        f'data-testid="now-councils.with_selection_council">{this_year["councils.with_selection_council"]}<'
        in page
    )
    # This year's twelve handovers (January–May 2023), none the year before.
    assert this_year["results.handed_over"] == 12 and last_year["results.handed_over"] == 0
    assert 'data-testid="now-results.handed_over">12<' in page
    assert re.search(
        r'data-testid="figure-results.handed_over">.*?<td class="text-end text-muted">0</td>', page, re.S
    )
    home = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-testid="dashboard-localities"' in home and "Huyện Ba Chẽ" in home
