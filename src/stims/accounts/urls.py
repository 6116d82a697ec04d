from django.contrib.auth import views as auth_views
from django.urls import include, path

from stims.core.views import model_urls

from . import notification_views, views
from .models import RoleAssignment, User

account_patterns = [
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("notifications/", notification_views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/badge/", notification_views.NotificationBadgeView.as_view(), name="notification_badge"
    ),
    path(
        "notifications/<int:pk>/", notification_views.OpenNotificationView.as_view(), name="notification_open"
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.MarkNotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "me/notifications/",
        notification_views.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path("me/tokens/", views.ApiTokenListView.as_view(), name="api_tokens"),
    path("me/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    path(
        "notifications/read/",
        notification_views.MarkNotificationsReadView.as_view(),
        name="notifications_read",
    ),
    # User management by the department's administrator (accounts.rules.MANAGE_USERS).
    path("emails/failed/", views.FailedEmailListView.as_view(), name="failed_emails"),
    *model_urls(User, "users"),
    *model_urls(RoleAssignment, "roles"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset by e-mail ("Quên mật khẩu?"); Django's views under Django's URL names.
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetLinkView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include((account_patterns, "accounts"))),
]
