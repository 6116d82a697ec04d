import datetime

import pytest

from stims.enterprises.models import Startup, StEnterprise
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


def _enterprise(name, admin_unit, tax_code, number):
    organization = Organization.objects.create(
        name=name, kind=OrganizationKind.ENTERPRISE, admin_unit=admin_unit, tax_code=tax_code
    )
    return StEnterprise.objects.create(
        organization=organization,
        certificate_number=number,
        certificate_date=datetime.date(2021, 3, 15),
        st_result="Quy trình nhân giống cây ba kích tím",
        field="Nông nghiệp",
    )


@pytest.fixture
def ba_che_enterprise(ba_che):
    return _enterprise("Công ty TNHH Dược liệu Ba Chẽ", ba_che, "5701234567", "12/2021/DNKHCN")


@pytest.fixture
def binh_lieu_enterprise(binh_lieu):
    return _enterprise("Công ty CP Miến dong Bình Liêu", binh_lieu, "5709876543", "03/2021/DNKHCN")


@pytest.fixture
def ba_che_startup(ba_che):
    return Startup.objects.create(name="Trà hoa vàng Ba Chẽ", admin_unit=ba_che, field="Nông nghiệp")


@pytest.fixture
def specialist(client):
    user = make_user("specialist", username="chuyenvien", first_name="Lan", last_name="Nguyễn Thị")
    client.force_login(user)
    return user


@pytest.fixture
def ba_che_officer(client, ba_che):
    user = make_user("local_officer", admin_unit=ba_che, username="canbo_bache")
    client.force_login(user)
    return user
