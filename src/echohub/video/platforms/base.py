"""What every platform client offers, the problems it reports, and its HTTP calls.

A client raises `Problem` with a code EchoHub explains in the reader's language
(`PROBLEMS`, shown by the connection's page) and the platform's own words, or
`TryLater` when the platform asked to be called again (a 429 with
Retry-After, a 5xx): the worker then runs the task again that much later,
rather than holding a worker asleep.
"""

import datetime as dt
import email.utils
import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from echohub import outbound
from echohub.attendance.parsing import Report

log = logging.getLogger("echohub.video")

# What a test or a call found wrong, in words for a hub admin (the platform's own
# answer is shown beside them).
PROBLEMS = {
    "credentials": _(
        "The platform refused the credentials: check the ids and the secret, "
        "and that the secret has not expired."
    ),
    "permission": _(
        "The credentials work, but the application lacks a permission EchoHub needs "
        "(see the guide for the exact list)."
    ),
    "unreachable": _("EchoHub could not reach the platform: check the address, or try later."),
    "not_found": _("The platform does not know the user or account named here."),
    "refused": _("The platform refused the request."),
    "busy": _("The platform asked EchoHub to wait: it will try again by itself."),
    "server": _("The platform failed to answer properly: it will be tried again."),
    "address": _("This address is not one EchoHub calls."),
}


