"""`Idempotency-Key` on the API's writes (the IETF httpapi draft's header).

A caller that is not sure its call arrived (a timeout, a dropped connection)
sends it again with the same key: the first success is answered again, with
`Idempotent-Replayed: true`, and nothing is done twice. The same key with
another request is refused (422). A refusal is not kept: once the cause is gone
(a seat freed, a file fixed) the same key may try again. Keys are kept a day.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from echohub.api.models import IdempotentRequest
from echohub.api.problems import problem

HEADER = "Idempotency-Key"
KEPT = dt.timedelta(days=1)


def fingerprint(request: Request) -> str:
    """The request as far as it matters: method, path, and its data (a file by its hash)."""
    data: dict[str, Any] = {}
    for name, value in request.data.items():
        if hasattr(value, "read"):
            value.seek(0)
            data[name] = "sha256:" + hashlib.sha256(value.read()).hexdigest()
            value.seek(0)
        else:
            data[name] = value
    seen = json.dumps([request.method, request.path, data], sort_keys=True, default=str)
    return hashlib.sha256(seen.encode()).hexdigest()


def _replay(kept: IdempotentRequest) -> Response:
    response = Response(kept.body, status=kept.status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap a write view's method: answered once per token and key."""

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > 255 or not key.isprintable():
            return problem(400, _("An Idempotency-Key is at most 255 printable characters."))
        token = view.required_token()
        seen = fingerprint(request)
        kept = IdempotentRequest.objects.filter(
            token=token, key=key, created_at__gte=timezone.now() - KEPT
        ).first()
        if kept is not None:
            if kept.fingerprint != seen:
                return problem(422, _("This Idempotency-Key was already used for another request."))
            return _replay(kept)
        # Every key older than a day goes (this one among them, if it was): an indexed
        # range, so the table holds a day of keys whoever stopped writing.
        IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
        response = handler(view, request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            try:
                with transaction.atomic():
                    IdempotentRequest.objects.create(
                        token=token,
                        key=key,
                        fingerprint=seen,
                        status=response.status_code,
                        body=response.data,
                    )
            except IntegrityError:
                # The same key's other call got there first: its answer stands for both.
                return _replay(IdempotentRequest.objects.get(token=token, key=key))
        return response

    return wrapper
