"""Zoom: a Server-to-Server OAuth app of the hub's Zoom account (docs/video.md#zoom).

The app's account id, client id and secret get an access token (the
`account_credentials` grant); meetings are made as the hub's host user.
Zoom's event notifications are signed with the app's secret token.
"""

import base64
import hashlib
from collections.abc import Mapping
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from echohub.video.platforms.base import Bearer, Checked, Described, Field, Http, Problem

DESCRIBED = Described(
    fields=(
        Field("account_id", _("Account ID"), _("From the app's App Credentials page.")),
        Field("client_id", _("Client ID")),
        Field("client_secret", _("Client secret"), secret=True),
        Field(
            "host",
            _("Host user"),
            _("The email of the Zoom user who hosts the meetings (a licensed user)."),
        ),
        Field(
            "webhook_secret",
            _("Secret token"),
            _(
                "From the app's Feature page, for event notifications: with it, attendance "
                "is fetched as soon as a meeting ends."
            ),
            secret=True,
            required=False,
        ),
    ),
    guide="zoom",
)

# Zoom's error codes (the "code" of its error bodies) that mean a missing scope.
MISSING_SCOPE = {4711, 4700}
NO_SUCH_USER = {1001, 1120}


def _said(response: requests.Response) -> str:
    """What Zoom said, from its error body ({"code", "message"} or {"reason", "error"})."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}"
    return str(body.get("message") or body.get("reason") or body.get("error") or "")[:500]


def _code(response: requests.Response) -> int | None:
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, int) else None


class Client(Bearer):
    def __init__(
        self, connection_id: int, options: Mapping[str, str], secrets: Mapping[str, str]
    ) -> None:
        self.connection_id = connection_id
        self.options, self.secrets = options, secrets
        self.http = Http()

    def _token_key(self) -> tuple[int, str]:
        ids = f"{self.options['account_id']}:{self.options['client_id']}:"
        fingerprint = hashlib.sha256((ids + self.secrets["client_secret"]).encode()).hexdigest()
        return self.connection_id, fingerprint

    def _fetch_token(self) -> tuple[str, float]:
        # "Using Server-to-Server OAuth": POST /oauth/token, grant_type=account_credentials.
        basic = base64.b64encode(
            f"{self.options['client_id']}:{self.secrets['client_secret']}".encode()
        ).decode()
        response = self.http.call(
            "POST",
            settings.ZOOM_OAUTH_URL,
            params={"grant_type": "account_credentials", "account_id": self.options["account_id"]},
            headers={"Authorization": f"Basic {basic}"},
        )
        if response.status_code != 200:
            raise Problem("credentials", _said(response))
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 3600))

    def _api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        response = self.authorized(method, settings.ZOOM_API_URL + path, **kwargs)
        if response.status_code == 401:
            raise Problem("credentials", _said(response))
        if response.status_code in (400, 403) and _code(response) in MISSING_SCOPE:
            raise Problem("permission", _said(response))
        if response.status_code == 403:
            raise Problem("permission", _said(response))
        return response

    def _host(self) -> str:
        return quote(self.options["host"], safe="@")

    def check(self) -> Checked:
        response = self._api("GET", f"/users/{self._host()}")
        if response.status_code == 404 or _code(response) in NO_SUCH_USER:
            raise Problem("not_found", _said(response))
        if response.status_code != 200:
            raise Problem("refused", _said(response))
        user = response.json()
        return Checked(str(user.get("email") or self.options["host"]))
