"""Login lockout: django-axes' database handler, plus a ceiling per client address.

Axes locks a username from one address after STIMS_LOGIN_FAILURE_LIMIT failures. On its own that lets
one address try a few passwords against every username in turn; so an address is also locked, for
every username, once its failures across all usernames within the cool-off period reach
STIMS_LOGIN_ADDRESS_LIMIT (higher, since a department's staff often share one office address).
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class AddressCeilingHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The username's failures from this address, or the lockout limit itself once the address has
        reached its ceiling: axes then refuses, and answers with the lockout page, as for one username."""
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.STIMS_LOGIN_ADDRESS_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request) -> int:
        """Failed logins from the request's client address, over every username, still in force."""
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        cool_off = get_cool_off(request)
        if cool_off is not None:
            attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
