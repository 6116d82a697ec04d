"""What create_token and revoke_token share: finding the users named on the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(username: str, *, active: bool = True):
    User = get_user_model()
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"No user named {username!r}.") from None
    if active and not user.is_active:
        raise CommandError(f"User {username!r} is inactive: a token of an inactive user would be refused.")
    return user
