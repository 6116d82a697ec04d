"""What the apps register into core at start-up (see `permissions.register_*` and
`context_processors.register_*`) adds up to the reference models and the navigation STIMS has always had.

The role matrix itself is checked cell by cell against the documented table in test_permission_matrix.py.
"""

from django.utils import translation

from stims.core import permissions
from stims.core.context_processors import navigation_sections

REFERENCE_MODELS = {
    "councils.ratinglevel",
    "geo.adminunit",
    "innovation.framework",
    "innovation.indicator",
    "innovation.indicatorgroup",
    "innovation.pillar",
    "innovation.publishedscore",
    "inspections.sector",
    "inspections.violationtype",
    "ip.ipstatus",
    "ip.iptype",
    "products.productgroup",
    "products.starband",
    "sttasks.call",
    "sttasks.documentkind",
    "sttasks.programme",
    "sttasks.sciencefield",
    "sttasks.tasktype",
    "sttasks.workflowstate",
    "sttasks.workflowtransition",
}

NAVIGATION = [
    (
        "Directory",
        [
            ("Administrative units", "geo:adminunit_list", "geo.AdminUnit"),
            ("Organizations", "orgs:organization_list", "orgs.Organization"),
            ("People", "orgs:person_list", "orgs.Person"),
            ("Local S&T bodies", "orgs:localbody_list", "orgs.LocalBody"),
        ],
    ),
    (
        "Registries",
        [
            ("Registry dashboard", "registries:dashboard", "products.Product"),
            ("Products", "products:product_list", "products.Product"),
            ("IP assets", "ip:ipasset_list", "ip.IpAsset"),
            ("S&T enterprises", "enterprises:stenterprise_list", "enterprises.StEnterprise"),
            ("Startups", "enterprises:startup_list", "enterprises.Startup"),
            ("Targets", "registries:target_list", "registries.Target"),
            ("Import from Excel", "registries:import", "products.Product"),
        ],
    ),
    (
        "S&T tasks",
        [
            ("Leader's summary", "sttasks:summary", "sttasks.Task"),
            ("Tasks", "sttasks:task_list", "sttasks.Task"),
            ("Overdue", "sttasks:overdue", "sttasks.Task"),
            ("My actions", "sttasks:my_actions", "sttasks.Task"),
            ("Calls for proposals", "sttasks:call_list", "sttasks.Call"),
            ("Councils", "councils:council_list", "councils.Council"),
            ("Criteria sets", "councils:criteriaset_list", "councils.CriteriaSet"),
            ("Budget by year", "funding:budget_by_year", "funding.BudgetLine"),
            ("Allocations to localities", "funding:allocation_list", "funding.Allocation"),
            ("Results", "results:taskresult_list", "results.TaskResult"),
            ("Application and replication", "results:replication", "results.ApplicationReport"),
            ("Import tasks from Excel", "sttasks:import", "sttasks.Task"),
            ("Workflow", "sttasks:workflow", "sttasks.Task"),
        ],
    ),
    (
        "Sessions and directives",
        [
            ("Directives dashboard", "meetings:dashboard", "meetings.Directive"),
            ("Working sessions", "meetings:workingsession_list", "meetings.WorkingSession"),
            ("Draft a session from text", "meetings:draft", "meetings.WorkingSession"),
            ("Directives", "meetings:directive_list", "meetings.Directive"),
            ("Locality requests", "meetings:localityrequest_list", "meetings.LocalityRequest"),
            ("Deadline calendar", "meetings:deadline_calendar", "meetings.Directive"),
            ("Leaders' work calendar", "meetings:work_calendar", "meetings.WorkingSession"),
        ],
    ),
    (
        "Standards, metrology and quality",
        [
            ("Quality dashboard", "inspections:dashboard", "inspections.Inspection"),
            ("Establishments", "inspections:establishment_list", "inspections.Establishment"),
            ("Import establishments from Excel", "inspections:import", "inspections.Establishment"),
            ("Inspection plans", "inspections:inspectionplan_list", "inspections.InspectionPlan"),
            ("Inspections", "inspections:inspection_list", "inspections.Inspection"),
            ("Violations", "inspections:violation_list", "inspections.Violation"),
            (
                "Measuring instruments",
                "inspections:measuringinstrument_list",
                "inspections.MeasuringInstrument",
            ),
            ("Radiation licences", "inspections:radiationlicence_list", "inspections.RadiationLicence"),
            ("ISO 9001 compliance by year", "iso:compliance", "iso.IsoRecord"),
            ("Agencies' ISO 9001 records", "iso:isorecord_list", "iso.IsoRecord"),
            ("Import ISO 9001 records from Excel", "iso:import", "iso.IsoRecord"),
        ],
    ),
    (
        "Reports",
        [
            ("Leaders' dashboard", "reports:dashboard", "reports.Report"),
            ("Periodic reports", "reports:report_list", "reports.Report"),
            ("Report templates", "reports:reporttemplate_list", "reports.ReportTemplate"),
        ],
    ),
    (
        "Plans and programmes",
        [
            ("Plans and programmes", "programmes:plan_list", "programmes.Plan"),
            ("Policy and legal documents", "programmes:legaldocument_list", "programmes.LegalDocument"),
            ("Cooperation agreements", "programmes:agreement_list", "programmes.Agreement"),
            ("Outreach and training", "programmes:activity_list", "programmes.Activity"),
            ("Local body meetings", "programmes:bodymeeting_list", "programmes.BodyMeeting"),
            ("Local S&T officers", "programmes:localofficer_list", "programmes.LocalOfficer"),
            ("Index results", "innovation:results", "innovation.Framework"),
            ("Index frameworks", "innovation:framework_list", "innovation.Framework"),
            ("Indicator values", "innovation:indicatorvalue_list", "innovation.IndicatorValue"),
            ("Import indicator values from Excel", "innovation:import", "innovation.IndicatorValue"),
        ],
    ),
    (
        "Initiatives",
        [
            ("Initiatives", "initiatives:initiative_list", "initiatives.Initiative"),
            ("Council rounds", "initiatives:councilround_list", "initiatives.CouncilRound"),
            ("Recognised by agency and year", "initiatives:report", "initiatives.Initiative"),
            ("Import initiatives from Excel", "initiatives:import", "initiatives.Initiative"),
        ],
    ),
    (
        "Administration",
        [
            ("Users and roles", "accounts:user_list", "accounts.User"),
            ("E-mails not sent", "accounts:failed_emails", "accounts.User"),
        ],
    ),
    (
        "Public portal",
        [
            ("News", "portal:newsarticle_list", "portal.NewsArticle"),
            ("News categories", "portal:newscategory_list", "portal.NewsCategory"),
            ("News tags", "portal:newstag_list", "portal.NewsTag"),
            ("Public work calendar", "portal:publicsession_list", "portal.PublicSession"),
            ("Proposals received on the portal", "portal:portalproposal_list", "portal.PortalProposal"),
        ],
    ),
]


