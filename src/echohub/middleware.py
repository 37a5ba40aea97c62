"""What every request and answer goes through: its time in the log, NUL characters
refused, private pages not stored, the Permissions-Policy.

No EchoHub address or query holds a NUL (U+0000), and PostgreSQL refuses it in
any text it is given, so a view that looked it up would answer 500. Refused
here, once, with 400, rather than in every view.
"""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control

from echohub import metrics

requests_log = logging.getLogger("echohub.requests")


class RequestTiming:
    """One log line per answer: method, the address's pattern, status, milliseconds, and
    whether the page cache answered; the same counted for Prometheus (echohub.metrics).

    The pattern ("sessions/<int:pk>/"), not the address: addresses hold tokens (a
    personal calendar feed's, an evaluation's) and queries what a reader searched for.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        took = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "-"
        cache = response.get("X-Page-Cache", "-")
        method = request.method or "-"
        requests_log.info(
            "%s %s %s %.1fms cache=%s", method, route, response.status_code, took * 1000, cache
        )
        metrics.observe(method, route, response.status_code, took, cache)
        return response


PROBLEM_JSON = "application/problem+json"


class RefuseNulCharacters:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = "A NUL character is not allowed in an address."
            if request.path.startswith("/api/"):
                # The API's callers read problem details (RFC 9457), as from every error.
                problem = {"type": "about:blank", "title": "Bad request", "status": 400}
                return JsonResponse(
                    {**problem, "detail": message}, status=400, content_type=PROBLEM_JSON
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)


# Browser features no EchoHub page uses; security keys and passkeys (WebAuthn) are
# the site's own. Video players in frames keep fullscreen (not listed: their default).
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "bluetooth=()",
        "publickey-credentials-get=(self)",
        "publickey-credentials-create=(self)",
    ]
)


class PrivatePages:
    """No page shown to a signed-in person is kept by a browser or a shared cache.

    Registrant lists, exports, profiles, certificates and every staff page are
    only ever shown to someone signed in: each such answer is `no-store` (and
    private), unless its view said how it may be kept (a hub's logo, public for a
    year). Every answer gets the Permissions-Policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
