"""Seed the sectors the department inspects and a first catalogue of violation types.

Sectors follow the department's reports ("thanh tra, kiểm tra … an toàn bức xạ, đo lường, chất lượng,
sản phẩm hàng hóa lưu thông trên thị trường, … ghi nhãn hàng hóa đối với hoạt động sản xuất, kinh doanh
hàng đóng gói sẵn, kinh doanh xăng dầu, khí dầu mỏ hóa lỏng"). The violation types name the decree
that sanctions them (NĐ 119/2017/NĐ-CP for standards, metrology and quality; NĐ 107/2013/NĐ-CP for
atomic energy); the article and the fine bands are left for the department to fill in the admin
(docs/inspections.md: not confirmed here). Only what is missing is added; an edited row is never
overwritten. Reversing removes the seeded rows nothing refers to.
"""

from django.db import migrations

SECTORS = [
    # (code, name, order)
    ("fuel-retail", "Kinh doanh xăng dầu", 1),
    ("lpg", "Kinh doanh khí dầu mỏ hóa lỏng (LPG)", 2),
    ("prepackaged", "Hàng đóng gói sẵn", 3),
    ("labelling", "Ghi nhãn hàng hóa", 4),
    ("goods-quality", "Chất lượng sản phẩm, hàng hóa lưu thông trên thị trường", 5),
    ("measuring-instruments", "Phương tiện đo", 6),
    ("radiation", "An toàn bức xạ (cơ sở X-quang, nguồn phóng xạ)", 7),
]

QUALITY = "Nghị định 119/2017/NĐ-CP"
ATOMIC = "Nghị định 107/2013/NĐ-CP"
VIOLATION_TYPES = [
    # (code, sector code, name, legal basis)
    ("fuel-pump-unverified", "fuel-retail", "Cột đo nhiên liệu chưa kiểm định hoặc chứng chỉ kiểm định hết hiệu lực", QUALITY),
    ("fuel-quantity-error", "fuel-retail", "Lượng xăng dầu bán ra có sai số vượt giới hạn cho phép", QUALITY),
    ("fuel-quality", "fuel-retail", "Xăng dầu không phù hợp quy chuẩn kỹ thuật, tiêu chuẩn công bố áp dụng", QUALITY),
    ("fuel-records", "fuel-retail", "Không lưu giữ hoặc không xuất trình chứng từ chất lượng xăng dầu", QUALITY),
    ("lpg-cylinder-unverified", "lpg", "Chai LPG chưa kiểm định hoặc quá hạn kiểm định", QUALITY),
    ("lpg-quantity-error", "lpg", "Lượng LPG trong chai có sai số vượt giới hạn cho phép", QUALITY),
    ("prepack-short-quantity", "prepackaged", "Lượng hàng đóng gói sẵn thiếu so với lượng danh nghĩa", QUALITY),
    ("prepack-nominal-quantity", "prepackaged", "Không ghi hoặc ghi không đúng lượng danh nghĩa trên nhãn", QUALITY),
    ("label-mandatory-content", "labelling", "Nhãn hàng hóa thiếu nội dung bắt buộc", QUALITY),
    ("goods-nonconforming", "goods-quality", "Hàng hóa lưu thông không phù hợp tiêu chuẩn công bố áp dụng", QUALITY),
    ("instrument-unverified", "measuring-instruments", "Sử dụng phương tiện đo nhóm 2 chưa được kiểm định", QUALITY),
    ("radiation-no-licence", "radiation", "Tiến hành công việc bức xạ không có giấy phép hoặc giấy phép hết hạn", ATOMIC),
    ("radiation-no-dosimetry", "radiation", "Không trang bị liều kế cá nhân, không theo dõi liều cho nhân viên bức xạ", ATOMIC),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("inspections", "Sector")
    ViolationType = apps.get_model("inspections", "ViolationType")
    sectors = {}
    for code, name, order in SECTORS:
        sectors[code], _ = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order, "is_active": True}
        )
    for code, sector, name, basis in VIOLATION_TYPES:
        ViolationType.objects.get_or_create(
            code=code, defaults={"sector": sectors[sector], "name": name, "legal_basis": basis, "is_active": True}
        )


def unseed(apps, schema_editor):
    Sector = apps.get_model("inspections", "Sector")
    ViolationType = apps.get_model("inspections", "ViolationType")
    ViolationType.objects.filter(code__in=[row[0] for row in VIOLATION_TYPES], violations__isnull=True).delete()
    Sector.objects.filter(
        code__in=[row[0] for row in SECTORS], establishments__isnull=True, plans__isnull=True, violation_types__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