def test_the_reference_models_are_registered():
    assert permissions.REFERENCE_MODELS == REFERENCE_MODELS


def test_the_navigation_is_assembled_in_order():
    with translation.override("en"):
        assembled = [
            (str(section), [(str(label), url_name, model) for label, url_name, model in items])
            for section, items in navigation_sections()
        ]
    assert assembled == NAVIGATION


def test_every_role_has_a_row_for_its_defaults():
    from stims.accounts.models import Role

    assert list(permissions.ROLE_MATRIX) == list(Role.values)


def test_two_apps_cannot_grant_one_cell_differently(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setattr(permissions, "ROLE_MATRIX", {})
    permissions.register_role_grants({"viewer": {"products.product": permissions.READ}})
    permissions.register_role_grants({"viewer": {"products.product": {"view"}}})  # the same: harmless
    with pytest.raises(ImproperlyConfigured):
        permissions.register_role_grants({"viewer": {"products.product": permissions.WRITE}})
    with pytest.raises(ImproperlyConfigured):
        permissions.register_role_grants({"viewer": {"products.Product": permissions.READ}})
    assert permissions.ROLE_MATRIX == {"viewer": {"products.product": permissions.READ}}


def test_the_directory_answers_for_the_permission_layer():
    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization

    assert permissions._provider("unit_model") is AdminUnit
    assert permissions._provider("organization_model") is Organization
    assert set(permissions._providers) == set(permissions.PROVIDERS)


def test_the_workflow_conditions_and_task_page_sections_are_registered():
    from stims.sttasks import panels, workflow

    assert set(workflow.GUARDS) == {
        "identification_passed",
        "selection_passed",
        "appraisal_passed",
        "acceptance_passed",
        "lead_team",
        "dates_set",
        "budget_planned",
        "results_registered",
        "settled",
        "results_handed_over",
        "application_reported",
        "code_assigned",
    }
    guards_of = [step[7] for step in workflow.DEFAULT_TRANSITIONS]  # "name,name" per default step
    named = {name for guards in guards_of for name in guards.split(",") if name}
    assert named <= set(workflow.GUARDS)
    assert {(s.key, s.page) for s in panels.PAGE_SECTIONS} == {
        ("budget", panels.SUMMARY_END),
        ("replication", panels.SUMMARY_SIDE),
        ("pending_sheets", panels.MY_ACTIONS),
    }
