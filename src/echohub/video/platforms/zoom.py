"""Zoom: a Server-to-Server OAuth app of the hub's Zoom account (docs/video.md#zoom).

The app's account id, client id and secret get an access token (the
`account_credentials` grant); meetings are made as the hub's host user.
Zoom's event notifications are signed with the app's secret token.
"""

import base64
import datetime as dt
import hashlib
import hmac
import time
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
NO_SUCH_MEETING = {3001}
# The report of a meeting not yet over, or not yet counted (Zoom: "no data").
NO_REPORT_YET = {3001, 12702}
# How EchoHub marks the meetings it makes, to find one again after a crash.
MARK = "EchoHub: "
PAGE_SIZE = 300


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


def _expected(response: requests.Response, status: int, missing: set[int]) -> requests.Response:
    """The answer if it is `status`; a 404 or one of the `missing` codes is not_found."""
    if response.status_code == 404 or _code(response) in missing:
        raise Problem("not_found", _said(response))
    if response.status_code != status:
        raise Problem("refused", _said(response))
    return response


class Client(Bearer):
    credentials = ("account_id", "client_id")

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

    # --- Meetings ("Meetings" API: /users/{userId}/meetings, /meetings/{meetingId}) ---

    def _meeting_body(self, plan: Plan) -> dict[str, Any]:
        return {
            "topic": plan.title[:200],
            "type": 2,  # scheduled
            "start_time": plan.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": plan.minutes,
            "timezone": plan.timezone,
            "agenda": f"{MARK}{plan.key}",
        }

    def _made(self, body: Mapping[str, Any]) -> Made:
        return Made(
            external_id=str(body["id"]),
            join_url=str(body.get("join_url", "")),
            host_url=str(body.get("start_url", "")),
            details={"uuid": str(body.get("uuid", ""))},
        )

    def _upcoming(self) -> Iterator[Mapping[str, Any]]:
        token = ""
        while True:
            response = self._api(
                "GET",
                f"/users/{self._host()}/meetings",
                params={"type": "upcoming", "page_size": PAGE_SIZE, "next_page_token": token},
            )
            if response.status_code != 200:
                raise Problem("refused", _said(response))
            body = response.json()
            yield from body.get("meetings", [])
            token = body.get("next_page_token") or ""
            if not token:
                return

    def make(self, plan: Plan, *, retry: bool = False) -> Made:
        if retry:  # a try that died after Zoom made it: find that meeting, not a second
            for meeting in self._upcoming():
                if str(meeting.get("agenda", "")).endswith(f"{MARK}{plan.key}"):
                    return self.open(Made(str(meeting["id"])), plan)
        response = self._api(
            "POST", f"/users/{self._host()}/meetings", json=self._meeting_body(plan)
        )
        return self._made(_expected(response, 201, NO_SUCH_USER).json())

    def change(self, made: Made, plan: Plan) -> Made:
        response = self._api(
            "PATCH", f"/meetings/{made.external_id}", json=self._meeting_body(plan)
        )
        _expected(response, 204, NO_SUCH_MEETING)
        return made

    def remove(self, made: Made) -> None:
        response = self._api("DELETE", f"/meetings/{made.external_id}")
        if response.status_code in (204, 404) or _code(response) in NO_SUCH_MEETING:
            return
        raise Problem("refused", _said(response))

    def open(self, made: Made, plan: Plan) -> Made:
        """A fresh start link: the one Zoom gave at making expires long before the session."""
        response = self._api("GET", f"/meetings/{made.external_id}")
        return self._made(_expected(response, 200, NO_SUCH_MEETING).json())

    # --- After the meeting ("Reports": past meeting participants; "Cloud Recording") ---

    def _instance(self, made: Made) -> str:
        """The meeting's UUID when known (the instance that ran), else its id; a UUID
        that starts with / or holds // is encoded twice, as Zoom asks."""
        uuid = str(made.details.get("uuid", ""))
        if not uuid:
            return made.external_id
        once = quote(uuid, safe="")
        return quote(once, safe="") if uuid.startswith("/") or "//" in uuid else once

    def attendance(self, made: Made) -> Report | None:
        rows: list[Mapping[str, Any]] = []
        token = ""
        while True:
            response = self._api(
                "GET",
                f"/report/meetings/{self._instance(made)}/participants",
                params={"page_size": PAGE_SIZE, "next_page_token": token},
            )
            if response.status_code in (400, 404) and _code(response) in NO_REPORT_YET:
                return None
            if response.status_code != 200:
                raise Problem("refused", _said(response))
            body = response.json()
            rows.extend(body.get("participants", []))
            token = body.get("next_page_token") or ""
            if not token:
                break
        return Report(platform="zoom_meeting", attendees=tuple(_attendees(rows)))

    def recordings(self, made: Made) -> list[Recording]:
        response = self._api("GET", f"/meetings/{self._instance(made)}/recordings")
        if response.status_code == 404 or _code(response) in NO_SUCH_MEETING | {3301}:
            return []
        if response.status_code != 200:
            raise Problem("refused", _said(response))
        files = response.json().get("recording_files", [])
        transcript = next(
            (str(f["download_url"]) for f in files if f.get("file_type") == "TRANSCRIPT"), ""
        )
        return [
            Recording(
                external_id=str(f["id"]),
                url=str(f.get("play_url") or f.get("download_url")),
                minutes=_minutes(f.get("recording_start"), f.get("recording_end")),
                transcript_url=transcript,
            )
            for f in files
            if f.get("file_type") == "MP4" and f.get("status", "completed") == "completed"
        ]

    def fetch(self, url: str) -> bytes:
        # "Download files": the download_url with the access token as a bearer.
        response = self.authorized("GET", url)
        if response.status_code != 200:
            raise Problem("refused", f"HTTP {response.status_code}")
        return response.content


