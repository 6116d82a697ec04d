"""`stims send_quality_reminders`: instruments due for verification and licences expiring."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from stims.accounts.models import Notification
from stims.inspections.models import MeasuringInstrument, RadiationLicence
from stims.testing import make_user, unit

D = datetime.date
TODAY = D(2026, 6, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def records(station):
    due = MeasuringInstrument.objects.create(
        establishment=station,
        kind="Cột đo nhiên liệu",
        serial_number="CD-01",
        verification_due=D(2026, 6, 20),
    )
    overdue = MeasuringInstrument.objects.create(
        establishment=station, kind="Cột đo nhiên liệu", serial_number="CD-02", verification_due=D(2026, 5, 1)
    )
    MeasuringInstrument.objects.create(
        establishment=station,
        kind="Cột đo nhiên liệu",
        serial_number="CD-03",
        verification_due=D(2027, 3, 31),
    )
    expiring = RadiationLicence.objects.create(
        establishment=station, number="112/GP-SKHCN", issued_on=D(2023, 7, 1), expires_on=D(2026, 6, 30)
    )
    RadiationLicence.objects.create(
        establishment=station, number="80/GP-SKHCN", issued_on=D(2020, 1, 1), expires_on=D(2023, 6, 30)
    )  # an old licence replaced by the one above: not reminded
    return {"due": due, "overdue": overdue, "expiring": expiring}


def run(*args):
    out = io.StringIO()
    call_command("send_quality_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_job_finds_instruments_due_and_licences_expiring_and_tells_each_inspector_once(records):
    inspector = make_user("inspector")
    specialist = make_user("specialist")
    make_user("viewer")
    outsider = make_user("inspector", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    assert run("--days", "30", "--date", TODAY.isoformat()) == (
        "2 instrument(s) due, 1 licence(s) expiring; 6 new notification(s).\n"
    )
    keys = set(Notification.objects.filter(user=inspector).values_list("key", flat=True))
    assert keys == {
        f"inspections:instrument:{records['due'].pk}:2026-06-20",
        f"inspections:instrument:{records['overdue'].pk}:2026-05-01",
        f"inspections:licence:{records['expiring'].pk}:2026-06-30",
    }
    assert Notification.objects.filter(user=specialist).count() == 3
    assert not Notification.objects.filter(user=outsider).exists()  # none of these is in their scope
    message = Notification.objects.get(user=inspector, key__startswith="inspections:licence").message
    assert "112/GP-SKHCN" in message and "30/06/2026" in message
    assert run("--days", "30", "--date", TODAY.isoformat()).endswith("0 new notification(s).\n")


def test_a_renewed_licence_is_reminded_again_and_a_narrower_window_finds_less(records):
    make_user("inspector")
    assert run("--days", "10", "--date", TODAY.isoformat()).startswith("1 instrument(s) due, 0 licence(s)")
    licence = records["expiring"]
    licence.expires_on = D(2026, 6, 25)
    licence.save()
    assert run("--days", "30", "--date", TODAY.isoformat()).endswith("2 new notification(s).\n")


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError, match="yyyy-mm-dd"):
        run("--date", "01/06/2026")
    with pytest.raises(CommandError, match="negative"):
        run("--days", "-1")
