"""BigBlueButton: a server the hub runs or rents, and its shared secret
(docs/video.md#bigbluebutton).

Every call is a GET of `<server>/api/<call>?<query>&checksum=<hash>`, the hash
being of the call's name, its query string and the shared secret; answers are
XML with a `returncode` and, on failure, a `messageKey`. Servers since 2.6
take SHA-256 checksums, older ones SHA-1: the test finds which.
"""

import datetime as dt
import hashlib
import json
import warnings
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

import jwt
import requests
from defusedxml import DefusedXmlException, ElementTree
from django.utils.translation import gettext_lazy as _

from echohub.attendance.parsing import Attendee, Interval, Report
from echohub.video.platforms.base import (
    Checked,
    Described,
    Field,
    Http,
    Made,
    Plan,
    Problem,
    Recording,
)

DESCRIBED = Described(
    fields=(
        Field(
            "url",
            _("Server address"),
            _("As `bbb-conf --secret` prints it, e.g. https://bbb.example.org/bigbluebutton/"),
            url=True,
        ),
        Field(
            "shared_secret",
            _("Shared secret"),
            _("As `bbb-conf --secret` prints it."),
            secret=True,
        ),
    ),
    guide="bigbluebutton",
)

CHECKSUMS = ("sha256", "sha1")


def api_root(url: str) -> str:
    """The API's address from what an admin pasted (with or without `api/`)."""
    root = url.strip().rstrip("/")
    if root.endswith("/api"):
        root = root[: -len("/api")]
    return root + "/api/"


def checksum(call: str, query: str, secret: str, algorithm: str) -> str:
    return hashlib.new(algorithm, (call + query + secret).encode()).hexdigest()


class Failed(Problem):
    """A FAILED answer: its messageKey and message."""

    def __init__(self, key: str, message: str) -> None:
        code = "credentials" if key == "checksumError" else "refused"
        super().__init__(code, f"{key}: {message}")
        self.key = key


def _xml(response: requests.Response) -> Element:
    try:
        root: Element = ElementTree.fromstring(response.content)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise Problem(
            "refused", f"HTTP {response.status_code}: not a BigBlueButton answer"
        ) from error
    return root


def _text(element: Element, name: str) -> str:
    return (element.findtext(name) or "").strip()