def _when(value: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _minutes(start: object, end: object) -> int:
    if not start or not end:
        return 0
    return max(0, round((_when(end) - _when(start)).total_seconds() / 60))


def _attendees(rows: list[Mapping[str, Any]]) -> Iterator[Attendee]:
    """One attendee per person: Zoom gives a row per join (a rejoin is a second row)."""
    people: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        who = str(row.get("user_email") or "").strip().lower() or (
            "name:" + str(row.get("name", "")).strip()
        )
        people.setdefault(who, []).append(row)
    for joins in people.values():
        intervals = tuple(
            Interval(_when(r["join_time"]), _when(r["leave_time"]))
            for r in joins
            if r.get("join_time") and r.get("leave_time")
        )
        yield Attendee(
            name=str(joins[0].get("name", "")).strip(),
            email=str(joins[0].get("user_email") or "").strip(),
            intervals=intervals,
            minutes=round(sum(int(r.get("duration") or 0) for r in joins) / 60),
        )


# --- Event notifications ("Using webhooks": verify, validate the endpoint) -----------

# A notification older than this is refused: a replayed one.
SIGNATURE_TOLERANCE = 300


def signature_ok(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """x-zm-signature is "v0=" + HMAC-SHA256(secret token, "v0:{timestamp}:{body}")."""
    try:
        if abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE:
            return False
    except ValueError:
        return False
    message = b"v0:" + timestamp.encode() + b":" + body
    wanted = "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(wanted, signature)


def validation_answer(secret: str, plain_token: str) -> dict[str, str]:
    """The answer to endpoint.url_validation: the token and its HMAC-SHA256."""
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}


def about(event: Mapping[str, Any]) -> tuple[str, str, str]:
    """What a notification tells: its event, and the meeting's id and instance UUID
    (`meeting.ended` and `recording.completed` both carry them in payload.object)."""
    meeting = event.get("payload", {}).get("object", {})
    return str(event.get("event", "")), str(meeting.get("id", "")), str(meeting.get("uuid", ""))
