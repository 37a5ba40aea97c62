"""The anonymous page cache: public pages, as a signed-out reader sees them, kept in the
shared cache so that every web process answers them without running the view.

What may be kept is decided three times over, so that it is never wrong:

1. the request: a GET or HEAD with no session cookie, no messages cookie and no
   credentials (so the reader is signed out and has nothing waiting for them), to a
   view marked `@public_page`;
2. the answer: a 200 with no cookie set, no `Cache-Control` of its own, and no CSRF
   token used while rendering it (a page with a form that posts is never kept);
3. the key: the host, the whole address (its language prefix included) and the
   reader's time zone cookie.

A page that will read otherwise at a known moment (a session starts, and its page
stops offering to register) says so (`keep_until`), and is kept no longer.

Every kept page carries the generation it was made in. `bump()` starts a new
generation: whatever changes what public pages show (a program, a session, a
hub, a library document…) calls it, at once and again on commit, and every process
reads the new generation from the shared cache and renders afresh. Kept pages
also expire after `TTL` seconds, a bound on anything no signal announces.

The cache is `settings.CACHES["pages"]`, apart from the default one that counts
login attempts: a table of its own without a cache server, Redis with `REDIS_URL`
(its keys prefixed), shared by every web process either way.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from echohub.timezones import TZ_COOKIE, is_valid_zone

GENERATION_KEY = "pagecache:generation"
# A cache of its own (settings.CACHES["pages"]): pages never push out the login limits.
CACHE = "pages"
TTL = 300
HEADER = "X-Page-Cache"

View = TypeVar("View", bound=Callable[..., Any])


def public_page(view: View) -> View:
    """Mark a view whose page, signed out, is the same for every reader of one address."""
    view.public_page = True  # type: ignore[attr-defined]
    return view


def bump() -> None:
    """A new generation now, and again when the current transaction commits.

    The second one matters: a page rendered between the two, from data read before
    the commit, was kept under the first and is never served. (With the database
    cache, the first belongs to the caller's transaction and is undone with it.)
    """
    _new_generation()
    if connection.in_atomic_block:
        transaction.on_commit(_new_generation, robust=True)


def bump_if_changed(fact: str, value: object) -> None:
    """Bump when `value`, a fact that kept pages show ("session 12 is full"), differs
    from what it was when last told: pages are thrown away on the change, not on
    every save that leaves it as it was. A fact not told lately bumps, once.

    Call it after the change has committed (`transaction.on_commit`). Two processes
    telling opposite answers at once may leave the wrong one here (read, then write):
    the pages themselves are read from the database, and the fact is forgotten after
    TTL, as kept pages are, so such a slip lasts no longer than a kept page does.
    """
    key = f"pagecache:fact:{fact}"
    if caches[CACHE].get(key, _UNKNOWN) != value:
        caches[CACHE].set(key, value, TTL)
        _new_generation()


_UNKNOWN = object()


def _new_generation() -> None:
    caches[CACHE].set(GENERATION_KEY, secrets.token_hex(8), None)
    if (seen := _this_request.get()) is not None:
        seen.clear()  # this request sees its own change


# The generation as this request first read it (None outside a request: read each time).
_this_request: ContextVar[dict[str, str] | None] = ContextVar("pagecache_seen", default=None)


def generation() -> str:
    """The current generation: what public pages show changes with it, so anything
    derived from the same data (a reference list's rows) may be kept in memory while
    it lasts (`echohub.pagecache.kept`).

    Read once per request, and none on a public page the middleware already read it
    for; afresh after this process's own `bump()`.
    """
    seen = _this_request.get()
    if seen is not None and GENERATION_KEY in seen:
        return seen[GENERATION_KEY]
    current = _generation(caches[CACHE].get_many([GENERATION_KEY]))
    if seen is not None:
        seen[GENERATION_KEY] = current
    return current


def _generation(found: dict[str, Any]) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:  # a cache just emptied: start one, so pages can be kept
        generation = secrets.token_hex(8)
        caches[CACHE].add(GENERATION_KEY, generation, None)
        generation = caches[CACHE].get(GENERATION_KEY, generation)
    return str(generation)


def keep_until(response: HttpResponse, moment: dt.datetime | None) -> HttpResponse:
    """Say when this page will read otherwise by the clock alone (a session starts and
    takes no more registrations, a next session becomes the last one): the page cache
    keeps it no longer than that. None: nothing on it changes with the clock."""
    if moment is not None:
        current: dt.datetime | None = getattr(response, "kept_until", None)
        response.kept_until = moment if current is None else min(current, moment)  # type: ignore[attr-defined]
    return response


def _ttl(response: HttpResponse) -> int:
    """How long to keep this page: TTL, or less if the view said it changes sooner."""
    until: dt.datetime | None = getattr(response, "kept_until", None)
    if until is None:
        return TTL
    return min(TTL, int((until - timezone.now()).total_seconds()))


def _candidate(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # Addresses are translated ("/fr/programmes/"): resolve in the address's own language,
    # not in whatever language this thread served last (the locale middleware runs later).
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(request.path_info)
    except Resolver404:
        return False
    request.resolver_match = match  # for the request log, on a hit too
    return bool(getattr(match.func, "public_page", False))


def _key(request: HttpRequest) -> str:
    zone = request.COOKIES.get(TZ_COOKIE) or ""
    parts = [request.get_host(), request.get_full_path(), zone if is_valid_zone(zone) else ""]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"pagecache:page:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"  # a HEAD's answer may have lost its body on the way
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and b"csrfmiddlewaretoken" not in response.content
    )


class PageCacheMiddleware:
    """Answers kept public pages before sessions, users or views are loaded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen: dict[str, str] = {}
        token = _this_request.set(seen)
        try:
            return self._answer(request, seen)
        finally:
            _this_request.reset(token)

    def _answer(self, request: HttpRequest, seen: dict[str, str]) -> HttpResponse:
        if not _candidate(request):
            return self.get_response(request)
        key = _key(request)
        found = caches[CACHE].get_many([GENERATION_KEY, key])
        generation = seen[GENERATION_KEY] = _generation(found)
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            _, status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response) and (ttl := _ttl(response)) >= 1:
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            kept_page = (generation, response.status_code, headers, response.content)
            caches[CACHE].set(key, kept_page, ttl)
            response[HEADER] = "miss"
        return response


def bump_on_change(*models: type[Model]) -> None:
    """Start a new generation whenever one of these models is saved, deleted or relinked."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        uid = f"pagecache-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _changed, sender=through, dispatch_uid=f"{uid}-{field.name}", weak=False
            )


def _changed(**_kwargs: Any) -> None:
    bump()
