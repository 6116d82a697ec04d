"""Seed the IP types and statuses (data, not code: editable in the admin afterwards).

Idempotent: a row whose code already exists is left as it is (someone may have corrected it). The
reverse removes the seeded rows that nothing refers to.
"""

from django.db import migrations

# code, name, protection years (None: indefinite), renewable, geographic area, management rules
TYPES = [
    ("trademark", "Nhãn hiệu", 10, True, False, False),
    ("collective-mark", "Nhãn hiệu tập thể", 10, True, True, True),
    ("certification-mark", "Nhãn hiệu chứng nhận", 10, True, True, True),
    ("geographical-indication", "Chỉ dẫn địa lý", None, False, True, True),
    ("patent", "Sáng chế", 20, False, False, False),
    ("utility-solution", "Giải pháp hữu ích", 10, False, False, False),
    ("industrial-design", "Kiểu dáng công nghiệp", 5, True, False, False),
]

# code, name, protected, final
STATUSES = [
    ("filed", "Đã nộp đơn", False, False),
    ("formal-examination", "Thẩm định hình thức", False, False),
    ("substantive-examination", "Thẩm định nội dung", False, False),
    ("granted", "Được cấp văn bằng", True, False),
    ("refused", "Từ chối", False, True),
    ("withdrawn", "Rút đơn", False, True),
    ("expired", "Hết hiệu lực", False, True),
]


def seed(apps, schema_editor):
    IpType = apps.get_model("ip", "IpType")
    IpStatus = apps.get_model("ip", "IpStatus")
    for order, (code, name, years, renewable, area, rules) in enumerate(TYPES, start=1):
        IpType.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "protection_years": years, "renewable": renewable,
                "has_geographic_area": area, "has_management_rules": rules, "sort_order": order * 10,
            },
        )
    for order, (code, name, protected, final) in enumerate(STATUSES, start=1):
        IpStatus.objects.get_or_create(
            code=code, defaults={"name": name, "is_protected": protected, "is_final": final, "sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    IpType = apps.get_model("ip", "IpType")
    IpStatus = apps.get_model("ip", "IpStatus")
    IpAsset = apps.get_model("ip", "IpAsset")
    IpStatusEvent = apps.get_model("ip", "IpStatusEvent")
    used_types = IpAsset.objects.values("ip_type")
    used_statuses = set(IpAsset.objects.values_list("status", flat=True)) | set(
        IpStatusEvent.objects.values_list("status", flat=True)
    )
    IpType.objects.filter(code__in=[t[0] for t in TYPES]).exclude(pk__in=used_types).delete()
    IpStatus.objects.filter(code__in=[s[0] for s in STATUSES]).exclude(pk__in=used_statuses).delete()


class Migration(migrations.Migration):
    dependencies = [("ip", "0002_initial")]

    operations = [migrations.RunPython(seed, unseed)]
