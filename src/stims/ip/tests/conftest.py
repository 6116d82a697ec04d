import datetime

import pytest

from stims.ip.models import IpAsset, IpStatus, IpType
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


def ip_type(code: str) -> IpType:
    return IpType.objects.get(code=code)


def ip_status(code: str) -> IpStatus:
    return IpStatus.objects.get(code=code)


@pytest.fixture
def make_asset(db):
    """An asset as the asset form creates it: in the first status, with its history opened."""
    from stims.ip import services

    def make(
        name="Ba Chẽ",
        *,
        type_code="collective-mark",
        admin_unit,
        owner=None,
        application_date=datetime.date(2020, 3, 2),
        **extra,
    ):
        asset = IpAsset.objects.create(
            ip_type=ip_type(type_code),
            name=name,
            admin_unit=admin_unit,
            owner=owner,
            owner_name="" if owner else "Hội Nông dân huyện",
            application_number=f"4-2020-{name[:8]}",
            application_date=application_date,
            status=services.initial_status(),
            status_date=application_date,
            **extra,
        )
        services.open_history(asset)
        return asset

    return make


@pytest.fixture
def ba_che_cooperative(ba_che):
    return Organization.objects.create(
        name="HTX Dược liệu Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
    )


@pytest.fixture
def ba_che_asset(make_asset, ba_che, ba_che_cooperative):
    return make_asset("Ba Kích Ba Chẽ", admin_unit=ba_che, owner=ba_che_cooperative)


@pytest.fixture
def binh_lieu_asset(make_asset, binh_lieu):
    return make_asset("Miến dong Bình Liêu", admin_unit=binh_lieu)
