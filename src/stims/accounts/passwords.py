"""Password reset by e-mail: who may ask how often, and the mail an administrator sends for one user.

Django's views send the mail and check the link (`auth_views.PasswordReset*View`); STIMS adds a limit per
client address and per address typed, counted in the shared cache whether or not the address belongs to
anyone (so neither the answer nor the limit tells who has an account), and lifts a login lockout
(django-axes) once the password is set anew.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.txt"
WINDOW_SECONDS = 3600


def email_context() -> dict:
    """What the reset mail needs besides the user: the site's own address (STIMS_BASE_URL), never the
    request's Host header, which a visitor chooses."""
    return {"base_url": settings.STIMS_BASE_URL.rstrip("/")}


def _count(key: str) -> int:
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def over_limit(address: str, email: str) -> bool:
    """Counts one request from `address` for `email`; True once either is past its hourly limit."""
    typed = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    by_address = _count(f"stims:password-reset:address:{address}")
    by_email = _count(f"stims:password-reset:email:{typed}")
    return (
        by_address > settings.STIMS_PASSWORD_RESET_PER_ADDRESS
        or by_email > settings.STIMS_PASSWORD_RESET_PER_EMAIL
    )


def send_reset_mail(user, *, sent_by=None) -> None:
    """The reset mail for exactly `user` (the administrator's "send a reset link"), whatever other
    accounts share its address."""
    context = {
        **email_context(),
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    PasswordResetForm().send_mail(
        SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, settings.DEFAULT_FROM_EMAIL, user.email
    )
    logger.info("Password reset mail for %s sent by %s", user.username, sent_by or "the user")
