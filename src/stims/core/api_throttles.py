"""DRF's rate limits (per user, per anonymous address), telling the client where it stands:
`X-RateLimit-Limit` and `X-RateLimit-Remaining` on every API answer (added by
`core.middleware.ApiHeadersMiddleware`), `Retry-After` on a 429 (DRF's own)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _Reporting:
    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if getattr(self, "rate", None) is None or getattr(self, "key", None) is None:
            return allowed  # this throttle does not apply (e.g. the anonymous one for a user)
        remaining = max(0, self.num_requests - len(self.history))
        request._request.stims_rate_limit = (self.num_requests, remaining)
        return allowed


class StimsUserRateThrottle(_Reporting, UserRateThrottle):
    pass


class StimsAnonRateThrottle(_Reporting, AnonRateThrottle):
    pass
