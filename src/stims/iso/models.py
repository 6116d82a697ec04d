"""Each state agency's quality management system under TCVN ISO 9001:2015, year by year: the scope it
covers, the announcement of conformity (công bố hệ thống quản lý phù hợp), internal audits and
management reviews, and the department's checks (kiểm tra) with their findings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class IsoStatus(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet applied")
    APPLYING = "applying", _("Built and applying")
    ANNOUNCED = "announced", _("Conformity announced")
    MAINTAINED = "maintained", _("Maintained and improved")


# Statuses that count as applying the system (built and applied, or further along).
APPLYING_STATUSES = (IsoStatus.APPLYING, IsoStatus.ANNOUNCED, IsoStatus.MAINTAINED)
# Statuses that count as compliant: conformity announced, and kept up since.
COMPLIANT_STATUSES = (IsoStatus.ANNOUNCED, IsoStatus.MAINTAINED)


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial departments and agencies")
    DISTRICT = "district", _("District People's Committees (before 2025)")
    COMMUNE = "commune", _("Commune People's Committees")


# The state agencies that keep an ISO 9001 system (QĐ 19/2014/QĐ-TTg): the province's departments and
# agencies and the People's Committees.
AGENCY_KINDS = ("department", "provincial_agency", "peoples_committee")


def level_of(agency) -> str:
    """The level of government an agency belongs to, from the level of its unit."""
    return {"province": AgencyLevel.PROVINCE, "district": AgencyLevel.DISTRICT}.get(
        agency.admin_unit.level, AgencyLevel.COMMUNE
    )


class IsoRecord(SearchableModel, AuditedModel):
    agency = models.ForeignKey(
        "orgs.Organization", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="iso_records"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(
        _("level of government"), max_length=10, choices=AgencyLevel.choices, editable=False
    )
    status = models.CharField(_("ISO 9001 status"), max_length=12, choices=IsoStatus.choices)
    scope = models.TextField(
        _("scope of the system"), help_text=_("The administrative procedures and activities it covers.")
    )
    announcement_number = models.CharField(_("announcement number"), max_length=50, blank=True)
    announcement_date = models.DateField(_("announcement date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("agency.name", "announcement_number")
    search_name_field = "agency.name"
    scope_unit_path = "agency__admin_unit"
    scope_organization_path = "agency"

    class Meta:
        verbose_name = _("ISO 9001 record")
        verbose_name_plural = _("ISO 9001 records")
        ordering = ["-year", "search_name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="iso_one_record_a_year")]
        indexes = [
            # The list's own order, so a page's keys are read in index order instead of sorting every row
            # (issue #20: 6 ms a page without it at national scale).
            models.Index(fields=["-year", "search_name", "id"], name="iso_record_list_order"),
        ]

    label_select_related = ("agency",)

    def __str__(self) -> str:
        return f"{self.agency} — {self.year}"

    def save(self, *args, **kwargs):
        if not self.level and self.agency_id:
            self.level = level_of(self.agency)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.agency_id:
            if self.agency.kind not in AGENCY_KINDS:
                raise ValidationError(
                    {"agency": _("Choose a state agency: a department or a People's Committee.")}
                )
            self.level = level_of(self.agency)
        if self.status in COMPLIANT_STATUSES and not (self.announcement_number and self.announcement_date):
            raise ValidationError(
                {"announcement_number": _("An announced system needs the announcement's number and date.")}
            )
        if self.announcement_date and self.year and self.announcement_date.year > self.year:
            raise ValidationError(
                {"announcement_date": _("The announcement cannot be dated after the year of the record.")}
            )


class ActivityKind(models.TextChoices):
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    MANAGEMENT_REVIEW = "management_review", _("Management review")


class IsoActivity(AuditedModel):
    """An internal audit or a management review the agency held during the year."""

    record = models.ForeignKey(
        IsoRecord, verbose_name=_("ISO 9001 record"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    nonconformities = models.PositiveSmallIntegerField(_("nonconformities found"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    scope_unit_path = "record__agency__admin_unit"
    scope_organization_path = "record__agency"

    class Meta:
        verbose_name = _("audit or review")
        verbose_name_plural = _("audits and reviews")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.date and self.record_id and self.date.year != self.record.year:
            raise ValidationError(
                {
                    "date": _("The date must fall in the record's year (%(year)s).")
                    % {"year": self.record.year}
                }
            )


class CheckResult(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    MINOR = "minor", _("Minor findings")
    MAJOR = "major", _("Major findings: not conforming")


class IsoCheck(AuditedModel):
    """A check of the agency's system by the department's ISO team (kiểm tra việc áp dụng, duy trì)."""

    record = models.ForeignKey(
        IsoRecord, verbose_name=_("ISO 9001 record"), on_delete=models.PROTECT, related_name="checks"
    )
    date = models.DateField(_("date of the check"))
    team = models.CharField(_("checking team"), max_length=255)
    result = models.CharField(_("result"), max_length=12, choices=CheckResult.choices)
    findings = models.TextField(_("findings"), blank=True)
    remedies = models.TextField(_("remedies asked for"), blank=True)
    remedy_deadline = models.DateField(_("remedy deadline"), null=True, blank=True)

    scope_unit_path = "record__agency__admin_unit"
    scope_organization_path = "record__agency"

    class Meta:
        verbose_name = _("ISO 9001 check")
        verbose_name_plural = _("ISO 9001 checks")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.record.agency} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.result in (CheckResult.MINOR, CheckResult.MAJOR) and not self.findings.strip():
            raise ValidationError({"findings": _("Write down the findings of a check that found any.")})
        if self.remedy_deadline and self.date and self.remedy_deadline < self.date:
            raise ValidationError({"remedy_deadline": _("The remedy deadline cannot be before the check.")})
