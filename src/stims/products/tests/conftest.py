import datetime
from decimal import Decimal

import pytest

from stims.orgs.models import Organization, OrganizationKind
from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup
from stims.testing import unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def food(db):
    return ProductGroup.objects.get(code="food")


@pytest.fixture
def herbal(db):
    return ProductGroup.objects.get(code="herbal")


@pytest.fixture
def ba_che_cooperative(ba_che):
    return Organization.objects.create(
        name="HTX Trà hoa vàng Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
    )


@pytest.fixture
def ba_che_tea(ba_che, herbal, ba_che_cooperative):
    return Product.objects.create(
        name="Trà hoa vàng Ba Chẽ",
        group=herbal,
        producer_kind=ProducerKind.COOPERATIVE,
        producer=ba_che_cooperative,
        admin_unit=ba_che,
        is_ocop=True,
        is_key_product=True,
    )


@pytest.fixture
def binh_lieu_vermicelli(binh_lieu, food):
    return Product.objects.create(
        name="Miến dong Bình Liêu",
        group=food,
        producer_kind=ProducerKind.HOUSEHOLD,
        producer_name="Hộ ông Lục Văn Thành",
        admin_unit=binh_lieu,
        is_ocop=True,
    )


def evaluate(product, year, a, b, c, **extra):
    return OcopEvaluation.objects.create(
        product=product,
        year=year,
        score_a=Decimal(str(a)),
        score_b=Decimal(str(b)),
        score_c=Decimal(str(c)),
        **extra,
    )


@pytest.fixture
def today():
    return datetime.date.today()
