"""Microsoft Teams, through Microsoft Graph: an Entra application of the hub's tenant
(docs/video.md#teams).

The application signs in with the client-credentials grant and makes online
meetings as the organizer, which Teams allows only under an application access
policy granted to that user. Its application permissions are read from the
token's `roles`, so a test names exactly the ones missing.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from echohub.video.platforms.base import Bearer, Checked, Described, Field, Http, Problem

DESCRIBED = Described(
    fields=(
        Field("tenant_id", _("Directory (tenant) ID")),
        Field("client_id", _("Application (client) ID")),
        Field(
            "client_secret", _("Client secret"), _("The secret's value, not its ID."), secret=True
        ),
        Field(
            "organizer",
            _("Organizer"),
            _(
                "The user (email or user principal name) whose meetings these are; the "
                "application access policy must include them."
            ),
        ),
    ),
    guide="teams",
)

# The application permissions EchoHub uses (docs/video.md#teams), admin-consented.
ROLES = (
    "OnlineMeetings.ReadWrite.All",  # make, move and delete the organizer's meetings
    "OnlineMeetingArtifact.Read.All",  # their attendance reports
    "User.Read.All",  # find the organizer
)

# A made-up join address: asking for it proves the access policy without a meeting.
PROBE = "https://teams.microsoft.com/l/meetup-join/echohub-connection-test"


def _said(response: requests.Response) -> str:
    """What Microsoft said: Graph's {"error": {"code", "message"}} or the sign-in
    service's {"error", "error_description"}."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return f"{error.get('code', '')}: {error.get('message', '')}"[:500]
    description = str(body.get("error_description", "")) if isinstance(body, dict) else ""
    return (description.splitlines()[0] if description else str(error or ""))[:500]


def roles_of(token: str) -> set[str]:
    """The application permissions a Graph access token carries (its payload's `roles`).

    Read, not verified: Graph verifies it; EchoHub only wants to name what is missing.
    """
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return set()
    roles = claims.get("roles", []) if isinstance(claims, dict) else []
    return {str(role) for role in roles} if isinstance(roles, list) else set()


class Client(Bearer):
    def __init__(
        self, connection_id: int, options: Mapping[str, str], secrets: Mapping[str, str]
    ) -> None:
        self.connection_id = connection_id
        self.options, self.secrets = options, secrets
        self.http = Http()

    def _token_key(self) -> tuple[int, str]:
        ids = f"{self.options['tenant_id']}:{self.options['client_id']}:"
        fingerprint = hashlib.sha256((ids + self.secrets["client_secret"]).encode()).hexdigest()
        return self.connection_id, fingerprint

    def _fetch_token(self) -> tuple[str, float]:
        # "Get access without a user": the client credentials grant, scope .default.
        tenant = quote(self.options["tenant_id"], safe="")
        response = self.http.call(
            "POST",
            f"{settings.MICROSOFT_LOGIN_URL}/{tenant}/oauth2/v2.0/token",
            data={
                "client_id": self.options["client_id"],
                "client_secret": self.secrets["client_secret"],
                "scope": f"{settings.GRAPH_URL.rsplit('/', 1)[0]}/.default",
                "grant_type": "client_credentials",
            },
        )
        if response.status_code != 200:
            raise Problem("credentials", _said(response))
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 3600))

    def _api(self, method: str, path: str, **kwargs: object) -> requests.Response:
        response = self.authorized(method, settings.GRAPH_URL + path, **kwargs)
        if response.status_code == 401:
            raise Problem("credentials", _said(response))
        if response.status_code == 403:
            raise Problem("permission", _said(response))
        return response

    def _organizer(self) -> str:
        return quote(self.options["organizer"], safe="@")

    def check(self) -> Checked:
        missing = [role for role in ROLES if role not in roles_of(self.token())]
        if missing:  # granted since this token was issued? A new one carries them.
            missing = [role for role in ROLES if role not in roles_of(self.token(fresh=True))]
        if missing:
            raise Problem("permission", "Missing application permissions: " + ", ".join(missing))
        response = self._api("GET", f"/users/{self._organizer()}")
        if response.status_code == 404:
            raise Problem("not_found", _said(response))
        if response.status_code != 200:
            raise Problem("refused", _said(response))
        user = response.json()
        # The application access policy: without it, any meeting call is a 403.
        probe = self._api(
            "GET",
            f"/users/{quote(str(user['id']), safe='')}/onlineMeetings",
            params={"$filter": f"JoinWebUrl eq '{PROBE}'"},
        )
        if probe.status_code not in (200, 404):
            raise Problem("refused", _said(probe))
        return Checked(
            str(user.get("mail") or user.get("userPrincipalName") or self.options["organizer"])
        )
