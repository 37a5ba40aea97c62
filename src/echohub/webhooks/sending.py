"""One delivery over HTTP: a webhook's signed POST, or an xAPI statement's PUT; the
answer kept.

The address must be https on a public address: a hub's webhook must not reach the
machines beside EchoHub (169.254.169.254, the database, the admin of a router).
`WEBHOOKS_ALLOW_PRIVATE` lifts both rules for tests and a closed network. Redirects
are not followed: a receiver that moved gets an address change, not our secrets.
"""

import base64
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from echohub import outbound
from echohub.webhooks import signing, statements

KEPT_ANSWER = 2_000  # characters of the receiver's answer kept in the log


@dataclass
class Outcome:
    status: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def address_refusal(url: str) -> str | None:
    """Why EchoHub will not deliver to this address, or None."""
    return outbound.address_refusal(
        url,
        allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        private=_("%(host)s is a private address: webhooks go to the internet only."),
    )


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def post(url: str, secret: str, event: str, uid: str, payload: dict[str, Any]) -> Outcome:
    """A webhook's delivery: POSTed, signed."""
    body = body_of(payload)
    timestamp = int(time.time())
    headers = {
        "EchoHub-Event": event,
        "EchoHub-Delivery": uid,
        "EchoHub-Timestamp": str(timestamp),
        "EchoHub-Signature": signing.signature(secret, timestamp, body),
    }
    return _send("POST", url, body, headers)


def put_statement(endpoint: str, key: str, secret: str, statement: dict[str, Any]) -> Outcome:
    """An xAPI statement, PUT under its own id to the store's statements resource with
    the store's Basic credentials (xAPI 1.0.3, part three: 2.1 and 4.1.2). A 409 says
    the store already holds a statement of that id: it is there, which is what counts."""
    url = endpoint.rstrip("/") + "/statements?" + urlencode({"statementId": statement["id"]})
    credentials = base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "X-Experience-API-Version": statements.VERSION,
    }
    outcome = _send("PUT", url, body_of(statement), headers)
    if outcome.status == 409:
        outcome.status = 204
    return outcome


def _send(method: str, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    if refusal := address_refusal(url):
        return Outcome(None, "", refusal, 0)
    request = urllib.request.Request(  # noqa: S310 (address_refusal allowed only http(s))
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", "User-Agent": "EchoHub/1", **headers},
    )
    opener = urllib.request.build_opener(NoRedirects)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            status, text = answer.status, answer.read(KEPT_ANSWER * 4)
            error = ""
    except urllib.error.HTTPError as refused:
        status, text, error = refused.code, refused.read(KEPT_ANSWER * 4), ""
    except TimeoutError:
        status, text, error = (
            None,
            b"",
            _("No answer within %(s)s seconds.") % {"s": settings.WEBHOOK_TIMEOUT_SECONDS},
        )
    except (urllib.error.URLError, OSError) as failed:
        reason = getattr(failed, "reason", failed)
        status, text, error = None, b"", str(reason)[:300]
        if isinstance(reason, TimeoutError):  # timed out while connecting
            error = _("No answer within %(s)s seconds.") % {"s": settings.WEBHOOK_TIMEOUT_SECONDS}
    duration = int((time.perf_counter() - started) * 1000)
    return Outcome(status, text.decode("utf-8", "replace")[:KEPT_ANSWER], error, duration)
