"""The rating scale and criteria a new deployment starts with; an administrator edits them as data.

The acceptance scale is the one of TT 11/2014/TT-BKHCN (xuất sắc / đạt / không đạt). The selection
criteria follow the scoring sheet of TT 08/2017/TT-BKHCN (100 points; a dossier below 70 is not
selected; a sheet more than 15 points from the average is left out); the acceptance criteria follow
the scoring of TT 11/2014/TT-BKHCN's evaluation sheet, grouped as provinces usually apply it.
"""

from decimal import Decimal

# (code, name, counts as passed, order)
RATING_LEVELS = [
    ("xuat-sac", "Xuất sắc", True, 10),
    ("dat", "Đạt", True, 20),
    ("khong-dat", "Không đạt", False, 30),
]

# name, council kind, legal basis, pass mark, outlier tolerance, [(code, criterion, max score)]
CRITERIA_SETS = [
    (
        "Tiêu chí đánh giá hồ sơ tuyển chọn, giao trực tiếp nhiệm vụ KH&CN",
        "selection",
        "Thông tư 08/2017/TT-BKHCN",
        Decimal("70"),
        Decimal("15"),
        [
            ("1", "Tổng quan tình hình nghiên cứu, luận giải mục tiêu", Decimal("15")),
            ("2", "Nội dung, phương pháp nghiên cứu", Decimal("30")),
            ("3", "Sản phẩm, khả năng ứng dụng", Decimal("25")),
            ("4", "Năng lực tổ chức chủ trì và chủ nhiệm", Decimal("15")),
            ("5", "Kinh phí hợp lý", Decimal("15")),
        ],
    ),
    (
        "Tiêu chí đánh giá nghiệm thu nhiệm vụ KH&CN",
        "acceptance",
        "Thông tư 11/2014/TT-BKHCN",
        Decimal("50"),
        None,
        [
            ("1", "Mức độ hoàn thành sản phẩm", Decimal("60")),
            ("2", "Báo cáo tổng hợp", Decimal("20")),
            ("3", "Giá trị khoa học và ứng dụng", Decimal("20")),
        ],
    ),
]


def install_defaults(rating_model, criteria_set_model, criterion_model) -> None:
    """Create the rating levels, criteria sets and criteria that are missing; never overwrite edits."""
    for code, name, is_pass, order in RATING_LEVELS:
        rating_model.objects.get_or_create(
            code=code, defaults={"name": name, "is_pass": is_pass, "sort_order": order}
        )
    for name, kind, basis, pass_mark, tolerance, criteria in CRITERIA_SETS:
        criteria_set, created = criteria_set_model.objects.get_or_create(
            name=name,
            council_kind=kind,
            defaults={"legal_basis": basis, "pass_mark": pass_mark, "outlier_tolerance": tolerance},
        )
        if not created and criteria_set.criteria.exists():
            continue  # an administrator's set: adding criteria to it would change its totals
        for order, (code, criterion, max_score) in enumerate(criteria, start=1):
            criterion_model.objects.get_or_create(
                criteria_set=criteria_set,
                code=code,
                defaults={"name": criterion, "max_score": max_score, "sort_order": order},
            )
