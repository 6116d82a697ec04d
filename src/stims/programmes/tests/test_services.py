"""Progress of targets (counted from STIMS's records or entered with evidence), what is behind, and the
status moves of policy and legal documents with each refusal."""

import datetime
from decimal import Decimal

import pytest

from stims.enterprises.models import StEnterprise
from stims.orgs.models import Organization, OrganizationKind
from stims.programmes import services
from stims.programmes.models import (
    DocumentReview,
    DocumentRole,
    DocumentStatus,
    DocumentType,
    LegalDocument,
    Plan,
    ProgressEntry,
    Target,
)

from .conftest import make_plan

pytestmark = pytest.mark.django_db
S = DocumentStatus


def certify(name: str, where, number: str, day: datetime.date) -> StEnterprise:
    """An enterprise of `where` granted its S&T enterprise certificate `number` on `day`."""
    org = Organization.objects.create(name=name, kind=OrganizationKind.ENTERPRISE, admin_unit=where)
    return StEnterprise.objects.create(
        organization=org, certificate_number=number, certificate_date=day, st_result="Kết quả"
    )


def test_an_enterprise_target_is_counted_from_the_certificates_granted_in_its_locality_and_year(
    ba_che_plan, ba_che, binh_lieu
):
    target = Target.objects.create(
        plan=ba_che_plan,
        indicator="Doanh nghiệp KH&CN",
        unit="doanh nghiệp",
        value=2,
        year=2023,
        measure="st_enterprises",
    )
    for n, (where, day) in enumerate(
        [
            (ba_che, datetime.date(2023, 5, 1)),
            (binh_lieu, datetime.date(2023, 6, 1)),
            (ba_che, datetime.date(2022, 1, 1)),
        ]
    ):
        certify(f"Công ty {n}", where, f"{n}/DNKHCN", day)
    rows = {row.target.pk: row for row in services.progress(ba_che_plan, datetime.date(2024, 1, 10))}
    row = rows[target.pk]
    assert row.computed and row.achieved == 1 and row.behind and row.percent == 50


def test_an_entered_target_reads_its_latest_entry_and_is_behind_until_reached(ba_che_plan):
    target = ba_che_plan.targets.get()
    today = datetime.date(2023, 12, 31)
    assert services.progress(ba_che_plan, today)[0].behind
    ProgressEntry.objects.create(target=target, reported_on=datetime.date(2023, 6, 30), value=60)
    ProgressEntry.objects.create(target=target, reported_on=datetime.date(2023, 12, 1), value=100)
    row = services.progress(ba_che_plan, today)[0]
    assert row.achieved == Decimal(100) and not row.computed and not row.behind
    # Not due yet: a target of 2023 seen in 2022 is not behind.
    ProgressEntry.objects.all().delete()
    assert not services.progress(ba_che_plan, datetime.date(2022, 12, 31))[0].behind


def test_a_whole_period_target_is_expected_pro_rata(ba_che_plan):
    target = Target.objects.create(
        plan=ba_che_plan, indicator="Lớp tập huấn", unit="lớp", value=10, baseline=0
    )
    target.plan = ba_che_plan
    assert services.expected(target, datetime.date(2023, 3, 1)) == Decimal(4)  # 2 of 5 years gone
    assert services.expected(target, datetime.date(2020, 3, 1)) is None
    assert services.expected(target, datetime.date(2026, 3, 1)) == 10


def test_behind_plans_lists_only_plans_with_a_due_target_not_reached(ba_che_plan, binh_lieu_plan):
    Target.objects.create(plan=binh_lieu_plan, indicator="X", unit="%", value=50, year=2022)
    ProgressEntry.objects.create(
        target=binh_lieu_plan.targets.get(), reported_on=datetime.date(2022, 12, 1), value=55
    )
    behind = list(services.behind_plans(Plan.objects.all(), datetime.date(2024, 1, 1)))
    assert behind == [ba_che_plan] and behind[0].behind_count == 1


def test_a_plan_cannot_be_its_own_parent_nor_end_before_it_starts(ba_che_plan, ba_che_committee, ba_che):
    from django.core.exceptions import ValidationError

    child = make_plan(ba_che_committee, ba_che, name="Kế hoạch con", parent=ba_che_plan)
    ba_che_plan.parent = child
    with pytest.raises(ValidationError, match="own parent"):
        ba_che_plan.full_clean()
    child.end_year = 2019
    with pytest.raises(ValidationError, match="cannot end before"):
        child.full_clean()


