"""`stims demo` for the registries: the seed articles' figures, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stims.demo import registries as demo
from stims.enterprises.models import StEnterprise
from stims.ip.models import IpAsset, IpAuthorizedUser, IpStatusEvent, IpType
from stims.orgs.models import Organization
from stims.products.models import LabellingGuidance, OcopEvaluation, Product, Traceability
from stims.registries.models import Target
from stims.testing import demo_snapshot

pytestmark = pytest.mark.django_db

MODELS = (
    Organization,
    Product,
    OcopEvaluation,
    LabellingGuidance,
    Traceability,
    IpAsset,
    IpStatusEvent,
    IpAuthorizedUser,
    StEnterprise,
    Target,
)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    counts = {}
    for model in MODELS:
        counts[model._meta.label] = model.objects.count()
        counts[f"{model._meta.label} history"] = model.history.count()
    counts["asset products"] = sorted(
        IpAsset.products.through.objects.values_list("ipasset_id", "product_id")
    )
    return counts


@pytest.mark.slow
def test_running_the_demo_twice_creates_and_changes_nothing_the_second_time(demo_data):
    # The first run is the process's demo build, copied (`demo_data`); its output is kept.
    first_output = demo_snapshot.output
    first = snapshot()
    second_output = run_demo()
    assert snapshot() == first
    assert "Registries (demo)" in first_output and "Registries (demo)" not in second_output


def test_a_missing_reference_code_fails_with_a_clear_message():
    IpType.objects.filter(code="collective-mark").update(code="renamed")
    with pytest.raises(CommandError, match="'collective-mark'"):
        demo.load(io.StringIO())
