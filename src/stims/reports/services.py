"""Making a report: the figures from the one query layer (`figures.compute`), then the file.

    report = request_report(user, kind="5m", period_text="2023", unit=unit, fmt="docx", summary=None)
    generate(report.pk)    # what the background task runs; progress in report.progress

Used alike by the page (through the background task), the API and `stims report`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from stims.core import permissions

from . import documents, periods, statforms
from .figures import ReportData, compute
from .models import Format, Report, Status

REPORT_LANGUAGE = "vi"  # an administrative document of a Vietnamese department
EXTENSIONS = {Format.DOCX: "docx", Format.XLSX: "xlsx", Format.PDF: "pdf", Format.FORMS: "xlsx"}


def may_report_on(user, unit) -> bool:
    """A user reports on the units they may attach a report to (a local officer: their own units)."""
    return permissions.assignable_units(user, Report, permissions.ADD).filter(pk=unit.pk).exists()


def default_unit(user):
    """The unit a user's figures are about when none is asked for: the home province, or for a user who
    may not report on it (a local officer) their own unit; None when they may report on neither. Used
    by the figures API and the home page."""
    from stims.geo.services import home_province

    unit = home_province()
    if unit is not None and not may_report_on(user, unit):
        assigned = permissions.active_assignments(user)
        unit = next((a.admin_unit for a in assigned if a.admin_unit_id), None)
    if unit is None or not may_report_on(user, unit):
        return None
    return unit


def sees_everywhere(user) -> bool:
    """A deployment-wide reader of reports (a superuser, a leader, a viewer without a unit)."""
    if user.is_superuser:
        return True
    label = permissions.label_of(Report)
    return any(
        a.admin_unit_id is None
        and a.organization_id is None
        and permissions.VIEW in permissions.actions_for(a.role, label)
        for a in permissions.active_assignments(user)
    )


def figures_unit(user, raw: str | None):
    """The unit whose figures a user reads, on the leaders' dashboard and from the figures API alike.

    Asked for (`raw`, a unit id): the unit, when the user reads reports everywhere or may report on it
    (a local officer: their own units); otherwise, or when there is no such unit, `Http404`. Not asked
    for: the home province for a deployment-wide reader, else `default_unit` (None when there is none).
    """
    from django.http import Http404

    from stims.geo.models import AdminUnit
    from stims.geo.services import home_province

    raw = (raw or "").strip()
    if raw:
        unit = (
            AdminUnit.objects.filter(pk=int(raw)).select_related("province").first()
            if raw.isdigit()
            else None
        )
        if unit is None or not (sees_everywhere(user) or may_report_on(user, unit)):
            raise Http404
        return unit
    province = home_province()
    if province is not None and sees_everywhere(user):
        return province
    return default_unit(user)


def request_report(user, *, kind, period_text, unit, fmt=Format.DOCX, summary=None, number="") -> Report:
    period = periods.parse(kind, period_text)
    if not may_report_on(user, unit):
        raise PermissionDenied
    return Report.objects.create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        admin_unit=unit,
        format=fmt,
        number=number,
        summary=summary or "",
        parameters={"kind": kind, "period": period.text, "unit": unit.pk, "format": fmt},
        requested_by=user,
    )


def period_of(report: Report) -> periods.Period:
    return periods.Period(report.kind, report.period_start, report.period_end)


def render(data: ReportData, fmt: str, summary: str, number: str = "", template_path=None) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        return _render(data, fmt, summary, number, template_path)


def _render(data: ReportData, fmt: str, summary: str, number: str = "", template_path=None) -> bytes:
    if fmt == Format.XLSX:
        return documents.render_xlsx(data)
    if fmt == Format.FORMS:
        return statforms.render_forms(data)
    docx = documents.render_docx(data, summary, documents.Letterhead(number=number), template_path)
    return documents.render_pdf(docx) if fmt == Format.PDF else docx


def generate(report_id: int) -> Report:
    """Makes the report's file; the documents are in Vietnamese whatever the asking page's language."""
    with translation.override(REPORT_LANGUAGE):
        return _generate(report_id)


def _generate(report_id: int) -> Report:
    report = Report.objects.select_related("admin_unit", "requested_by").get(pk=report_id)

    def step(progress: int, status=Status.RUNNING, **changes):
        report.progress, report.status = progress, status
        for key, value in changes.items():
            setattr(report, key, value)
        Report.objects.filter(pk=report.pk).update(
            progress=progress, status=status, **{k: getattr(report, k) for k in changes if k != "file"}
        )

    step(10)
    try:
        data = compute(report.admin_unit, period_of(report), report.requested_by)
        summary = report.summary or data.summary()
        version, template_path = documents.active_template()
        step(
            50, summary=summary, template_version=version, figures=data.figures(), figures_digest=data.digest
        )
        content = render(data, report.format, summary, report.number, template_path)
        step(90)
        name = f"bao-cao-{report.kind}-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.{EXTENSIONS[report.format]}"
        report.file.save(name, ContentFile(content), save=False)
        Report.objects.filter(pk=report.pk).update(file=report.file.name)
        step(100, Status.DONE)
    except documents.PdfUnavailable as exc:
        step(100, Status.FAILED, message=str(exc))
    except Exception:  # the page says so; the traceback goes to the log
        import logging

        logging.getLogger(__name__).exception("report %s failed", report.pk)
        step(100, Status.FAILED, message=_("The report could not be generated."))
    report.refresh_from_db()
    return report
