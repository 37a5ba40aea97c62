"""Microsoft Teams, through Microsoft Graph: an Entra application of the hub's tenant
(docs/video.md#teams).

The application signs in with the client-credentials grant and makes online
meetings as the organizer, which Teams allows only under an application access
policy granted to that user. Its application permissions are read from the
token's `roles`, so a test names exactly the ones missing.
"""

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from echohub.attendance.parsing import Attendee, Interval, Report
from echohub.video.platforms.base import (
    Bearer,
    Checked,
    Described,
    Field,
    Made,
    Plan,
    Problem,
    Recording,
)

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
    credentials = ("tenant_id", "client_id")

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
            str(user.get("mail") or user.get("userPrincipalName") or self.options["organizer"]),
            {"organizer_id": str(user["id"])},
        )

    # --- Meetings ("onlineMeeting": createOrGet, update, delete) ---------------------

    def _meetings(self) -> str:
        """The organizer's online meetings: by object id, as the meeting calls want it."""
        organizer = self.options.get("organizer_id")
        if not organizer:
            response = self._api("GET", f"/users/{self._organizer()}")
            if response.status_code != 200:
                raise Problem("not_found", _said(response))
            organizer = str(response.json()["id"])
        return f"/users/{quote(organizer, safe='')}/onlineMeetings"

    @staticmethod
    def _body(plan: Plan) -> dict[str, Any]:
        ends = plan.starts_at + dt.timedelta(minutes=plan.minutes)
        return {
            "subject": plan.title[:250],
            "startDateTime": plan.starts_at.astimezone(dt.UTC).isoformat(),
            "endDateTime": ends.astimezone(dt.UTC).isoformat(),
        }

    @staticmethod
    def _made(body: Mapping[str, Any]) -> Made:
        # Teams has no host link: the organizer and presenters join with the same one.
        return Made(external_id=str(body["id"]), join_url=str(body.get("joinWebUrl", "")))

    def make(self, plan: Plan, *, retry: bool = False) -> Made:
        # createOrGet with EchoHub's key as the external ID: a retry gets the same meeting.
        response = self._api(
            "POST",
            f"{self._meetings()}/createOrGet",
            json={"externalId": plan.key, **self._body(plan)},
        )
        if response.status_code not in (200, 201):
            raise Problem("refused", _said(response))
        return self._made(response.json())

    def change(self, made: Made, plan: Plan) -> Made:
        response = self._api(
            "PATCH", f"{self._meetings()}/{made.external_id}", json=self._body(plan)
        )
        if response.status_code == 404:
            raise Problem("not_found", _said(response))
        if response.status_code != 200:
            raise Problem("refused", _said(response))
        return self._made(response.json())

    def remove(self, made: Made) -> None:
        response = self._api("DELETE", f"{self._meetings()}/{made.external_id}")
        if response.status_code not in (204, 404):
            raise Problem("refused", _said(response))

    def open(self, made: Made, plan: Plan) -> Made:
        return made

    # --- After the meeting ("meetingAttendanceReport", "attendanceRecord") -----------

    def _pages(self, url: str) -> Iterator[Mapping[str, Any]]:
        while url:
            response = self.authorized("GET", url)
            if response.status_code in (401, 403):
                raise Problem("permission", _said(response))
            if response.status_code == 404:
                return
            if response.status_code != 200:
                raise Problem("refused", _said(response))
            body = response.json()
            yield from body.get("value", [])
            url = str(body.get("@odata.nextLink") or "")

    def attendance(self, made: Made) -> Report | None:
        """Every report of the meeting (one each time it ran), their records merged."""
        reports = f"{settings.GRAPH_URL}{self._meetings()}/{made.external_id}/attendanceReports"
        records: list[Mapping[str, Any]] = []
        found = False
        for report in self._pages(reports):
            found = True
            records.extend(self._pages(f"{reports}/{report['id']}/attendanceRecords"))
        if not found:
            return None
        return Report(platform="teams", attendees=tuple(_attendees(records)))

    def recordings(self, made: Made) -> list[Recording]:
        return []  # Teams keeps its recordings in OneDrive and SharePoint, not offered here

    def fetch(self, url: str) -> bytes:
        raise Problem("refused", "Teams offers no files to EchoHub.")


def _when(value: object) -> dt.datetime:
    # Graph gives seven decimals of a second; six are plenty.
    text = re.sub(r"(\.\d{6})\d+", r"\1", str(value).replace("Z", "+00:00"))
    return dt.datetime.fromisoformat(text)


def _attendees(records: list[Mapping[str, Any]]) -> Iterator[Attendee]:
    """One attendee per identity (a restarted meeting's two reports name them twice)."""
    people: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        identity = record.get("identity") or {}
        key = str(record.get("emailAddress") or identity.get("id") or identity.get("displayName"))
        people.setdefault(key.lower(), []).append(record)
    for same in people.values():
        first = same[0]
        intervals = tuple(
            Interval(_when(i["joinDateTime"]), _when(i["leaveDateTime"]))
            for record in same
            for i in record.get("attendanceIntervals") or []
            if i.get("joinDateTime") and i.get("leaveDateTime")
        )
        seconds = sum(int(r.get("totalAttendanceInSeconds") or 0) for r in same)
        role = str(first.get("role") or "").lower()
        yield Attendee(
            name=str((first.get("identity") or {}).get("displayName") or "").strip(),
            email=str(first.get("emailAddress") or "").strip(),
            intervals=intervals,
            minutes=round(seconds / 60),
            role="host"
            if role == "organizer"
            else ("panelist" if role == "presenter" else "attendee"),
        )
