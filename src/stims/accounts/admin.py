from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, ApiTokenStatus, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("admin_unit", "organization")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("STIMS"), {"fields": ("person", "organization")}))
    raw_id_fields = ("person", "organization")
    inlines = [RoleAssignmentInline]


class ApiTokenStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ApiTokenStatus.choices

    def queryset(self, request, queryset):
        not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        if self.value() == ApiTokenStatus.ACTIVE:
            return queryset.usable()
        if self.value() == ApiTokenStatus.EXPIRED:
            return queryset.filter(revoked_at__isnull=True).exclude(not_expired)
        if self.value() == ApiTokenStatus.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created on the "API tokens" page or with `stims create_token`, where the key can be
    shown once; here they are listed, renamed and revoked. The digest is never shown or edited."""

    list_display = (
        "name",
        "user",
        "prefix",
        "status_label",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    list_filter = (ApiTokenStatusFilter, "created_at", "expires_at", "last_used_at")
    list_select_related = ("user", "created_by", "revoked_by")
    search_fields = ("name", "prefix", "user__username", "user__first_name", "user__last_name")
    fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = (
        "user",
        "prefix",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke"]
    date_hierarchy = "created_at"

    @admin.display(description=_("status"))
    def status_label(self, token):
        return token.get_status_display()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A revoked token stays as the record of who used and who revoked it.
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(token.revoke(by=request.user) for token in queryset.filter(revoked_at__isnull=True))
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked) % {"count": revoked},
            messages.SUCCESS,
        )