@pytest.fixture
def document(ba_che_committee, ba_che):
    return LegalDocument.objects.create(
        doc_type=DocumentType.RESOLUTION,
        title="Quy định giải thưởng khoa học và công nghệ tỉnh",
        role=DocumentRole.DRAFTED,
        organization=ba_che_committee,
        admin_unit=ba_che,
    )


def test_a_document_moves_from_drafting_to_replaced_and_each_move_says_why_it_is_refused(document, leader):
    with pytest.raises(services.DocumentRefused) as refused:
        services.move_document(document, "enter_into_force", leader)
    assert "cannot be moved this way" in refused.value.reasons[0]
    services.move_document(document, "consult", leader)
    with pytest.raises(services.DocumentRefused) as refused:
        services.move_document(document, "issue", leader)
    assert set(refused.value.reasons) == {
        "Give the number and symbol of the document issued.",
        "Give the date the document was issued.",
    }
    assert LegalDocument.objects.get().status == S.CONSULTATION  # nothing changed
    services.move_document(
        document, "issue", leader, number="54/2023/NQ-HĐND", date=datetime.date(2023, 12, 8)
    )
    services.move_document(document, "enter_into_force", leader, date=datetime.date(2023, 12, 18))
    services.move_document(document, "start_review", leader)
    with pytest.raises(services.DocumentRefused, match="findings"):
        services.move_document(document, "close_review", leader)
    DocumentReview.objects.create(
        document=document, reviewed_on=datetime.date(2025, 3, 1), findings="Cần bổ sung", proposal="amend"
    )
    services.move_document(document, "close_review", leader)
    document.refresh_from_db()
    assert (document.status, document.number, document.effective_on) == (
        S.IN_FORCE,
        "54/2023/NQ-HĐND",
        datetime.date(2023, 12, 18),
    )
    with pytest.raises(services.DocumentRefused, match="Name the document"):
        services.move_document(document, "replace", leader)
    with pytest.raises(services.DocumentRefused, match="cannot replace itself"):
        services.move_document(document, "replace", leader, replaced_by=document)
    newer = LegalDocument.objects.create(
        doc_type=DocumentType.RESOLUTION,
        title="Quy định mới",
        role=DocumentRole.DRAFTED,
        organization=document.organization,
        admin_unit=document.admin_unit,
    )
    services.move_document(document, "replace", leader, replaced_by=newer)
    document.refresh_from_db()
    assert document.status == S.REPLACED and document.replaced_by == newer
    assert document.history.count() >= 6


def test_a_local_officer_may_not_move_a_document(document, ba_che_officer):
    assert services.available_moves(document, ba_che_officer) == []
    with pytest.raises(services.DocumentRefused, match="Only the department's staff"):
        services.move_document(document, "consult", ba_che_officer)


def test_a_plans_counted_progress_is_read_from_the_cache_until_what_it_counts_changes(ba_che_plan, ba_che):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = Target.objects.create(
        plan=ba_che_plan,
        indicator="Doanh nghiệp KH&CN",
        unit="doanh nghiệp",
        value=2,
        measure="st_enterprises",
    )
    certify("Công ty A", ba_che, "1/DNKHCN", datetime.date(2023, 5, 1))
    today = datetime.date(2024, 1, 10)

    def counted() -> tuple[Decimal | None, int]:
        with CaptureQueriesContext(connection) as queries:
            row = next(row for row in services.progress(ba_che_plan, today) if row.target.pk == target.pk)
        return row.achieved, len(queries)

    first, cold = counted()
    again, warm = counted()
    assert first == again == 1
    assert warm == cold - 1  # the targets and the version; the count is not run again
    # A certificate granted in the district moves the data version: counted again, and right.
    certify("Công ty B", ba_che, "2/DNKHCN", datetime.date(2023, 7, 1))
    assert counted()[0] == 2
    # So does a change to the plan's own targets (here its year, which narrows what is counted).
    Target.objects.filter(pk=target.pk).update(year=2022)
    assert counted()[0] == 0
