"""Demo registries for `stims demo`: the OCOP products, IP assets, S&T enterprise and targets of the
seed articles (Sở KH&CN Quảng Ninh with Bình Liêu and Ba Chẽ, 13/3/2023; Sở KH&CN Thái Nguyên with
Định Hóa, 27/4/2023).

The counts come from the articles: Ba Chẽ has 13 OCOP products (8 at 3 stars, 5 at 4 stars), 6 with a
trademark, one S&T enterprise (Công ty CP Kinh doanh lâm sản Đạp Thanh) and labelling guidance given
to 9 establishments in 2022; Bình Liêu has 27 OCOP products (11 at 3 stars, 1 at 4 stars), 3 with a
trademark; Định Hóa has the collective mark “Gạo Bao Thai Định Hóa”, and its Nếp Vải rice and
cinnamon still await protection. The sessions set no targets: the aims discussed on 13/3/2023 belong
to the Sở–district coordination programme, not to the registries.

The articles do not name the products, producers, scores, title numbers or dates: those are
illustrations and say so (“minh hoạ”). Records of 2022–2023 sit on the legacy units (Huyện Ba Chẽ and
its communes…). Everything is matched on a natural key and saved only when it differs, with the demo
reason in its history, so a second run writes nothing.

Runs after the products / ip / enterprises apps, and relies on their data migrations for the OCOP
groups, star bands, IP types and statuses (looked up by code).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from dateutil.relativedelta import relativedelta
from django.core.management.base import CommandError

from stims.demo.orgs import SRC_QN, SRC_TN, Tally, load_directory, upsert, write_summary
from stims.enterprises.models import StEnterprise
from stims.geo.models import AdminUnit, Generation, Level
from stims.ip.models import IpAsset, IpAuthorizedUser, IpRenewal, IpStatus, IpStatusEvent, IpType
from stims.orgs.models import Organization, OrganizationKind
from stims.products.models import (
    LabellingGuidance,
    OcopEvaluation,
    ProducerKind,
    Product,
    ProductGroup,
    StarBand,
    Traceability,
)
from stims.registries.models import Target

Date = datetime.date
ILLUSTRATIVE = "Tên sản phẩm, cơ sở sản xuất và điểm đánh giá là minh hoạ (demo); số lượng theo bài viết."
ILLUSTRATIVE_ORG = "Tổ chức minh hoạ (demo) cho dữ liệu OCOP."
ILLUSTRATIVE_TITLE = "Số đơn, số văn bằng và các ngày là minh hoạ (demo)."
EVALUATION_YEAR = 2022
TARGET_YEAR = 2023
SESSION_QN = "Kết luận buổi làm việc của Sở KH&CN với UBND huyện, 13/3/2023"

GROUP_CODES = ("food", "drinks", "herbal", "handicraft")
IP_TYPE_CODES = ("trademark", "collective-mark")
IP_STATUS_CODES = ("granted",)

# Score parts (A/40, B/25, C/35) by the stars they should earn under the seeded bands.
SCORES = {
    4: ("30.0", "20.0", "26.0"),  # 76
    3: ("24.0", "14.0", "20.0"),  # 58
    2: ("18.0", "10.0", "14.0"),  # 42
}


# --- Legacy units ------------------------------------------------------------------------------------
# key: (parent district code, commune code or None for the district itself), legacy generation.
LEGACY_UNITS = {
    "bache": ("202", None),
    "bache_tt": ("202", "06970"),
    "bache_thanhson": ("202", "06973"),
    "bache_thanhlam": ("202", "06976"),
    "bache_dapthanh": ("202", "06979"),
    "bache_namson": ("202", "06982"),
    "bache_luongminh": ("202", "06985"),
    "bache_dondac": ("202", "06988"),
    "binhlieu": ("198", None),
    "binhlieu_tt": ("198", "06838"),
    "binhlieu_hoanhmo": ("198", "06841"),
    "binhlieu_dongtam": ("198", "06844"),
    "binhlieu_dongvan": ("198", "06847"),
    "binhlieu_vongai": ("198", "06853"),
    "binhlieu_luchon": ("198", "06856"),
    "binhlieu_hucdong": ("198", "06859"),
    "dinhhoa": ("167", None),
}


def resolve_legacy_units() -> dict[str, AdminUnit]:
    units = {}
    for key, (district_code, commune_code) in LEGACY_UNITS.items():
        if commune_code is None:
            lookup = {"level": Level.DISTRICT, "code": district_code}
        else:
            lookup = {"level": Level.COMMUNE, "code": commune_code, "parent__code": district_code}
        unit = AdminUnit.objects.filter(generation=Generation.LEGACY, **lookup).first()
        if unit is None:
            raise CommandError(
                f"Legacy unit {commune_code or district_code} is missing: run `stims load_units`."
            )
        units[key] = unit
    return units


def _by_code(model, codes, what: str) -> dict:
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        raise CommandError(
            f"{what} with code {', '.join(repr(c) for c in missing)} missing: the data migrations of the "
            "products and ip apps seed them (run `stims migrate`), or add them in the administration."
        )
    return found


def check_star_bands() -> None:
    for stars, (a, b, c) in SCORES.items():
        total = Decimal(a) + Decimal(b) + Decimal(c)
        if StarBand.stars_for(total) != stars:
            raise CommandError(
                f"No star band gives {stars} stars for a total of {total}: the products app's data migration "
                "seeds the bands of QĐ 148/QĐ-TTg (run `stims migrate`)."
            )


# --- Specifications ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProducerSpec:
    key: str
    name: str
    kind: str
    unit: str


@dataclass(frozen=True)
class ProductSpec:
    name: str
    group: str
    unit: str
    stars: int | None  # None: in the programme, not evaluated yet
    producer: str | None = None  # key of a ProducerSpec or of the orgs demo directory
    household: str = ""
    key_product: bool = False
    ocop: bool = True
    trademark: tuple[str, Date, Date] | None = None  # (title number, filing date, grant date)
    labelling: Date | None = None
    traceability: Date | None = None


C, E = OrganizationKind.COOPERATIVE, OrganizationKind.ENTERPRISE
PRODUCERS: tuple[ProducerSpec, ...] = (
    ProducerSpec("htx_trahoavang", "HTX Trà hoa vàng Ba Chẽ", C, "bache_thanhson"),
    ProducerSpec("htx_bakich", "HTX Ba kích tím Nam Sơn", C, "bache_namson"),
    ProducerSpec("htx_miendong_bc", "HTX Miến dong Đồn Đạc", C, "bache_dondac"),
    ProducerSpec("htx_matong", "HTX Mật ong Lương Minh", C, "bache_luongminh"),
    ProducerSpec("htx_thanhlam", "HTX Nông lâm sản Thanh Lâm", C, "bache_thanhlam"),
    ProducerSpec("cty_duoclieu", "Công ty TNHH Dược liệu Ba Chẽ", E, "bache_tt"),
    ProducerSpec("htx_miendong_bl", "HTX Miến dong Bình Liêu", C, "binhlieu_dongvan"),
    ProducerSpec("htx_hoi", "HTX Hồi Lục Hồn", C, "binhlieu_luchon"),
    ProducerSpec("htx_hoanhmo", "HTX Dịch vụ nông nghiệp Hoành Mô", C, "binhlieu_hoanhmo"),
    ProducerSpec("htx_dongtam", "HTX Nông sản Đồng Tâm", C, "binhlieu_dongtam"),
    ProducerSpec("htx_thocam", "HTX Dệt thổ cẩm Húc Động", C, "binhlieu_hucdong"),
)

HH_CA = "Hộ kinh doanh nuôi cá chình xã Thanh Sơn (minh hoạ)"
HH_RUOU = "Hộ kinh doanh rượu ba kích thị trấn Ba Chẽ (minh hoạ)"
D22 = Date(2022, 1, 1)

BA_CHE: tuple[ProductSpec, ...] = (
    # 5 at 4 stars
    ProductSpec(
        "Trà hoa vàng Ba Chẽ",
        "drinks",
        "bache_thanhson",
        4,
        "htx_trahoavang",
        key_product=True,
        trademark=("4-DEMO-BC-01", Date(2018, 5, 10), Date(2019, 9, 16)),
        labelling=Date(2022, 4, 12),
        traceability=Date(2022, 6, 1),
    ),
    ProductSpec(
        "Trà hoa vàng túi lọc Đạp Thanh",
        "drinks",
        "bache_dapthanh",
        4,
        "dap_thanh",
        trademark=("4-DEMO-BC-02", Date(2019, 3, 4), Date(2020, 7, 20)),
        labelling=Date(2022, 4, 12),
        traceability=Date(2022, 6, 1),
    ),
    ProductSpec(
        "Ba kích tím Ba Chẽ",
        "herbal",
        "bache_namson",
        4,
        "htx_bakich",
        key_product=True,
        trademark=("4-DEMO-BC-03", Date(2018, 8, 22), Date(2020, 1, 6)),
        labelling=Date(2022, 5, 18),
    ),
    ProductSpec(
        "Rượu ba kích Ba Chẽ",
        "drinks",
        "bache_tt",
        4,
        "cty_duoclieu",
        trademark=("4-DEMO-BC-04", Date(2019, 11, 5), Date(2021, 2, 25)),
        labelling=Date(2022, 5, 18),
    ),
    ProductSpec(
        "Ba kích tím ngâm mật ong", "herbal", "bache_luongminh", 4, "htx_matong", labelling=Date(2022, 8, 9)
    ),
    # 8 at 3 stars
    ProductSpec(
        "Miến dong Ba Chẽ",
        "food",
        "bache_dondac",
        3,
        "htx_miendong_bc",
        key_product=True,
        trademark=("4-DEMO-BC-05", Date(2018, 1, 15), Date(2019, 6, 3)),
        labelling=Date(2022, 8, 9),
    ),
    # Filed 20/3/2017: its ten-year term ends in March 2027, so the dashboard lists it as expiring.
    ProductSpec(
        "Mật ong rừng Ba Chẽ",
        "food",
        "bache_luongminh",
        3,
        "htx_matong",
        trademark=("4-DEMO-BC-06", Date(2017, 3, 20), Date(2018, 10, 8)),
    ),
    ProductSpec("Trà ba kích túi lọc", "drinks", "bache_namson", 3, "htx_bakich"),
    ProductSpec("Cao ba kích tím", "herbal", "bache_tt", 3, "cty_duoclieu"),
    ProductSpec("Cá chình Ba Chẽ", "food", "bache_thanhson", 3, household=HH_CA, labelling=Date(2022, 10, 4)),
    ProductSpec("Rượu ba kích tím", "drinks", "bache_tt", 3, household=HH_RUOU, labelling=Date(2022, 10, 4)),
    ProductSpec(
        "Măng rừng khô Ba Chẽ", "food", "bache_thanhlam", 3, "htx_thanhlam", labelling=Date(2022, 11, 22)
    ),
    ProductSpec("Tinh dầu quế Thanh Lâm", "herbal", "bache_thanhlam", 3, "htx_thanhlam"),
)

_BL_3_STARS = (
    (
        "Tinh dầu hồi Bình Liêu",
        "herbal",
        "binhlieu_luchon",
        "htx_hoi",
        True,
        ("4-DEMO-BL-02", Date(2019, 4, 2), Date(2020, 9, 14)),
    ),
    (
        "Hoa hồi khô Bình Liêu",
        "food",
        "binhlieu_luchon",
        "htx_hoi",
        False,
        ("4-DEMO-BL-03", Date(2019, 4, 2), Date(2020, 9, 14)),
    ),
    ("Rượu men lá Bình Liêu", "drinks", "binhlieu_hoanhmo", "htx_hoanhmo", False, None),
    ("Chè Shan tuyết Bình Liêu", "drinks", "binhlieu_hoanhmo", "htx_hoanhmo", False, None),
    ("Khoai môn Bình Liêu", "food", "binhlieu_dongtam", "htx_dongtam", False, None),
    ("Lạc đỏ Bình Liêu", "food", "binhlieu_dongtam", "htx_dongtam", False, None),
    ("Bánh gio Bình Liêu", "food", "binhlieu_tt", None, False, None),
    ("Mật ong Bình Liêu", "food", "binhlieu_vongai", None, False, None),
    ("Măng khô Bình Liêu", "food", "binhlieu_dongvan", "htx_miendong_bl", False, None),
    ("Bột dong riềng Bình Liêu", "food", "binhlieu_dongvan", "htx_miendong_bl", False, None),
    ("Quế Bình Liêu", "herbal", "binhlieu_luchon", "htx_hoi", False, None),
)
_BL_2_STARS = (
    ("Thổ cẩm Dao Thanh Phán", "handicraft", "binhlieu_hucdong", "htx_thocam"),
    ("Khăn thêu Sán Chỉ", "handicraft", "binhlieu_hucdong", "htx_thocam"),
    ("Rau dớn muối Bình Liêu", "food", "binhlieu_dongtam", "htx_dongtam"),
    ("Nấm hương rừng Bình Liêu", "food", "binhlieu_hoanhmo", "htx_hoanhmo"),
    ("Gừng gió Bình Liêu", "herbal", "binhlieu_vongai", None),
    ("Rượu ngô Húc Động", "drinks", "binhlieu_hucdong", None),
)
_BL_NOT_RATED = (
    ("Thịt lợn đen gác bếp", "food", "binhlieu_tt"),
    ("Khâu nhục Bình Liêu", "food", "binhlieu_tt"),
    ("Xôi ngũ sắc Bình Liêu", "food", "binhlieu_tt"),
    ("Bánh khảo Bình Liêu", "food", "binhlieu_tt"),
    ("Dưa cải muối Bình Liêu", "food", "binhlieu_dongvan"),
    ("Bánh chưng đen Bình Liêu", "food", "binhlieu_dongvan"),
    ("Tương ớt Bình Liêu", "food", "binhlieu_vongai"),
    ("Gà đồi Bình Liêu", "food", "binhlieu_vongai"),
    ("Chè dây Bình Liêu", "drinks", "binhlieu_luchon"),
)
HH_BL = "Hộ sản xuất tại {} (minh hoạ)"

BINH_LIEU: tuple[ProductSpec, ...] = (
    ProductSpec(
        "Miến dong Bình Liêu",
        "food",
        "binhlieu_dongvan",
        4,
        "htx_miendong_bl",
        key_product=True,
        trademark=("4-DEMO-BL-01", Date(2016, 6, 1), Date(2017, 12, 11)),
    ),
    *(
        ProductSpec(
            name,
            group,
            unit,
            3,
            producer,
            household="" if producer else HH_BL.format(unit),
            key_product=key,
            trademark=mark,
        )
        for name, group, unit, producer, key, mark in _BL_3_STARS
    ),
    *(
        ProductSpec(name, group, unit, 2, producer, household="" if producer else HH_BL.format(unit))
        for name, group, unit, producer in _BL_2_STARS
    ),
    *(
        ProductSpec(name, group, unit, None, household=HH_BL.format(unit))
        for name, group, unit in _BL_NOT_RATED
    ),
)

HH_DH = "Các hộ sản xuất trên địa bàn huyện Định Hóa"
DINH_HOA: tuple[ProductSpec, ...] = (
    ProductSpec(
        "Gạo Bao Thai Định Hóa", "food", "dinhhoa", None, household=HH_DH, key_product=True, ocop=False
    ),
    ProductSpec(
        "Lúa Nếp Vải Định Biên", "food", "dinhhoa", None, household=HH_DH, key_product=True, ocop=False
    ),
    ProductSpec("Quế Định Hóa", "herbal", "dinhhoa", None, household=HH_DH, key_product=True, ocop=False),
)


# --- Loading -----------------------------------------------------------------------------------------
def _household_label(spec: ProductSpec, units: dict[str, AdminUnit]) -> str:
    if spec.household.startswith("Hộ sản xuất tại "):
        return f"Hộ sản xuất tại {units[spec.unit].name} (minh hoạ)"
    return spec.household


def load_products(specs, units, producers, groups, tally, source: str) -> dict[str, Product]:
    products = {}
    for spec in specs:
        producer = producers[spec.producer] if spec.producer else None
        if producer is None:
            kind = ProducerKind.HOUSEHOLD
        else:
            kind = (
                ProducerKind.COOPERATIVE
                if producer.kind == OrganizationKind.COOPERATIVE
                else ProducerKind.ENTERPRISE
            )
        product = upsert(
            Product,
            {"name": spec.name, "admin_unit": units[spec.unit]},
            {
                "group": groups[spec.group],
                "producer_kind": kind,
                "producer": producer,
                "producer_name": "" if producer else _household_label(spec, units),
                "is_key_product": spec.key_product,
                "is_ocop": spec.ocop,
                "description": f"{ILLUSTRATIVE} {source}",
            },
            tally,
        )
        products[spec.name] = product
        if spec.stars is not None:
            a, b, c = SCORES[spec.stars]
            upsert(
                OcopEvaluation,
                {"product": product, "year": EVALUATION_YEAR},
                {"score_a": Decimal(a), "score_b": Decimal(b), "score_c": Decimal(c)},
                tally,
            )
        if spec.labelling:
            upsert(
                LabellingGuidance,
                {"product": product, "given_on": spec.labelling},
                {
                    "given_by": producers["cc_tdc_qn"],
                    "note": "Hướng dẫn ghi nhãn hàng hoá theo NĐ 43/2017/NĐ-CP; ngày là minh hoạ (demo). "
                    + source,
                },
                tally,
            )
        if spec.traceability:
            upsert(
                Traceability,
                {"product": product, "code_type": "Tem QR truy xuất nguồn gốc"},
                {
                    "platform": "Hệ thống truy xuất nguồn gốc tỉnh Quảng Ninh (minh hoạ)",
                    "applied_on": spec.traceability,
                    "note": "Minh hoạ (demo).",
                },
                tally,
            )
    return products


def load_asset(
    *, ip_type, status, name, unit, owner, owner_name, number, filed, granted, products, tally, **extra
):
    # relativedelta, not date.replace: an asset filed on 29 February expires on 28 February.
    expiry = filed + relativedelta(years=ip_type.protection_years or 10)
    asset = upsert(
        IpAsset,
        {"ip_type": ip_type, "name": name, "admin_unit": unit},
        {
            "owner": owner,
            "owner_name": "" if owner else owner_name,
            "application_number": number.replace("4-", "4-APP-"),
            "application_date": filed,
            "status": status,
            "status_date": granted,
            "title_number": number,
            "grant_date": granted,
            "expiry_date": expiry,
            **extra,
        },
        tally,
    )
    wanted = {p.pk for p in products}
    if set(asset.products.values_list("pk", flat=True)) != wanted:
        asset.products.set(wanted)
        tally.add("IP asset products", 1)
    upsert(IpStatusEvent, {"asset": asset, "status": status}, {"date": granted, "document": number}, tally)
    return asset


def load(stdout: TextIO) -> None:
    groups = _by_code(ProductGroup, GROUP_CODES, "OCOP product groups")
    ip_types = _by_code(IpType, IP_TYPE_CODES, "IP types")
    granted = _by_code(IpStatus, IP_STATUS_CODES, "IP statuses")["granted"]
    if not granted.is_protected:
        raise CommandError(
            "IP status 'granted' does not mean protection (is_protected): check the ip app's data."
        )
    check_star_bands()

    directory = load_directory()
    tally = Tally()
    units = {**resolve_legacy_units()}

    producers: dict[str, Organization] = {
        "dap_thanh": directory.orgs["dap_thanh"],
        "cc_tdc_qn": directory.orgs["cc_tdc_qn"],
    }
    for spec in PRODUCERS:
        producers[spec.key] = upsert(
            Organization,
            {"name": spec.name, "admin_unit": units[spec.unit]},
            {"kind": spec.kind, "notes": ILLUSTRATIVE_ORG},
            tally,
        )

    products = {}
    for specs, source in ((BA_CHE, SRC_QN), (BINH_LIEU, SRC_QN), (DINH_HOA, SRC_TN)):
        products.update(load_products(specs, units, producers, groups, tally, source))

    for spec in (*BA_CHE, *BINH_LIEU):
        if spec.trademark:
            number, filed, grant = spec.trademark
            product = products[spec.name]
            load_asset(
                ip_type=ip_types["trademark"],
                status=granted,
                name=spec.name,
                unit=units[spec.unit],
                owner=product.producer,
                owner_name=product.producer_name,
                number=number,
                filed=filed,
                granted=grant,
                products=[product],
                tally=tally,
                product_scope=f"{spec.name} ({ILLUSTRATIVE_TITLE})",
            )

    # Định Hóa: the collective mark whose management the department reviews with the district.
    bao_thai = load_asset(
        ip_type=ip_types["collective-mark"],
        status=granted,
        name="Gạo Bao Thai Định Hóa",
        unit=units["dinhhoa"],
        owner=None,
        owner_name="Hội Sản xuất và Kinh doanh gạo Bao Thai Định Hóa (minh hoạ)",
        number="4-DEMO-DH-01",
        filed=Date(2012, 9, 10),
        granted=Date(2014, 3, 17),
        products=[products["Gạo Bao Thai Định Hóa"]],
        tally=tally,
        nice_classes="30",
        product_scope="Gạo Bao Thai",
        expiry_date=Date(2032, 9, 10),  # renewed in 2022 (below)
        geographic_area="Huyện Định Hóa, tỉnh Thái Nguyên (trước 2025)",
        management_rules=(
            "Quy chế quản lý và sử dụng nhãn hiệu tập thể “Gạo Bao Thai Định Hóa”: điều kiện cấp quyền sử dụng,"
            " quy trình sản xuất, kiểm soát chất lượng, tem nhãn. Nội dung minh hoạ (demo); Sở KH&CN giao các"
            " phòng chuyên môn rà soát các quy trình quản lý. " + SRC_TN
        ),
    )
    upsert(
        IpRenewal,
        {"asset": bao_thai, "renewed_on": Date(2022, 8, 1)},
        {"new_expiry_date": Date(2032, 9, 10), "decision_number": "DEMO-GH-DH-01 (minh hoạ)"},
        tally,
    )
    for name, since in (
        ("HTX Nông nghiệp Bảo Linh (minh hoạ)", Date(2015, 6, 1)),
        ("HTX Dịch vụ nông nghiệp Định Biên (minh hoạ)", Date(2016, 3, 15)),
        ("Tổ hợp tác sản xuất lúa Bao Thai Phượng Tiến (minh hoạ)", Date(2018, 9, 1)),
    ):
        upsert(IpAuthorizedUser, {"asset": bao_thai, "name": name}, {"authorized_on": since}, tally)

    # The only S&T enterprise of Ba Chẽ in 2023.
    upsert(
        StEnterprise,
        {"organization": directory.orgs["dap_thanh"]},
        {
            "certificate_number": "DEMO-KHCN-QN-01",
            "certificate_date": Date(2021, 10, 15),
            "issued_by": directory.orgs["so_qn"],
            "st_result": "Ứng dụng kết quả nhiệm vụ KH&CN về nhân giống và chế biến trà hoa vàng (minh hoạ, demo). "
            + SRC_QN,
            "field": "Nông lâm nghiệp, chế biến lâm sản",
        },
        tally,
    )

    # The 2023 aims discussed on 13/3/2023 (guidance on industrial property for 100 % of key and OCOP
    # products, at least one S&T enterprise in Bình Liêu, "01 đến 02" new S&T enterprises a year in Ba
    # Chẽ) are points of the coordination programme, not targets the session set: none is recorded
    # here, and the ones earlier demo runs stored are removed.
    Target.objects.filter(year=TARGET_YEAR, legal_basis=SESSION_QN).delete()

    if tally.changed:
        write_summary(stdout, "Registries (demo)", tally)
