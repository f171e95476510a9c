"""Rate limits per token (`API_RATE_LIMIT`, e.g. "600/minute"), counted in the Django cache."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        # The hash, not the id: ids come back after a database is reset, counts must not.
        return self.cache_format % {"scope": self.scope, "ident": token.key_hash[:40]}