class Client:
    def __init__(
        self, connection_id: int, options: Mapping[str, str], secrets: Mapping[str, str]
    ) -> None:
        self.connection_id = connection_id
        self.root = api_root(options["url"])
        self.algorithm = options.get("checksum", CHECKSUMS[0])
        self.secret = secrets["shared_secret"]
        self.http = Http(check_address=True)

    def url(self, call: str, **params: Any) -> str:
        """A signed call's address (also the join links handed to people)."""
        query = urlencode({k: v for k, v in params.items() if v is not None})
        signed = checksum(call, query, self.secret, self.algorithm)
        return f"{self.root}{call}?{query}{'&' if query else ''}checksum={signed}"

    def call(self, call: str, **params: Any) -> Element:
        response = self.http.call("GET", self.url(call, **params))
        answer = _xml(response)
        if _text(answer, "returncode") != "SUCCESS":
            raise Failed(_text(answer, "messageKey"), _text(answer, "message"))
        return answer

    def check(self) -> Checked:
        # The API's root answers unsigned with its version: is this BigBlueButton?
        root = _xml(self.http.call("GET", self.root))
        if _text(root, "returncode") != "SUCCESS":
            raise Problem("refused", "This address does not answer as a BigBlueButton server.")
        version = _text(root, "bbbVersion") or _text(root, "version")
        refused = Failed("checksumError", "")
        for algorithm in CHECKSUMS:
            self.algorithm = algorithm
            try:
                self.call("getMeetings")
            except Failed as failed:
                if failed.key != "checksumError":
                    raise
                refused = failed
                continue
            return Checked(f"BigBlueButton {version}".strip(), {"checksum": algorithm})
        raise refused

    # --- Meetings ("create", "end", "join") ------------------------------------------
    # A BigBlueButton meeting lives in the server's memory from `create` until it ends,
    # so EchoHub makes it when the room opens (`open`), not when the session is
    # published; the meeting id is EchoHub's own, and `create` again is harmless.

    def make(self, plan: Plan, *, retry: bool = False) -> Made:
        return Made(external_id=plan.key)

    def change(self, made: Made, plan: Plan) -> Made:
        return made

    def remove(self, made: Made) -> None:
        try:
            self.call("end", meetingID=made.external_id)
        except Failed as failed:
            if failed.key != "notFound":
                raise

    def open(self, made: Made, plan: Plan) -> Made:
        ends = plan.starts_at + dt.timedelta(minutes=plan.minutes)
        waiting = max(10, round((ends - dt.datetime.now(dt.UTC)).total_seconds() / 60))
        answer = self.call(
            "create",
            name=plan.title[:64],
            meetingID=made.external_id,
            record="true",
            autoStartRecording="false",
            allowStartStopRecording="true",
            meetingKeepEvents="true",  # the analytics callback needs the meeting's events
            # Nobody in the room yet: kept until the session's end, not BigBlueButton's 5 min.
            meetingExpireIfNoUserJoinedInMinutes=waiting,
            **{
                "meta_endCallbackUrl": plan.ended_url or None,
                "meta_analytics-callback-url": plan.events_url or None,
                "meta_bbb-recording-ready-url": plan.ended_url or None,
            },
        )
        return Made(
            external_id=made.external_id,
            details={**made.details, "createTime": _text(answer, "createTime")},
        )

    def join_url(self, made: Made, *, name: str, key: str, moderator: bool) -> str:
        """A person's own signed link into the room: their name, EchoHub's key for them
        (it comes back in the attendance), and whether they moderate."""
        return self.url(
            "join",
            fullName=name,
            meetingID=made.external_id,
            role="MODERATOR" if moderator else "VIEWER",
            userID=key,
            createTime=made.details.get("createTime") or None,
        )

    # --- After the meeting ----------------------------------------------------------

    def attendance(self, made: Made) -> Report | None:
        """From the learning analytics the server sent when the meeting ended (kept on the
        meeting by the callback): BigBlueButton has no report to ask for afterwards."""
        events = made.details.get("analytics")
        if not isinstance(events, Mapping):
            return None
        people = events.get("data", {}).get("attendees", [])
        return Report(platform="bigbluebutton", attendees=tuple(_attendees(people)))

    def recordings(self, made: Made) -> list[Recording]:
        answer = self.call("getRecordings", meetingID=made.external_id)
        found = []
        for recording in answer.iterfind("recordings/recording"):
            record_id = _text(recording, "recordID")
            url = next(
                (
                    _text(f, "url")
                    for f in recording.iterfind("playback/format")
                    if _text(f, "type") in ("presentation", "video")
                ),
                "",
            )
            if not url or _text(recording, "published") == "false":
                continue
            minutes = 0
            if (start := _text(recording, "startTime")) and (end := _text(recording, "endTime")):
                minutes = round((int(end) - int(start)) / 60_000)
            found.append(Recording(record_id, url, minutes, self._track(record_id)))
        return found

    def _track(self, record_id: str) -> str:
        """A WebVTT text track of the recording (BigBlueButton 2.2+), captions first."""
        response = self.http.call("GET", self.url("getRecordingTextTracks", recordID=record_id))
        try:
            tracks = response.json().get("response", {}).get("tracks", [])
        except ValueError:
            return ""
        tracks = sorted(tracks, key=lambda t: t.get("kind") != "captions")
        return str(tracks[0]["href"]) if tracks else ""

    def fetch(self, url: str) -> bytes:
        response = self.http.call("GET", url)
        if response.status_code != 200:
            raise Problem("refused", f"HTTP {response.status_code}")
        return response.content


def _when(value: object) -> dt.datetime:
    """bbbevents' times: "2023-08-07 14:06:17 -0300", or ISO 8601 in newer versions."""
    text = str(value).strip()
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _attendees(people: list[Mapping[str, Any]]) -> Iterator[Attendee]:
    for person in people:
        joins = sorted(_when(t) for t in person.get("joins") or [])
        leaves = sorted(_when(t) for t in person.get("leaves") or [])
        intervals = tuple(Interval(j, left) for j, left in zip(joins, leaves, strict=False))
        yield Attendee(
            name=str(person.get("name", "")).strip(),
            email="",
            intervals=intervals,
            minutes=round(int(person.get("duration") or 0) / 60),
            role="host" if person.get("moderator") else "attendee",
            key=str(person.get("ext_user_id") or ""),
        )


# --- Callbacks ("End meeting callback URL", analytics, "Recording ready") ------------


def analytics(authorization: str, body: bytes, secret: str) -> dict[str, Any] | None:
    """The learning analytics a server POSTs as a meeting ends, if its bearer token is a
    JWT signed (HS512) with the shared secret and not expired; else None."""
    token = authorization.removeprefix("Bearer ").strip()
    if not secret:
        return None
    try:
        with warnings.catch_warnings():  # the secret's length is the server's, not ours
            warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
            jwt.decode(token, secret, algorithms=["HS512"], options={"require": ["exp"]})
        payload = json.loads(body)
    except (jwt.InvalidTokenError, ValueError):
        return None
    return payload if isinstance(payload, dict) else None


def recording_ready(signed_parameters: str, secret: str) -> tuple[str, str] | None:
    """The meeting and recording ids of a "recording ready" callback (a JWT, HS256)."""
    if not secret:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
            claims = jwt.decode(signed_parameters, secret, algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    return str(claims.get("meeting_id", "")), str(claims.get("record_id", ""))
