"""Initiatives (sáng kiến, NĐ 13/2012/NĐ-CP): applications with their authors, the initiatives council's
yearly round (Hội đồng xét sáng kiến) whose members score them, and the recognition decision with the
initiative's scope of effect and reward. The moves between states are in `services.py`."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from stims.core.models import AuditedModel, SearchableModel


class CouncilRound(SearchableModel, AuditedModel):
    """One year's sitting of an initiatives council: the province's or a locality's."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="initiative_rounds",
        help_text=_("The province or locality whose council it is."),
    )
    convened_by = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("convened by"),
        on_delete=models.PROTECT,
        related_name="initiative_rounds",
    )
    decision_number = models.CharField(_("decision establishing the council"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("The average score out of 100 an initiative needs to be recognised."),
    )

    search_fields = ("name",)
    scope_unit_path = "admin_unit"
    scope_organization_path = "convened_by"

    class Meta:
        verbose_name = _("initiatives council round")
        verbose_name_plural = _("initiatives council rounds")
        ordering = ["-year", "search_name"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class RoundMember(AuditedModel):
    round = models.ForeignKey(
        CouncilRound, verbose_name=_("council round"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    role = models.CharField(_("role in the council"), max_length=10, choices=MemberRole.choices)
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiative_memberships",
        help_text=_("The member's account, with which they enter their own score sheets."),
    )

    scope_unit_path = "round__admin_unit"
    scope_organization_path = "round__convened_by"

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return self.name


class InitiativeState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SCORED = "scored", _("Scored")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


class EffectScope(models.TextChoices):
    UNIT = "unit", _("The agency or unit (cơ sở)")
    LOCALITY = "locality", _("The locality")
    PROVINCE = "province", _("The province")


class Initiative(SearchableModel, AuditedModel):
    title = models.CharField(_("title"), max_length=500)
    agency = models.ForeignKey(
        "orgs.Organization", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="initiatives"
    )
    field = models.CharField(_("field"), max_length=150)
    submitted_on = models.DateField(_("submitted on"))
    first_applied_on = models.DateField(_("first applied on"), null=True, blank=True)
    description = models.TextField(_("description"))
    benefits = models.TextField(_("benefits"))
    round = models.ForeignKey(
        CouncilRound,
        verbose_name=_("council round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=InitiativeState.choices,
        default=InitiativeState.SUBMITTED,
        editable=False,
    )
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True, editable=False)
    decision_date = models.DateField(_("decision date"), null=True, blank=True, editable=False)
    effect_scope = models.CharField(
        _("scope of effect"), max_length=10, choices=EffectScope.choices, blank=True, editable=False
    )
    reward = models.BigIntegerField(_("reward (VND)"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("reason or note of the decision"), blank=True, editable=False)

    search_fields = ("title", "agency.name", "field")
    search_name_field = "title"
    scope_unit_path = "agency__admin_unit"
    scope_organization_path = "agency"

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-submitted_on", "pk"]
        # The list's order: its first page read from the index, not sorted out of every initiative
        # (40 ms → 0.5 ms for the page's keys at 100,000 initiatives, issue #20).
        indexes = [models.Index(fields=["-submitted_on", "id"], name="initiatives_submitted")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if (
            self.pk
            and Initiative.objects.filter(pk=self.pk).exclude(state=InitiativeState.SUBMITTED).exists()
        ):
            raise ValidationError(
                _("The application can be changed only until it is put before the council.")
            )
        if self.first_applied_on and self.submitted_on and self.first_applied_on > self.submitted_on:
            raise ValidationError(
                {"first_applied_on": _("An initiative cannot be first applied after it was submitted.")}
            )


class InitiativeAuthor(AuditedModel):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="authors"
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position and workplace"), max_length=255, blank=True)
    contribution = models.PositiveSmallIntegerField(
        _("share of contribution (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    scope_unit_path = "initiative__agency__admin_unit"
    scope_organization_path = "initiative__agency"

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["initiative", "-contribution", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.contribution} %)"

    def clean(self):
        super().clean()
        if self.initiative_id and self.initiative.state != InitiativeState.SUBMITTED:
            raise ValidationError(
                _("The application can be changed only until it is put before the council.")
            )


# The simple score sheet: three criteria and their maximum scores (out of 100 together).
CRITERIA = (("novelty", 30), ("applicability", 30), ("benefit", 40))


class ScoreSheet(AuditedModel):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.PROTECT, related_name="sheets"
    )
    member = models.ForeignKey(
        RoundMember, verbose_name=_("council member"), on_delete=models.PROTECT, related_name="sheets"
    )
    novelty = models.PositiveSmallIntegerField(_("novelty (out of 30)"), validators=[MaxValueValidator(30)])
    applicability = models.PositiveSmallIntegerField(
        _("applicability (out of 30)"), validators=[MaxValueValidator(30)]
    )
    benefit = models.PositiveSmallIntegerField(_("benefit (out of 40)"), validators=[MaxValueValidator(40)])
    comment = models.TextField(_("comment"), blank=True)

    scope_unit_path = "initiative__agency__admin_unit"
    scope_organization_path = "initiative__agency"

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["initiative", "member"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="initiatives_one_sheet_a_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.total}"

    @property
    def total(self) -> int:
        return self.novelty + self.applicability + self.benefit
