"""Who must use a second factor and the middleware that holds them to it; whose address a
request comes from.

National admins, anyone with a role in a hub (admins, coordinators,
facilitators, experts: hub staff read case text) and members of a program's
panel must have an authenticator app or a security key before they use the
site; everyone else may add one. Until they have, every page sends them to the
two-factor page, which (like logging out) stays open.
"""

import datetime as dt
import hashlib
import logging
import urllib.request
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User

log = logging.getLogger(__name__)

# Kinds of authenticator that are a second factor (recovery codes only back them up).
SECOND_FACTORS = ("totp", "webauthn")


def needs_second_factor(user: User) -> bool:
    """Staff who read case text or manage a hub, and whoever may enter the admin."""
    return bool(
        user.is_national_admin
        or user.is_staff
        or user.staff_roles.exists()
        or user.program_roles.exists()
    )


def has_second_factor(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


# Both answers are kept in the session, found again every RECHECK seconds: a role
# granted or an authenticator removed counts within minutes, without a query on
# every page.
RECHECK = 300
_STAFF = "echohub_staff"
_MFA = "echohub_mfa"


def _remembered(request: HttpRequest, user: User, key: str, find: Callable[[User], bool]) -> bool:
    now = timezone.now().timestamp()
    kept = request.session.get(key)
    if not kept or now - kept[1] > RECHECK:
        kept = [find(user), now]
        request.session[key] = kept
    return bool(kept[0])


def staff_session(request: HttpRequest, user: User) -> bool:
    return _remembered(request, user, _STAFF, needs_second_factor)


@receiver(user_logged_in)
def _signed_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    """Stamp the session at sign-in, so its pages need no write to start counting."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[_SIGNED_IN] = now
    request.session[_SEEN] = now
    request.session[_STAFF] = [needs_second_factor(user), now]


class RequireSecondFactor:
    """Send staff without a second factor to the page that sets one up."""

    # Paths that stay open: allauth's own pages (logging out, two-factor setup), static files.
    OPEN = ("/accounts/", "/static/", "/healthz", "/timezone/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_SECOND_FACTOR
            and user.is_authenticated
            and not self._open(request.path)
            and isinstance(user, User)
            and staff_session(request, user)
            and not self._has_one(request, user)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives you access to case text and hub records: add a second "
                    "factor (an authenticator app or a security key) before you go on."
                ),
            )
            return redirect(reverse("mfa_index"))
        return self.get_response(request)

    def _has_one(self, request: HttpRequest, user: User) -> bool:
        # Only a yes is kept: someone who has just added one must not wait to go on.
        now = timezone.now().timestamp()
        kept = request.session.get(_MFA)
        if kept and now - kept < RECHECK:
            return True
        if has_second_factor(user):
            request.session[_MFA] = now
            return True
        return False

    def _open(self, path: str) -> bool:
        # Language prefixes (/en/, /fr/) come before allauth's pages.
        rest = path[3:] if path[:4] in ("/en/", "/fr/") else path
        return any(rest.startswith(prefix) for prefix in self.OPEN)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request comes from, by the rule the login limits use: with
    TRUSTED_PROXY_COUNT proxies in front, the one the outermost of them saw
    (X-Forwarded-For, counted from the right); otherwise the connection's."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return str(get_adapter(request).get_client_ip(request)) or None
    except (PermissionDenied, ImproperlyConfigured):
        # No address, or fewer X-Forwarded-For entries than trusted proxies (a
        # request that did not come through them): the connection's address, if any.
        return request.META.get("REMOTE_ADDR") or None


# Staff's sessions end after this long idle, or this long after signing in, whatever
# "remember me" said: then they sign in again, with their second factor.
STAFF_IDLE = dt.timedelta(minutes=30)
STAFF_SESSION = dt.timedelta(hours=12)
_SEEN = "echohub_seen"
_SIGNED_IN = "echohub_signed_in"


class StaffSessionLimits:
    """Sign staff out after 30 idle minutes or 12 hours; participants keep "remember me"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and isinstance(user, User) and staff_session(request, user):
            now = timezone.now().timestamp()
            seen = request.session.get(_SEEN, now)
            signed_in = request.session.setdefault(_SIGNED_IN, now)
            if (
                now - seen > STAFF_IDLE.total_seconds()
                or now - signed_in > STAFF_SESSION.total_seconds()
            ):
                logout(request)
                messages.info(request, _("For safety, staff sign in again after a while."))
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
            if now - seen > 60:  # a write a minute at most, not one per page
                request.session[_SEEN] = now
        return self.get_response(request)


# Staff passwords are at least this long (everyone's at least 12: settings).
STAFF_MIN_LENGTH = 15


class StaffPasswordLength:
    """Django password validator: 15 characters for anyone who needs a second factor."""

    def validate(self, password: str, user: User | None = None) -> None:
        if (
            user is not None
            and user.pk is not None
            and needs_second_factor(user)
            and len(password) < STAFF_MIN_LENGTH
        ):
            raise ValidationError(
                _("Your role needs a password of at least %(min)d characters."),
                code="password_too_short",
                params={"min": STAFF_MIN_LENGTH},
            )

    def get_help_text(self) -> str:
        return _("Staff need at least %(min)d characters.") % {"min": STAFF_MIN_LENGTH}


class BreachedPasswordValidator:
    """Django password validator: refuse a password seen in data breaches.

    Asks Have I Been Pwned's Pwned Passwords range API by k-anonymity: only the
    first five characters of the password's SHA-1 leave the server, and the
    answer lists every breached hash starting with them (padded, so its length
    tells nothing either). `PWNED_PASSWORDS_URL` says where (empty: off, the
    default with DEBUG); when the service cannot be reached the password is
    let through and the failure logged, so sign-up never depends on it.
    """

    def validate(self, password: str, user: User | None = None) -> None:
        base = settings.PWNED_PASSWORDS_URL
        if not base:
            return
        digest = hashlib.sha1(password.encode(), usedforsecurity=False).hexdigest().upper()
        prefix, suffix = digest[:5], digest[5:]
        request = urllib.request.Request(  # noqa: S310 - a configured https address
            base.rstrip("/") + "/" + prefix,
            headers={"Add-Padding": "true", "User-Agent": "EchoHub password check"},
        )
        try:
            with urllib.request.urlopen(request, timeout=3) as answer:  # noqa: S310
                lines = answer.read().decode("ascii", "replace").splitlines()
        except (OSError, ValueError) as error:
            log.warning("breached-password check unavailable: %s", type(error).__name__)
            return
        for line in lines:
            found, _sep, count = line.strip().partition(":")
            if found == suffix and count.strip() not in ("", "0"):
                raise ValidationError(
                    _("This password has appeared in a data breach: choose another one."),
                    code="password_breached",
                )

    def get_help_text(self) -> str:
        return _("It must not have appeared in a known data breach.")
