"""`Authorization: Bearer eh_…`: the token, checked on every call.

A call without the header is anonymous and reads what anyone reads. A header
that names no live token (unknown, expired or revoked) is refused with 401,
never quietly read as anonymous: a partner whose token lapsed should hear so.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from echohub.api.models import ApiToken, hash_secret

# `last_used_at` is written at most this often, not on every call.
USED_EVERY = dt.timedelta(minutes=1)


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after “Bearer”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = (
            ApiToken.objects.select_related("hub").filter(secret_hash=hash_secret(secret)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if token.last_used_at is None or now - token.last_used_at >= USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # A token is not a person: the pages' people-based checks all answer "anonymous",
        # and the api's own checks read the token (`api.permissions`).
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class HasToken(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if token_of(request) is None:
            raise exceptions.NotAuthenticated(_("This operation needs a token."))
        return True


class HasScope(HasToken):
    """The view's `scope` must be one of the token's: no token is 401, another scope 403."""

    message = _("This token does not have the scope this operation needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        token = token_of(request)
        return token is not None and token.allows(view.scope)


class TokenSchema(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made by a hub admin (Manage → API tokens), sent as "
            "`Authorization: Bearer eh_…`.",
        }
