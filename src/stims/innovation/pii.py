"""The shipped structure of the provincial innovation index (PII): 2 sub-indices, 7 pillars, 18 groups,
52 indicators, loaded by `stims index load_framework YEAR` (and the demo).

The seven pillar names are the published ones (docs/innovation-index.md cites where they were found).
The per-indicator list of the PII was NOT found, nor the names of its 18 groups: every group and
indicator below is a DESCRIPTIVE PLACEHOLDER (`placeholder=True`, shown with a mark on every page),
modelled on the GII's groups and on the data sources the PII is known to draw on (statistics,
administrative reports, PAR Index, PCI, DTI, PAPI). Rename them in the framework's pages once the
official list is at hand; nothing in the computation depends on the names.

Each indicator: (name, unit, direction, source).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

POS, NEG = 1, -1


@dataclass(frozen=True)
class GroupSpec:
    name: str
    indicators: tuple[tuple[str, str, int, str], ...]


@dataclass(frozen=True)
class PillarSpec:
    sub_index: str
    name: str
    groups: tuple[GroupSpec, ...]


PILLARS: tuple[PillarSpec, ...] = (
    PillarSpec(
        "input",
        "Thể chế",
        (
            GroupSpec(
                "Môi trường chính sách",
                (
                    ("Chỉ số cải cách hành chính (PAR Index)", "%", POS, "Bộ Nội vụ"),
                    ("Chỉ số hiệu quả quản trị và hành chính công (PAPI)", "điểm", POS, "UNDP"),
                    (
                        "Chính sách hỗ trợ đổi mới sáng tạo được ban hành",
                        "văn bản",
                        POS,
                        "Báo cáo hành chính",
                    ),
                ),
            ),
            GroupSpec(
                "Môi trường pháp lý và hành chính",
                (
                    ("Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", "điểm", POS, "VCCI"),
                    ("Chi phí không chính thức", "%", NEG, "VCCI"),
                    ("Thời gian giải quyết thủ tục hành chính", "ngày", NEG, "Báo cáo hành chính"),
                ),
            ),
            GroupSpec(
                "Môi trường kinh doanh",
                (
                    ("Doanh nghiệp thành lập mới trên 1.000 dân", "DN/1.000 dân", POS, "Thống kê"),
                    ("Chỉ số chuyển đổi số (DTI)", "điểm", POS, "Bộ Thông tin và Truyền thông"),
                    ("Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", POS, "Báo cáo hành chính"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "input",
        "Vốn con người và nghiên cứu & phát triển",
        (
            GroupSpec(
                "Giáo dục",
                (
                    ("Chi cho giáo dục trên GRDP", "%", POS, "Thống kê"),
                    ("Tỷ lệ học sinh trung học phổ thông", "%", POS, "Thống kê"),
                    ("Tỷ lệ lao động qua đào tạo", "%", POS, "Thống kê"),
                ),
            ),
            GroupSpec(
                "Giáo dục đại học",
                (
                    ("Sinh viên đại học trên 10.000 dân", "SV/10.000 dân", POS, "Thống kê"),
                    ("Tỷ lệ sinh viên khối khoa học, kỹ thuật, công nghệ", "%", POS, "Thống kê"),
                ),
            ),
            GroupSpec(
                "Nghiên cứu và phát triển",
                (
                    (
                        "Nhân lực nghiên cứu và phát triển trên 10.000 dân",
                        "người/10.000 dân",
                        POS,
                        "Thống kê",
                    ),
                    ("Chi cho nghiên cứu và phát triển trên GRDP", "%", POS, "Thống kê"),
                    ("Tổ chức khoa học và công nghệ", "tổ chức", POS, "Báo cáo hành chính"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "input",
        "Cơ sở hạ tầng",
        (
            GroupSpec(
                "Hạ tầng công nghệ thông tin và truyền thông",
                (
                    ("Thuê bao internet băng rộng cố định trên 100 dân", "thuê bao/100 dân", POS, "Thống kê"),
                    ("Tỷ lệ hộ gia đình có máy tính", "%", POS, "Thống kê"),
                ),
            ),
            GroupSpec(
                "Hạ tầng chung",
                (
                    ("Điện thương phẩm bình quân đầu người", "kWh/người", POS, "Thống kê"),
                    ("Tổng vốn đầu tư trên GRDP", "%", POS, "Thống kê"),
                    ("Mật độ đường giao thông", "km/km²", POS, "Thống kê"),
                ),
            ),
            GroupSpec(
                "Bền vững sinh thái",
                (
                    ("GRDP trên đơn vị năng lượng tiêu thụ", "triệu đồng/tấn dầu quy đổi", POS, "Thống kê"),
                    ("Tỷ lệ chất thải rắn được thu gom, xử lý", "%", POS, "Báo cáo hành chính"),
                    ("Doanh nghiệp có chứng nhận ISO 14001", "DN", POS, "Báo cáo hành chính"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "input",
        "Trình độ phát triển thị trường",
        (
            GroupSpec(
                "Tín dụng và đầu tư",
                (
                    ("Dư nợ tín dụng trên GRDP", "%", POS, "Ngân hàng Nhà nước"),
                    ("Vốn đầu tư trực tiếp nước ngoài thực hiện trên GRDP", "%", POS, "Thống kê"),
                    ("Quỹ phát triển khoa học và công nghệ", "tỷ đồng", POS, "Báo cáo hành chính"),
                ),
            ),
            GroupSpec(
                "Thương mại và quy mô thị trường",
                (
                    (
                        "Tổng mức bán lẻ hàng hóa và dịch vụ trên đầu người",
                        "triệu đồng/người",
                        POS,
                        "Thống kê",
                    ),
                    ("Quy mô GRDP", "nghìn tỷ đồng", POS, "Thống kê"),
                    ("Kim ngạch xuất khẩu trên GRDP", "%", POS, "Thống kê"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "input",
        "Trình độ phát triển kinh doanh",
        (
            GroupSpec(
                "Lao động có tri thức",
                (
                    ("Tỷ lệ lao động có trình độ đại học trở lên", "%", POS, "Thống kê"),
                    ("Doanh nghiệp có hoạt động nghiên cứu và phát triển", "%", POS, "Điều tra doanh nghiệp"),
                    ("Chi nghiên cứu và phát triển của doanh nghiệp", "%", POS, "Điều tra doanh nghiệp"),
                ),
            ),
            GroupSpec(
                "Liên kết đổi mới sáng tạo",
                (
                    ("Hợp đồng chuyển giao công nghệ", "hợp đồng", POS, "Báo cáo hành chính"),
                    ("Doanh nghiệp khoa học và công nghệ", "DN", POS, "Báo cáo hành chính"),
                    ("Cụm liên kết ngành, khu công nghệ cao", "cụm", POS, "Báo cáo hành chính"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "output",
        "Sản phẩm tri thức, sáng tạo và công nghệ",
        (
            GroupSpec(
                "Sáng tạo tri thức",
                (
                    (
                        "Đơn đăng ký sáng chế, giải pháp hữu ích trên 1 triệu dân",
                        "đơn/1 triệu dân",
                        POS,
                        "Cục Sở hữu trí tuệ",
                    ),
                    ("Bài báo khoa học công bố quốc tế", "bài", POS, "Báo cáo hành chính"),
                    ("Nhiệm vụ khoa học và công nghệ được nghiệm thu", "nhiệm vụ", POS, "Báo cáo hành chính"),
                ),
            ),
            GroupSpec(
                "Tác động của tri thức",
                (
                    ("Tốc độ tăng năng suất lao động", "%", POS, "Thống kê"),
                    ("Doanh nghiệp đổi mới công nghệ", "DN", POS, "Báo cáo hành chính"),
                    ("Sản phẩm được chứng nhận tiêu chuẩn, quy chuẩn", "sản phẩm", POS, "Báo cáo hành chính"),
                ),
            ),
            GroupSpec(
                "Sản phẩm sáng tạo",
                (
                    ("Đơn đăng ký nhãn hiệu trên 1 triệu dân", "đơn/1 triệu dân", POS, "Cục Sở hữu trí tuệ"),
                    ("Chỉ dẫn địa lý, nhãn hiệu tập thể, chứng nhận", "văn bằng", POS, "Cục Sở hữu trí tuệ"),
                    ("Sản phẩm OCOP đạt 4 sao trở lên", "sản phẩm", POS, "Báo cáo hành chính"),
                ),
            ),
        ),
    ),
    PillarSpec(
        "output",
        "Tác động",
        (
            GroupSpec(
                "Tăng trưởng kinh tế",
                (
                    ("Tốc độ tăng GRDP", "%", POS, "Thống kê"),
                    ("GRDP bình quân đầu người", "triệu đồng/người", POS, "Thống kê"),
                    ("Tỷ trọng công nghiệp chế biến, chế tạo công nghệ cao", "%", POS, "Thống kê"),
                ),
            ),
            GroupSpec(
                "Tác động xã hội",
                (
                    ("Tỷ lệ hộ nghèo", "%", NEG, "Báo cáo hành chính"),
                    ("Thu nhập bình quân đầu người", "triệu đồng/tháng", POS, "Thống kê"),
                    ("Tỷ lệ thất nghiệp", "%", NEG, "Thống kê"),
                ),
            ),
        ),
    ),
)


def numbered_groups() -> Iterator[tuple[int, PillarSpec, str, GroupSpec]]:
    """Every group in order: its pillar's number and spec, its code ("pillar.group") and its spec."""
    for p_no, pillar in enumerate(PILLARS, start=1):
        for g_no, group in enumerate(pillar.groups, start=1):
            yield p_no, pillar, f"{p_no}.{g_no}", group


PILLAR_COUNT = len(PILLARS)
GROUP_COUNT = sum(1 for _ in numbered_groups())
INDICATOR_COUNT = sum(len(group.indicators) for *_, group in numbered_groups())


def load(framework) -> None:
    """Give an empty framework the PII structure (idempotent: matches on numbers and codes)."""
    from .models import Indicator, IndicatorGroup, Pillar

    pillars = {}
    for p_no, spec, code, gspec in numbered_groups():
        if p_no not in pillars:
            pillars[p_no], _ = Pillar.objects.get_or_create(
                framework=framework, number=p_no, defaults={"sub_index": spec.sub_index, "name": spec.name}
            )
        group, _ = IndicatorGroup.objects.get_or_create(
            pillar=pillars[p_no], code=code, defaults={"name": gspec.name, "placeholder": True}
        )
        for i_no, (name, unit, direction, source) in enumerate(gspec.indicators, start=1):
            Indicator.objects.get_or_create(
                group=group,
                code=f"{code}.{i_no}",
                defaults={
                    "name": name,
                    "unit": unit,
                    "direction": direction,
                    "source": source,
                    "placeholder": True,
                },
            )
