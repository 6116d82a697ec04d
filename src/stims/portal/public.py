"""What the public may see of the domains: for each catalogue, the rows (`rows()`) and the fields
(`fields`), nothing else. Every portal page and open-data download reads through here, so a field not
named here (budgets, contacts, internal notes, people's details) cannot reach the portal, and a row
outside `rows()` (an unpublished task and its results, a revoked certificate, an IP application not
yet granted) has no page (404).

    tasks        S&T tasks the department marked "published on the portal"
    results      registered results of published tasks, available for application and transfer
    products     OCOP products with their latest star rating, by star and locality
    ip           IP assets whose status means protected (marks, collective and certification marks,
                 geographical indications…)
    enterprises  S&T enterprises whose certificate is in force
    calls        calls for task proposals the department publishes, open today or opening later
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from stims.enterprises.models import StEnterprise
from stims.ip.models import IpAsset
from stims.products.models import OcopEvaluation, Product
from stims.results.models import TaskResult
from stims.sttasks.models import Call, Task


def _date(value):
    return date_format(value, "d/m/Y") if value else ""


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    get: Any  # row -> value (text)


@dataclass(frozen=True)
class Catalogue:
    key: str
    title: Any
    description: Any
    model: Any
    fields: tuple[Field, ...]

    def rows(self):
        return ROWS[self.key]()

    def record(self, row) -> dict:
        return {field.name: field.get(row) for field in self.fields}


def published_tasks():
    return Task.objects.filter(is_published=True).select_related(
        "field", "lead_organization", "ordering_unit", "state", "task_type"
    )


def public_results():
    return (
        TaskResult.objects.filter(task__is_published=True)
        .exclude(certificate_number="")
        .select_related("task", "task__lead_organization")
        .order_by("-certificate_date", "pk")
    )


def ocop_products():
    latest = OcopEvaluation.objects.filter(product=OuterRef("pk"), stars__isnull=False).order_by("-year")
    return (
        Product.objects.filter(is_ocop=True)
        .annotate(
            stars=Subquery(latest.values("stars")[:1]),
            star_year=Subquery(latest.values("year")[:1]),
        )
        .filter(stars__isnull=False)
        .select_related("group", "producer", "admin_unit", "admin_unit__parent")
        .order_by("-stars", "search_name")
    )


def protected_ip():
    return (
        IpAsset.objects.filter(status__is_protected=True)
        .select_related("ip_type", "status", "owner", "admin_unit")
        .order_by("ip_type__sort_order", "search_name")
    )


def st_enterprises():
    return (
        StEnterprise.objects.filter(revoked_on__isnull=True)
        .select_related("organization", "organization__admin_unit")
        .order_by("search_name")
    )


def open_calls():
    """Published calls still taking proposals today, or opening later (a closed call leaves the portal)."""
    return (
        Call.objects.filter(publish_on_portal=True, open_until__gte=timezone.localdate())
        .select_related("task_type", "programme")
        .order_by("open_until", "pk")
    )


ROWS = {
    "tasks": published_tasks,
    "results": public_results,
    "products": ocop_products,
    "ip": protected_ip,
    "enterprises": st_enterprises,
    "calls": open_calls,
}

CATALOGUES = {
    catalogue.key: catalogue
    for catalogue in (
        Catalogue(
            "tasks",
            _("S&T tasks"),
            _("Provincial S&T tasks the department publishes: name, field, lead organization, period."),
            Task,
            (
                Field("code", _("code"), lambda t: t.code or ""),
                Field("title", _("name of the task"), lambda t: t.title),
                Field("field", _("field"), lambda t: str(t.field or "")),
                Field("lead_organization", _("lead organization"), lambda t: str(t.lead_organization or "")),
                Field("ordering_unit", _("ordering locality"), lambda t: str(t.ordering_unit or "")),
                Field("proposal_year", _("plan year"), lambda t: t.proposal_year),
                Field("start_date", _("start date"), lambda t: _date(t.start_date)),
                Field("end_date", _("end date"), lambda t: _date(t.end_date)),
                Field("objectives", _("objectives"), lambda t: t.objectives),
            ),
        ),
        Catalogue(
            "results",
            _("Results available for application and transfer"),
            _("Registered results of S&T tasks, which enterprises and localities may apply or take over."),
            TaskResult,
            (
                Field("name", _("name"), lambda r: r.name),
                Field("kind", _("kind"), lambda r: str(r.get_kind_display())),
                Field("description", _("description"), lambda r: r.description),
                Field("task", _("task"), lambda r: r.task.title),
                Field(
                    "lead_organization", _("lead organization"), lambda r: str(r.task.lead_organization or "")
                ),
                Field(
                    "certificate_number", _("registration certificate number"), lambda r: r.certificate_number
                ),
                Field("certificate_date", _("registration date"), lambda r: _date(r.certificate_date)),
            ),
        ),
        Catalogue(
            "products",
            _("OCOP products"),
            _("Products rated under the OCOP programme, with their stars and locality."),
            Product,
            (
                Field("name", _("name"), lambda p: p.name),
                Field("group", _("product group"), lambda p: str(p.group)),
                Field("stars", _("stars"), lambda p: p.stars),
                Field("star_year", _("year rated"), lambda p: p.star_year),
                Field("producer", _("producer"), lambda p: p.producer_label),
                Field("admin_unit", _("locality"), lambda p: str(p.admin_unit)),
            ),
        ),
        Catalogue(
            "ip",
            _("Protected intellectual property"),
            _(
                "Marks, collective and certification marks, geographical indications and other protected assets."
            ),
            IpAsset,
            (
                Field("name", _("name or sign"), lambda a: a.name),
                Field("type", _("type"), lambda a: str(a.ip_type)),
                Field("owner", _("owner"), lambda a: a.owner_label),
                Field("admin_unit", _("locality"), lambda a: str(a.admin_unit)),
                Field("title_number", _("protection title number"), lambda a: a.title_number),
                Field("grant_date", _("grant date"), lambda a: _date(a.grant_date)),
                Field("expiry_date", _("expiry date"), lambda a: _date(a.expiry_date)),
                Field("nice_classes", _("Nice classes"), lambda a: a.nice_classes),
                Field("product_scope", _("goods and services"), lambda a: a.product_scope),
            ),
        ),
        Catalogue(
            "enterprises",
            _("S&T enterprises"),
            _("Enterprises certified as science and technology enterprises, with the result they rest on."),
            StEnterprise,
            (
                Field("name", _("enterprise"), lambda e: e.organization.name),
                Field("locality", _("locality"), lambda e: str(e.organization.admin_unit or "")),
                Field("certificate_number", _("certificate number"), lambda e: e.certificate_number),
                Field("certificate_date", _("certificate date"), lambda e: _date(e.certificate_date)),
                Field("field", _("field"), lambda e: e.field),
                Field("st_result", _("S&T result it rests on"), lambda e: e.st_result),
            ),
        ),
        Catalogue(
            "calls",
            _("Open calls for task proposals"),
            _(
                "The department's calls for S&T task proposals (thông báo đặt hàng, kêu gọi đề xuất) open "
                "today or opening soon: what they concern and until when proposals are taken."
            ),
            Call,
            (
                Field("title", _("title of the call"), lambda c: c.title),
                Field("number", _("notice number"), lambda c: c.number),
                Field("open_from", _("proposals taken from"), lambda c: _date(c.open_from)),
                Field("open_until", _("proposals taken until"), lambda c: _date(c.open_until)),
                Field("issued_on", _("issued on"), lambda c: _date(c.issued_on)),
                Field("level", _("level"), lambda c: str(c.get_level_display()) if c.level else ""),
                Field("task_type", _("type"), lambda c: str(c.task_type or "")),
                Field("programme", _("programme"), lambda c: str(c.programme or "")),
                Field("topics", _("fields and topics"), lambda c: c.topics),
                Field("description", _("description"), lambda c: c.description),
                Field("contact", _("contact"), lambda c: c.contact),
            ),
        ),
    )
}

LICENCE = _(
    "Open data of the Department of Science and Technology, published under the Creative Commons "
    "Attribution 4.0 International licence (CC BY 4.0): you may copy, share and reuse it, also "
    "commercially, naming the Department as its source."
)
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
