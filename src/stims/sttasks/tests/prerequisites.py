"""Builders of what each workflow condition needs, so that tests can satisfy all but one of them."""

import datetime

from stims.councils.models import Council, CouncilDossier, RatingLevel
from stims.funding.models import BudgetLine, FundingSource, Settlement
from stims.results.models import ApplicationReport, Handover, ResultKind, TaskResult


def passed_council(task, kind):
    council = Council.objects.create(
        kind=kind, name=f"Hội đồng {kind} {task.code}", concluded_on=datetime.date(2026, 2, 1)
    )
    rating = RatingLevel.objects.filter(is_pass=True).first() if kind == "acceptance" else None
    return CouncilDossier.objects.create(council=council, task=task, passed=True, rating=rating)


def result(task, *, registered=True):
    return TaskResult.objects.create(
        task=task,
        kind=ResultKind.PROCESS,
        name=f"Quy trình kỹ thuật của {task.code}",
        certificate_number="12/2026/ĐKKQ" if registered else "",
        certificate_date=datetime.date(2026, 3, 1) if registered else None,
    )


def satisfy(task, guard: str, *, institute, investigator, unit):
    """Make `guard` hold for `task`."""
    if guard == "identification_passed":
        passed_council(task, "identification")
    elif guard == "selection_passed":
        passed_council(task, "selection")
    elif guard == "appraisal_passed":
        passed_council(task, "appraisal")
    elif guard == "acceptance_passed":
        passed_council(task, "acceptance")
    elif guard == "code_assigned":
        task.code = task.code or f"DX-{task.pk}"
        task.save()
    elif guard == "lead_team":
        task.lead_organization, task.principal_investigator = institute, investigator
        task.save()
    elif guard == "dates_set":
        task.start_date, task.end_date = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
        task.save()
    elif guard == "budget_planned":
        BudgetLine.objects.create(
            task=task, year=2026, source=FundingSource.STATE_LUMP_SUM, amount=550_000_000
        )
    elif guard == "results_registered":
        result(task)
    elif guard == "settled":
        Settlement.objects.create(task=task, settled_on=datetime.date(2026, 6, 1), settled_amount=0)
    elif guard == "results_handed_over":
        for each in list(task.results.all()) or [result(task)]:
            Handover.objects.create(
                result=each, receiving_unit=unit, handed_over_on=datetime.date(2026, 7, 1)
            )
    elif guard == "application_reported":
        ApplicationReport.objects.create(result=result(task), year=2027, admin_unit=unit, scale="35 ha")
    else:
        raise AssertionError(f"no builder for {guard}")
