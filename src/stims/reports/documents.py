"""The report files, all from one `figures.ReportData`: the Word document (docxtpl over the active
template version), the same tables as an Excel workbook (openpyxl), the PDF converted from the Word
document by LibreOffice headless, and the ministry's annual statistical forms.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # nosec B404 # LibreOffice, a fixed binary, converts our own files
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from .figures import ReportData
from .template_source import SHIPPED

SHIPPED_VERSION = 1
PDF_TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice (`soffice`) is not installed: PDF reports are off, Word and Excel still work."""


@dataclass
class Letterhead:
    number: str = ""
    place: str = ""
    signer_title: str = "GIÁM ĐỐC"
    signer_name: str = ""
    recipients: str = (
        "- UBND tỉnh (để b/c);\n- Bộ Khoa học và Công nghệ (để b/c);\n- Lãnh đạo Sở;\n- Lưu: VT, KHTC."
    )


def active_template():
    """(version, path) of the template in use: the newest active uploaded version, else the shipped one."""
    from .models import ReportTemplate

    uploaded = ReportTemplate.objects.filter(is_active=True).order_by("-version").first()
    if uploaded is not None and uploaded.file:
        return uploaded.version, uploaded.file.path
    return SHIPPED_VERSION, str(SHIPPED)


def place_of(unit) -> str:
    province = unit if unit.level == "province" else unit.province or unit
    name = province.name
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def title_of(data: ReportData) -> str:
    where = "" if data.unit.level == "province" else f" trên địa bàn {data.unit.name}"
    return f"Kết quả hoạt động khoa học và công nghệ {data.period.label}{where}"


# --- Charts ---------------------------------------------------------------------------------------------
def chart_png(chart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.0, 2.6), dpi=120)
    axes = figure.subplots()
    bars = axes.barh(chart.labels[::-1], chart.values[::-1], color="#2f6fad")
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_title(chart.title, fontsize=10)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


# --- Word ------------------------------------------------------------------------------------------------
def render_docx(
    data: ReportData, summary: str, letterhead: Letterhead, template_path: str | None = None
) -> bytes:
    from docx.shared import Mm, Pt
    from docxtpl import DocxTemplate, Listing

    template = DocxTemplate(template_path or active_template()[1])
    body = template.new_subdoc()
    for number, section in enumerate(data.sections, 1):
        heading = body.add_paragraph()
        heading.add_run(f"{number}. {section.title}").bold = True
        for figure in section.figures:
            body.add_paragraph(f"- {str(figure.label)[:1].upper()}{str(figure.label)[1:]}: {figure.display}")
        for table in section.tables:
            if not table.rows:
                continue
            caption = body.add_paragraph()
            caption.add_run(str(table.title)).italic = True
            grid = body.add_table(rows=1 + len(table.rows), cols=len(table.headers))
            grid.style = "Table Grid"
            for i, header in enumerate(table.headers):
                cell = grid.rows[0].cells[i]
                cell.text = str(header)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for r, row in enumerate(table.rows, 1):
                for c, value in enumerate(row):
                    grid.rows[r].cells[c].text = _cell_text(value)
        if section.chart is not None and any(section.chart.values):
            body.add_picture(io.BytesIO(chart_png(section.chart)), width=Mm(150))
    for paragraph in body.paragraphs:
        for run in paragraph.runs:
            if run.font.size is None:
                run.font.size = Pt(13)
    today = timezone.localdate()
    unit = data.unit
    province = unit if unit.level == "province" else unit.province or unit
    context = {
        "superior_body": f"UBND {province.name.upper()}",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "number": f"{letterhead.number or '      '}/BC-SKHCN"
        if "/" not in letterhead.number
        else letterhead.number,
        "place": letterhead.place or place_of(unit),
        "day": f"{today.day:02d}",
        "month": f"{today.month:02d}",
        "year": today.year,
        "title": title_of(data).upper(),
        "summary": summary,
        "body": body,
        "recipients": Listing(letterhead.recipients),
        "signer_title": letterhead.signer_title,
        "signer_name": letterhead.signer_name,
        "figures": data.figures(),
        "period": data.period.label,
        "unit": unit.name,
    }
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def _cell_text(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


# --- Excel ---------------------------------------------------------------------------------------------
def render_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet.append([title_of(data)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Period"), f"{data.period.start:%d/%m/%Y} – {data.period.end:%d/%m/%Y}"])
    sheet.append([_("Digest of the figures"), data.digest])
    sheet.append([])
    sheet.append([_("Section"), _("Figure"), _("Value"), _("Key")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for section in data.sections:
        for figure in section.figures:
            sheet.append([str(section.title), str(figure.label), figure.value, f"{section.key}.{figure.key}"])
            sheet.cell(sheet.max_row, 3).number_format = "#,##0"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 18
    used = {"Số liệu"}
    for table in data.tables():
        name = str(table.title)[:31].replace("/", "-")
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        ws = book.create_sheet(name)
        ws.append([str(h) for h in table.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([v if isinstance(v, int | float) else str(v) for v in row])
        ws.column_dimensions["A"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------------
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(docx: bytes) -> bytes:
    """The PDF of the Word document itself (same content), by LibreOffice headless."""
    binary = soffice()
    if binary is None:
        raise PdfUnavailable(
            _("PDF reports need LibreOffice on the server (sudo apt-get install libreoffice-writer-nogui).")
        )
    with tempfile.TemporaryDirectory(prefix="stims-report-") as work:
        source = Path(work) / "report.docx"
        source.write_bytes(docx)
        profile = Path(work) / "profile"
        subprocess.run(  # nosec B603 # a fixed binary and our own temporary files
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
            env={**os.environ, "HOME": work},
        )
        return (Path(work) / "report.pdf").read_bytes()
