"""Seed the six OCOP product groups and the score-to-stars bands.

Groups: QĐ 148/QĐ-TTg (2023-02-24), which replaced the 2019 set of QĐ 1048/QĐ-TTg (its "textiles and
garments" and "souvenirs, furniture, decoration" became one handicraft group; ornamental plants and
animals became a group of their own). Bands: 5★ 90–100, 4★ 70–89, 3★ 50–69, 2★ 30–49, 1★ below 30.
Totals carry one decimal, so each upper bound is x9.99: a total of 89.5 is 4★, not "no band".

Both are data: administrators change them in the admin (a later decision may), so this migration
only adds what is missing and never overwrites an edited row. Reversing removes the seeded rows that
nothing refers to.
"""

from decimal import Decimal

from django.db import migrations

GROUPS = [
    # (code, official name, order)
    ("food", "Thực phẩm", 1),
    ("drinks", "Đồ uống", 2),
    ("herbal", "Thảo dược", 3),
    ("handicraft", "Thủ công mỹ nghệ", 4),
    ("ornamental", "Sinh vật cảnh", 5),
    ("tourism", "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", 6),
]

LEGAL_BASIS = "QĐ 1048/QĐ-TTg; QĐ 148/QĐ-TTg"
BANDS = [
    # (stars, from score, to score)
    (5, Decimal("90.00"), Decimal("100.00")),
    (4, Decimal("70.00"), Decimal("89.99")),
    (3, Decimal("50.00"), Decimal("69.99")),
    (2, Decimal("30.00"), Decimal("49.99")),
    (1, Decimal("0.00"), Decimal("29.99")),
]


def seed(apps, schema_editor):
    ProductGroup = apps.get_model("products", "ProductGroup")
    StarBand = apps.get_model("products", "StarBand")
    for code, name, order in GROUPS:
        ProductGroup.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order, "is_active": True})
    for stars, low, high in BANDS:
        # A deployment that already holds a band for these stars (edited, or dated) keeps it.
        if not StarBand.objects.filter(stars=stars).exists():
            StarBand.objects.create(stars=stars, min_score=low, max_score=high, legal_basis=LEGAL_BASIS)


def unseed(apps, schema_editor):
    ProductGroup = apps.get_model("products", "ProductGroup")
    StarBand = apps.get_model("products", "StarBand")
    for stars, low, high in BANDS:
        StarBand.objects.filter(
            stars=stars, min_score=low, max_score=high, legal_basis=LEGAL_BASIS, valid_from__isnull=True, valid_to__isnull=True
        ).delete()
    ProductGroup.objects.filter(code__in=[code for code, _, _ in GROUPS], products__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
