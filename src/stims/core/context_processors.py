"""Navigation for the base layout: the domains, each shown only to users who may see it."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import permissions

# (section label, [(item label, URL name, model label)]). Later domains add their sections here.
NAVIGATION = [
    (
        _("Directory"),
        [
            (_("Administrative units"), "geo:adminunit_list", "geo.AdminUnit"),
            (_("Organizations"), "orgs:organization_list", "orgs.Organization"),
            (_("People"), "orgs:person_list", "orgs.Person"),
            (_("Local S&T bodies"), "orgs:localbody_list", "orgs.LocalBody"),
        ],
    ),
    (
        _("Registries"),
        [
            (_("Registry dashboard"), "registries:dashboard", "products.Product"),
            (_("Products"), "products:product_list", "products.Product"),
            (_("IP assets"), "ip:ipasset_list", "ip.IpAsset"),
            (_("S&T enterprises"), "enterprises:stenterprise_list", "enterprises.StEnterprise"),
            (_("Startups"), "enterprises:startup_list", "enterprises.Startup"),
            (_("Targets"), "registries:target_list", "registries.Target"),
            (_("Import from Excel"), "registries:import", "products.Product"),
        ],
    ),
    (
        _("S&T tasks"),
        [
            (_("Leader's summary"), "sttasks:summary", "sttasks.Task"),
            (_("Tasks"), "sttasks:task_list", "sttasks.Task"),
            (_("Overdue"), "sttasks:overdue", "sttasks.Task"),
            (_("My actions"), "sttasks:my_actions", "sttasks.Task"),
            (_("Councils"), "councils:council_list", "councils.Council"),
            (_("Criteria sets"), "councils:criteriaset_list", "councils.CriteriaSet"),
            (_("Budget by year"), "funding:budget_by_year", "funding.BudgetLine"),
            (_("Allocations to localities"), "funding:allocation_list", "funding.Allocation"),
            (_("Results"), "results:taskresult_list", "results.TaskResult"),
            (_("Application and replication"), "results:replication", "results.ApplicationReport"),
            (_("Import tasks from Excel"), "sttasks:import", "sttasks.Task"),
            (_("Workflow"), "sttasks:workflow", "sttasks.Task"),
        ],
    ),
    (
        _("Sessions and directives"),
        [
            (_("Directives dashboard"), "meetings:dashboard", "meetings.Directive"),
            (_("Working sessions"), "meetings:workingsession_list", "meetings.WorkingSession"),
            (_("Draft a session from text"), "meetings:draft", "meetings.WorkingSession"),
            (_("Directives"), "meetings:directive_list", "meetings.Directive"),
            (_("Locality requests"), "meetings:localityrequest_list", "meetings.LocalityRequest"),
            (_("Deadline calendar"), "meetings:deadline_calendar", "meetings.Directive"),
            (_("Leaders' work calendar"), "meetings:work_calendar", "meetings.WorkingSession"),
        ],
    ),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": []}
    sections = []
    for section_label, items in NAVIGATION:
        links = []
        for label, url_name, model_label in items:
            if not permissions.has_perm(user, permissions.VIEW, apps.get_model(model_label)):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a domain whose pages are not installed in this deployment
                continue
            links.append({"label": label, "url": url, "active": request.path.startswith(url)})
        if links:
            sections.append(
                {"label": section_label, "items": links, "active": any(i["active"] for i in links)}
            )
    return {"nav_sections": sections}
