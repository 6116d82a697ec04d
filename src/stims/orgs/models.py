"""Organizations, people, the positions people hold over time, and local S&T bodies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stims.core.models import AuditedModel, SearchableModel


class OrganizationKind(models.TextChoices):
    DEPARTMENT = "department", _("Department of Science and Technology")
    DIVISION = "division", _("Division of the department")
    CENTRE = "centre", _("Affiliated centre or unit")
    PROVINCIAL_AGENCY = "provincial_agency", _("Other provincial department or agency")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    ENTERPRISE = "enterprise", _("Enterprise")
    COOPERATIVE = "cooperative", _("Cooperative")
    INSTITUTE = "institute", _("Research institute")
    UNIVERSITY = "university", _("University or college")
    ASSOCIATION = "association", _("Association")
    MINISTRY = "ministry", _("Ministry or central agency")
    OTHER = "other", _("Other")


class Organization(SearchableModel, AuditedModel):
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("Where the organization is based; a pre-2025 unit for records of that time."),
    )
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "short_name", "tax_code", "admin_unit.name")
    scope_unit_path = "admin_unit"
    scope_organization_path = "pk"

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["search_name"]  # folded: "Đạp Thanh" sorts with the D's
        indexes = [
            # The organization list filters by kind within a unit.
            models.Index(fields=["admin_unit", "kind"], name="orgs_org_unit_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An organization cannot be placed under itself.")})
            ancestor = ancestor.parent


class Person(SearchableModel, AuditedModel):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")
        OTHER = "other", _("Other")

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    academic_title = models.CharField(_("academic title"), max_length=50, blank=True, help_text=_("GS, PGS…"))
    degree = models.CharField(_("degree"), max_length=50, blank=True, help_text=_("TS, ThS, KS, CN…"))
    expertise = models.CharField(_("field of expertise"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("The locality the person works in; it decides which local officers see the record."),
    )
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("full_name", "expertise", "email")
    search_name_field = "full_name"
    scope_unit_path = "admin_unit"
    scope_organization_path = "positions__organization"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["search_name"]  # folded: "Đỗ" sorts with the D's

    def __str__(self) -> str:
        return self.full_name

    def positions_on(self, day=None):
        day = day or timezone.localdate()
        return [p for p in self.positions.all() if p.is_held_on(day)]


class Position(AuditedModel):
    """A post a person held in an organization, from one date to another (open-ended if current)."""

    # PROTECT, not CASCADE: deleting a person must not silently take their career with them; the
    # delete page names the positions to remove first (each then restorable from its own history).
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(
        pgettext_lazy("position held", "title"),
        max_length=200,
        help_text=_("E.g. “Giám đốc Sở”, “Phó Chủ tịch UBND huyện”."),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary position"), default=True)

    scope_unit_path = "organization__admin_unit"
    scope_organization_path = "organization"

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-is_primary", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="orgs_position_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organization}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def is_held_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )


class LocalBodyKind(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee for S&T development")
    ADVISORY_COUNCIL = "advisory_council", _("S&T advisory council")
    INITIATIVES_COUNCIL = "initiatives_council", _("Initiatives council")
    ASSIGNMENT = "assignment", _("Assigned leader and officer in charge of S&T")


class LocalBody(SearchableModel, AuditedModel):
    """A local S&T body of an administrative unit (old or new), set up by a decision."""

    kind = models.CharField(_("kind"), max_length=30, choices=LocalBodyKind.choices)
    name = models.CharField(_("name"), max_length=255)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="local_bodies",
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies_established",
    )
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "decision_number", "admin_unit.name")
    scope_unit_path = "admin_unit"

    class Meta:
        verbose_name = _("local S&T body")
        verbose_name_plural = _("local S&T bodies")
        ordering = ["admin_unit__name", "kind"]

    def __str__(self) -> str:
        return self.name

    @property
    def decision_label(self) -> str:
        if not self.decision_number:
            return ""
        if self.decision_date:
            return f"{self.decision_number} ({self.decision_date:%d/%m/%Y})"
        return self.decision_number


class MemberRole(models.TextChoices):
    HEAD = "head", _("Head / chair")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")
    LEADER_IN_CHARGE = "leader_in_charge", _("Leader in charge")
    OFFICER_IN_CHARGE = "officer_in_charge", _("Officer in charge")


class LocalBodyMember(AuditedModel):
    body = models.ForeignKey(
        LocalBody, verbose_name=_("body"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="body_memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=MemberRole.choices, default=MemberRole.MEMBER)
    position_text = models.CharField(
        _("position at the time"), max_length=200, blank=True, help_text=_("As written in the decision.")
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    scope_unit_path = "body__admin_unit"

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "person__full_name"]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
