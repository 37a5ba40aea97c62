"""Per-token (or, without one, per-address) limits, counted in the shared cache.

A fixed window: the first call of a minute starts a counter that every web
process increments (atomic on Redis; on the database cache, close enough for a
limit). Every answer says where the caller stands (`RateLimit-Limit`,
`RateLimit-Remaining`, `RateLimit-Reset`, as in the IETF draft); a refused one
says when to come back (`Retry-After`).
"""

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from echohub.accounts.security import client_ip
from echohub.api.auth import token_of

WINDOW = 60  # seconds


class TokenRateLimit(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is not None:
            who, limit = f"t{token.pk}", settings.API_TOKEN_RATE_LIMIT
        else:
            # The address the login limits use (TRUSTED_PROXY_COUNT), never DRF's own
            # reading of X-Forwarded-For, which any caller can write.
            who, limit = f"a{client_ip(request._request)}", settings.API_ANONYMOUS_RATE_LIMIT
        now = time.time()
        window = int(now // WINDOW)
        key = f"api-rate:{who}:{window}"
        try:
            used = cache.incr(key)
        except ValueError:  # the minute's first call (or two first calls at once)
            used = 1 if cache.add(key, 1, timeout=WINDOW + 5) else cache.incr(key)
        self.reset = max(1, int((window + 1) * WINDOW - now))
        request._request.ratelimit = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - used)),
            "RateLimit-Reset": str(self.reset),
        }
        return used <= limit

    def wait(self) -> float:
        return float(self.reset)
