"""Builds the shipped Word template `report_templates/bao-cao-dinh-ky.docx` (version 1) with python-docx,
laid out per Decree 30/2020/NĐ-CP. The file is committed; this module only says how it was made and
rebuilds it (`python -m stims.reports.template_source`). An administrator replaces it by uploading a
new version on the "Report templates" page; the placeholders a template may use are listed in
docs/reports.md."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

SHIPPED = Path(__file__).parent / "report_templates" / "bao-cao-dinh-ky.docx"
FONT = "Times New Roman"


def _font(style, size=13):
    style.font.name = FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _line(
    cell_or_doc, text, *, bold=False, italic=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, first=False
):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def build(path: Path = SHIPPED) -> Path:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    for name in ("Normal", "Table Grid"):
        _font(document.styles[name], 13 if name == "Normal" else 12)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    _line(left, "{{ superior_body }}", size=13, first=True)
    _line(left, "{{ issuing_body }}", bold=True, size=13)
    _line(left, "Số: {{ number }}", size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13, first=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _line(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True, size=14)

    document.add_paragraph()
    _line(document, "BÁO CÁO", bold=True, size=14)
    _line(document, "{{ title }}", bold=True, size=14)
    document.add_paragraph()
    body = document.add_paragraph("{{ summary }}")
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(10)
    document.add_paragraph("{{p body }}")

    footer = document.add_table(rows=1, cols=2)
    left, right = footer.rows[0].cells
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    _line(left, "{{ recipients }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{{ signer_title }}", bold=True, size=14, first=True)
    for _i in range(3):
        _line(right, "", size=14)
    _line(right, "{{ signer_name }}", bold=True, size=14)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


if __name__ == "__main__":  # pragma: no cover
    print(build())
