"""Project-wide endpoints: the reader's time zone choice, the health and readiness checks,
the admin's login."""

import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from echohub.timezones import TZ_COOKIE, is_valid_zone

ONE_YEAR = 365 * 24 * 3600
log = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def set_timezone(request: HttpRequest) -> HttpResponse:
    """Remember the zone a reader chose: in a cookie, and on their profile if signed in.

    A signed-out reader's form is a GET (no token, so the page that holds it can be
    kept by the page cache): it only sets the cookie. The profile changes only on a
    POST, which the CSRF middleware has checked.
    """
    data = request.POST if request.method == "POST" else request.GET
    zone = data.get("timezone", "")
    if not is_valid_zone(zone):
        return HttpResponseBadRequest(_("Unknown time zone."))
    next_url = data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    user = request.user
    if user.is_authenticated and request.method == "POST":
        user.timezone = zone
        user.save(update_fields=["timezone"])
    response = redirect(next_url)
    response.set_cookie(
        TZ_COOKIE, zone, max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure()
    )
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: for load balancers, and the baseline in bench/catalogue.py."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Whether this process can serve: the database answers and both caches keep a value.

    For a load balancer's readiness probe: a process whose database or cache is gone
    answers 503, naming what failed (never why: no error text reaches the probe).
    """
    failed = [name for name, check in _READINESS.items() if not _passes(check)]
    if failed:
        return HttpResponse(
            "not ready: " + ", ".join(failed), status=503, content_type="text/plain"
        )
    return HttpResponse("ready", content_type="text/plain")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache(alias: str) -> Callable[[], None]:
    def check() -> None:
        probe = secrets.token_hex(4)
        caches[alias].set("readyz", probe, 10)
        if caches[alias].get("readyz") != probe:
            raise RuntimeError(f"the {alias} cache did not keep a value")

    return check


_READINESS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache("default"),
    "page cache": _cache("pages"),
}


def _passes(check: Callable[[], None]) -> bool:
    try:
        check()
    except Exception:  # any failure means not ready; the log says which and why
        log.exception("readiness check failed")
        return False
    return True


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's login page: the site's own login, then back to the admin."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        # Signed in without admin rights: the admin has nothing for them.
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
