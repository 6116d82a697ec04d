"""The ministry's annual S&T statistical forms (the ten forms of the S&T statistics circular, domain
notes §11) as one Excel workbook, one sheet per form, filled from the same figures as the reports
(`figures.compute` over the year). A cell STIMS fills from its data is green and says so in column D;
a cell it has no data for is yellow and left for the department to enter.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .figures import ReportData

FROM_DATA = PatternFill("solid", fgColor="E2F0D9")
TO_ENTER = PatternFill("solid", fgColor="FFF2CC")

# (sheet, title, [(indicator, figure key or None)])
FORMS = [
    ("Biểu 01", "Tổ chức khoa học và công nghệ", [("Số tổ chức KH&CN", None), ("Trong đó: công lập", None)]),
    (
        "Biểu 02",
        "Nhân lực khoa học và công nghệ",
        [("Số người làm KH&CN", None), ("Trong đó: tiến sĩ", None)],
    ),
    (
        "Biểu 03",
        "Chi cho khoa học và công nghệ",
        [
            ("Kinh phí KH&CN bố trí cho địa phương (đồng)", "funding.allocated"),
            ("Kinh phí đã cấp cho nhiệm vụ trong năm (đồng)", "funding.disbursed"),
            ("Chi đầu tư phát triển cho KH&CN (đồng)", None),
        ],
    ),
    (
        "Biểu 04",
        "Nhiệm vụ khoa học và công nghệ",
        [
            ("Nhiệm vụ được đặt hàng, phê duyệt trong năm", "tasks.ordered"),
            ("Trong đó: cấp tỉnh", "tasks.ordered_provincial"),
            ("Trong đó: cấp quốc gia", "tasks.ordered_national"),
            ("Nhiệm vụ chuyển tiếp", "tasks.carried_over"),
            ("Nhiệm vụ đang thực hiện trong năm", "tasks.active"),
        ],
    ),
    (
        "Biểu 05",
        "Hợp tác quốc tế về KH&CN",
        [("Số đoàn ra, đoàn vào", None), ("Số nhiệm vụ hợp tác quốc tế", None)],
    ),
    (
        "Biểu 06",
        "Chuyển giao công nghệ, ứng dụng kết quả",
        [
            ("Kết quả nhiệm vụ đã bàn giao", "results.handed_over"),
            ("Kết quả được ứng dụng", "results.applied"),
            ("Kết quả được nhân rộng", "results.replicated"),
            ("Hợp đồng chuyển giao công nghệ", None),
        ],
    ),
    (
        "Biểu 07",
        "Doanh nghiệp KH&CN, thị trường KH&CN",
        [
            ("Doanh nghiệp KH&CN (có giấy chứng nhận còn hiệu lực)", "registries.st_enterprises"),
            ("Doanh nghiệp KH&CN được chứng nhận trong năm", "registries.st_certified"),
            ("Giá trị giao dịch trên thị trường KH&CN (đồng)", None),
        ],
    ),
    (
        "Biểu 08",
        "Sở hữu trí tuệ",
        [
            ("Đơn đăng ký sở hữu trí tuệ nộp trong năm", "registries.ip_filed"),
            ("Văn bằng bảo hộ được cấp trong năm", "registries.ip_granted"),
            ("Văn bằng còn hiệu lực", "registries.ip_protected"),
            ("Trong đó: nhãn hiệu", "registries.trademarks"),
        ],
    ),
    (
        "Biểu 09",
        "Tiêu chuẩn, đo lường, chất lượng",
        [
            ("Cuộc thanh tra, kiểm tra", "inspections.inspections"),
            ("Vi phạm phát hiện", "inspections.violations"),
            ("Tiền phạt (đồng)", "inspections.fines"),
            ("Phương tiện đo được kiểm định", None),
        ],
    ),
    ("Biểu 10", "An toàn bức xạ hạt nhân", [("Cơ sở bức xạ được cấp phép", None), ("Sự cố bức xạ", None)]),
]


def render_forms(data: ReportData) -> bytes:
    figures = data.figures()
    book = Workbook()
    book.remove(book.active)
    for sheet_name, title, rows in FORMS:
        sheet = book.create_sheet(sheet_name)
        sheet.append([f"{sheet_name}. {title}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"Đơn vị báo cáo: Sở Khoa học và Công nghệ — {data.unit.name} — {data.period.label}"])
        sheet.append([])
        sheet.append(["STT", "Chỉ tiêu", "Số liệu", "Nguồn"])
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for number, (label, key) in enumerate(rows, 1):
            value = figures.get(key) if key else None
            sheet.append([number, label, value, "Từ dữ liệu STIMS" if key else "Nhập tay"])
            cell = sheet.cell(sheet.max_row, 3)
            cell.fill = FROM_DATA if key else TO_ENTER
            cell.number_format = "#,##0"
        sheet.column_dimensions["B"].width = 55
        sheet.column_dimensions["C"].width = 20
        sheet.column_dimensions["D"].width = 18
        sheet["A2"].alignment = Alignment(wrap_text=False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
