"""Errors as RFC 9457 problem details (`application/problem+json`).

`type` is `about:blank` (the status says it all) and `title` the status's
phrase, in the caller's language (Accept-Language); `detail` says what went
wrong, and a refused field list is in `errors`, by field, as forms name them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import set_rollback

PROBLEM = "application/problem+json"

TITLES = {
    400: lambda: _("Bad request"),
    401: lambda: _("Not authenticated"),
    403: lambda: _("Forbidden"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    406: lambda: _("Not acceptable"),
    409: lambda: _("Conflict"),
    415: lambda: _("Unsupported media type"),
    422: lambda: _("Unprocessable content"),
    429: lambda: _("Too many requests"),
}


def problem(status: int, detail: str, *, instance: str = "", **extra: Any) -> Response:
    title = TITLES.get(status)
    body = {
        "type": "about:blank",
        "title": title() if title else str(status),
        "status": status,
        "detail": detail,
        **({"instance": instance} if instance else {}),
        **extra,
    }
    return Response(body, status=status, content_type=PROBLEM)


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if not isinstance(exc, exceptions.APIException):
        return None  # a fault of ours: Django's 500, logged with its traceback
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = ", ".join(str(name) for name in errors)
        response = problem(
            400,
            _("Some values were refused: %(fields)s.") % {"fields": fields},
            instance=instance,
            errors=errors,
        )
    else:
        response = problem(exc.status_code, str(exc.detail), instance=instance)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    set_rollback()
    return response