class Problem(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        if code not in PROBLEMS:
            raise ValueError(f"unknown problem {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail[:500]


class TryLater(Problem):
    """The platform asked to be called again after `after` seconds."""

    def __init__(self, after: float, detail: str = "", *, code: str = "busy") -> None:
        super().__init__(code, detail)
        self.after = after


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    help: Any = ""
    secret: bool = False
    url: bool = False
    required: bool = True


@dataclass(frozen=True)
class Described:
    """What a hub admin fills in to connect a platform, and the guide's anchor."""

    fields: tuple[Field, ...]
    guide: str

    @property
    def plain(self) -> list[Field]:
        return [f for f in self.fields if not f.secret]

    @property
    def secrets(self) -> list[Field]:
        return [f for f in self.fields if f.secret]


@dataclass(frozen=True)
class Checked:
    """What a successful test found: a line for the admin, and settings it learnt."""

    found: str
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """What EchoHub wants a session's meeting to be."""

    key: str  # EchoHub's own name for it, the same on every try (idempotence)
    title: str
    starts_at: dt.datetime  # UTC
    minutes: int
    timezone: str
    # Where the platform tells EchoHub the meeting ended, and what happened in it.
    ended_url: str = ""
    events_url: str = ""


@dataclass(frozen=True)
class Made:
    """A meeting as the platform made it: its id, the links, and what else it needs kept."""

    external_id: str
    join_url: str = ""
    host_url: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Recording:
    """A recording the platform made of a meeting, and its transcript (WebVTT) if any."""

    external_id: str
    url: str
    minutes: int = 0
    transcript_url: str = ""


class Client(Protocol):
    def __init__(
        self, connection_id: int, options: Mapping[str, str], secrets: Mapping[str, str]
    ) -> None: ...

    def check(self) -> Checked:
        """Sign in and make the calls meetings need; what was found, or raise Problem."""
        ...

    def make(self, plan: Plan, *, retry: bool = False) -> Made:
        """The meeting made; on a `retry` (a try before may have made it and died), the
        one made before under `plan.key` found again rather than a second made."""
        ...

    def change(self, made: Made, plan: Plan) -> Made:
        """The meeting moved or renamed; the links as they are now."""
        ...

    def remove(self, made: Made) -> None:
        """The meeting deleted or ended; one already gone is no error."""
        ...

    def open(self, made: Made, plan: Plan) -> Made:
        """Just before the room opens: the links as they must be then."""
        ...

    def attendance(self, made: Made) -> Report | None:
        """Who attended, as a participant report; None while the platform has none yet."""
        ...

    def recordings(self, made: Made) -> list[Recording]:
        """The meeting's recordings; none while the platform has none."""
        ...

    def fetch(self, url: str) -> bytes:
        """A file the platform offers (a transcript), with the client's credentials."""
        ...


# Waits the platform may ask for that are taken in line; a longer one goes back to
# the worker's queue (TryLater).
WAIT_IN_LINE = 2.0
BUSY_RETRIES = 3
SERVER_RETRIES = 2


def retry_after(response: requests.Response, default: float) -> float:
    """Retry-After's seconds; it may also be a date (RFC 9110), or an ISO 8601
    moment as Zoom's daily limit gives it."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return max(0.0, (moment - dt.datetime.now(dt.UTC)).total_seconds())


def address_refusal(url: str) -> str | None:
    """Why EchoHub will not call a server a hub named (BigBlueButton's), or None."""
    return outbound.address_refusal(
        url,
        allow_private=settings.VIDEO_ALLOW_PRIVATE,
        private=str(
            _("%(host)s is a private address: EchoHub calls servers on the internet only.")
        ),
    )


@dataclass
class Http:
    """Calls to one platform: a timeout, no redirects, and its waits honoured.

    A 429's Retry-After of up to WAIT_IN_LINE seconds (BUSY_RETRIES times), and a
    5xx (SERVER_RETRIES times, a second apart), are waited for here; anything
    longer, or more, is TryLater.
    """

    check_address: bool = False
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        if self.check_address and (refusal := address_refusal(url)):
            raise Problem("address", refusal)
        server_errors = busy = 0
        while True:
            started = time.monotonic()
            try:
                response = self.session.request(
                    method,
                    url,
                    timeout=settings.VIDEO_TIMEOUT_SECONDS,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.RequestException as error:
                raise Problem("unreachable", type(error).__name__) from error
            log.info(
                "%s %s: %s in %d ms",
                method,
                url.split("?")[0],
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            if response.status_code == 429:
                wait = retry_after(response, 60.0)
                busy += 1
                if wait > WAIT_IN_LINE or busy > BUSY_RETRIES:
                    raise TryLater(max(wait, 1.0), response.text[:200])
                time.sleep(wait)
                continue
            if response.status_code >= 500:
                server_errors += 1
                if server_errors > SERVER_RETRIES:
                    raise TryLater(retry_after(response, 60.0), response.text[:200], code="server")
                time.sleep(1.0)
                continue
            return response


_tokens: dict[tuple[int, str], tuple[str, float]] = {}


class Bearer:
    """A platform signed in to with OAuth client credentials (Zoom, Microsoft).

    The access token is kept in this process only, until a minute before it
    expires; a call answered 401 gets a new token and is made once more (a
    token revoked or expired early, mid-run).
    """

    # The plain settings that, with the client secret, name the credentials a token
    # was got with: a token is kept per connection and credentials.
    credentials: tuple[str, ...] = ()

    def __init__(
        self, connection_id: int, options: Mapping[str, str], secrets: Mapping[str, str]
    ) -> None:
        self.connection_id = connection_id
        self.options, self.secrets = options, secrets
        self.http = Http()

    def _fetch_token(self) -> tuple[str, float]:
        """A new access token and its lifetime in seconds; raise Problem if refused."""
        raise NotImplementedError

    def _token_key(self) -> tuple[int, str]:
        named = ":".join([*(self.options[k] for k in self.credentials), ""])
        fingerprint = hashlib.sha256((named + self.secrets["client_secret"]).encode())
        return self.connection_id, fingerprint.hexdigest()

    def token(self, *, fresh: bool = False) -> str:
        key = self._token_key()
        kept = _tokens.get(key)
        if kept and not fresh and kept[1] > time.monotonic():
            return kept[0]
        token, lifetime = self._fetch_token()
        _tokens[key] = (token, time.monotonic() + max(0.0, lifetime - 60))
        return token

    def authorized(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        for fresh in (False, True):
            headers["Authorization"] = f"Bearer {self.token(fresh=fresh)}"
            response = self.http.call(method, url, headers=headers, **kwargs)
            if response.status_code != 401:
                return response
            log.info("connection %s: token refused, signing in again", self.connection_id)
        return response
