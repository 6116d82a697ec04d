"""Users, their roles and the units or organizations each role is limited to."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stims.core.models import AuditedModel


class Role(models.TextChoices):
    LEADER = "leader", _("Department leader")
    SPECIALIST = "specialist", _("Division specialist")
    INSPECTOR = "inspector", _("Inspector")
    LOCAL_OFFICER = "local_officer", _("Local (commune/district) officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    VIEWER = "viewer", _("Read-only viewer")


# Roles that only make sense inside one locality.
UNIT_BOUND_ROLES = {Role.LOCAL_OFFICER}


class User(AbstractUser):
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(AuditedModel):
    """A role given to a user, limited to an administrative unit and/or an organization (or neither:
    the whole deployment)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("limited to unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("limited to organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]

    def __str__(self) -> str:
        scope = self.admin_unit or self.organization
        return f"{self.get_role_display()} — {scope}" if scope else self.get_role_display()

    def clean(self):
        if self.role in UNIT_BOUND_ROLES and not self.admin_unit_id:
            raise ValidationError(
                {"admin_unit": _("A local officer must be limited to an administrative unit.")}
            )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})


def department_staff():
    """The department's staff: active users holding, today, a deployment-wide leader or specialist role
    (no unit, no organization). Only they are a task's officer in charge or a directive's assigner."""
    from .rules import DEPARTMENT_ROLES

    holders = RoleAssignment.objects.active().filter(
        role__in=DEPARTMENT_ROLES, admin_unit__isnull=True, organization__isnull=True
    )
    return User.objects.filter(is_active=True, pk__in=holders.values("user")).order_by("username")


class Notification(models.Model):
    """An in-app message to one user (a deadline coming or passed, a step waiting for them).

    `key` makes a reminder idempotent: the reminder job may run many times a day, a user hears about
    one deadline once.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("key"), max_length=200)
    message = models.CharField(_("message"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("sent by email"), default=False)
    # E-mail delivery (stims.accounts.mail): whether this notification goes out by e-mail, how often the
    # mail server refused it, why last, and when the next try is due. A mail still unsent after
    # MAX_ATTEMPTS is listed on the administrator's "E-mails not sent" page.
    email_wanted = models.BooleanField(_("to be sent by email"), default=False)
    email_attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    email_error = models.CharField(_("last sending error"), max_length=300, blank=True)
    email_next_try = models.DateTimeField(_("next sending attempt"), null=True, blank=True)
    # False when the user turned this kind of notification off in the app but kept its e-mail: the row
    # still records that the user was told (so they are not told twice), but the bell and list skip it.
    shown = models.BooleanField(_("shown in the app"), default=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="accounts_notification_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notification_unread")]

    def __str__(self) -> str:
        return self.message


class NotificationSetting(models.Model):
    """A user's choice for one kind of notification (`stims.accounts.notify.KINDS`): in the app, by
    e-mail, both or neither. A kind with no row is on both ways."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("kind of notification"), max_length=60)
    in_app = models.BooleanField(_("in the app"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="accounts_notification_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class ApiTokenStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that authenticate today: not revoked and not past their expiry."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A key for the REST API (`Authorization: Token <key>`), acting as its user with the user's roles.

    Only a SHA-256 digest of the key is stored: the key itself is shown once, when it is created. Keys
    are 256 random bits, so a fast digest is enough (a slow password hash would only slow every call).
    A service account is an ordinary user whose role assignment limits it to a role and a unit.
    """

    PREFIX_LENGTH = 8
    # Expiry offered when a token is created, in days; a key that never expires is a superuser's choice.
    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. the system that uses it.")
    )
    # The key's first characters, kept in clear so that a user can tell their tokens apart and a lookup
    # needs no scan; the rest of the key is only in `key_digest`.
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return ApiTokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return ApiTokenStatus.EXPIRED
        return ApiTokenStatus.ACTIVE

    def get_status_display(self) -> str:
        return ApiTokenStatus(self.status).label

    @staticmethod
    def digest(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def expiry_after(days: int | None):
        """The expiry of a token created now and valid for `days` days (None: it never expires)."""
        return None if days is None else timezone.now() + timedelta(days=days)

    @classmethod
    def issue(cls, user, *, name: str, expires_at=None, created_by=None) -> tuple["ApiToken", str]:
        """A new token and its key; the key is not stored and cannot be shown again."""
        import secrets

        key = secrets.token_urlsafe(32)
        while key.startswith("-"):  # a key or prefix beginning "-" reads as an option on a command line
            key = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=key[: cls.PREFIX_LENGTH],
            key_digest=cls.digest(key),
            expires_at=expires_at,
            created_by=created_by,
        )
        return token, key

    def revoke(self, by=None) -> bool:
        """Revoke the token; False when it was already revoked (then the first revocation stands)."""
        if self.revoked_at is not None:
            return False
        now = timezone.now()
        # A conditional update, so that of two concurrent revocations the first one's author is kept.
        if not ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        ):
            self.refresh_from_db(fields=["revoked_at", "revoked_by"])
            return False
        self.revoked_at, self.revoked_by = now, by
        return True
