"""Zoom, Microsoft Graph and BigBlueButton as local HTTP servers on loopback.

These machines cannot reach the vendors, so each fake answers as the vendor's
documentation says, from the recorded bodies in `fixtures/` (SOURCES.md names
the documentation section of each): the status codes, the error shapes, the
pagination, the rate-limit headers, tokens that expire. A test can script the
next answers of a path (a 500, a 429 with Retry-After) and read every request
the fake received.
"""

import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
# A real Zoom cloud-recording transcript (tests/library/samples/README.md).
TRANSCRIPT = (
    Path(__file__).parent.parent / "library/samples/zoomGroupStats_meeting001_transcript.vtt"
)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    query_string: str = ""

    @property
    def raw(self) -> str:
        """Everything the fake received, as text: where a test looks for secrets."""
        return f"{self.method} {self.path}?{self.query} {self.headers} {self.body!r}"


Answer = tuple[int, dict[str, str], bytes]


def as_json(status: int, body: Any, headers: dict[str, str] | None = None) -> Answer:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(body).encode(),
    )


@dataclass
class Fake:
    """A vendor's API on loopback; subclasses route requests to answers."""

    requests: list[Request] = field(default_factory=list)
    scripted: list[tuple[str, str, Answer]] = field(default_factory=list)
    url: str = ""

    def script(self, method: str, path: str, *answers: Answer) -> None:
        """Answer the next requests to `path` (a prefix) with these, in order."""
        for answer in answers:
            self.scripted.append((method, path, answer))

    def answer(self, request: Request) -> Answer:
        self.requests.append(request)
        for index, (method, path, answer) in enumerate(self.scripted):
            if method == request.method and request.path.startswith(path):
                del self.scripted[index]
                return answer
        return self.route(request)

    def route(self, request: Request) -> Answer:
        raise NotImplementedError

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path)]

    def everything_received(self) -> str:
        return "\n".join(request.raw for request in self.requests)


@contextlib.contextmanager
def serving(fake: Fake) -> Iterator[Fake]:
    """Serve the fake on a free loopback port for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command,
                unquote(parts.path),
                dict(parse_qsl(parts.query, keep_blank_values=True)),
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length) if length else b"",
                parts.query,
            )
            status, headers, body = fake.answer(request)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _any

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


class Tokens:
    """Access tokens issued and still good; `expire_all` is a token expiring mid-run."""

    def __init__(self, prefix: str) -> None:
        self.counter = itertools.count(1)
        self.prefix = prefix
        self.good: set[str] = set()
        self.issued = 0

    def issue(self, token: str | None = None) -> str:
        token = token or f"{self.prefix}-{next(self.counter)}"
        self.good.add(token)
        self.issued += 1
        return token

    def expire_all(self) -> None:
        self.good.clear()

    def bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[len("Bearer ") :] in self.good


# --- Zoom ------------------------------------------------------------------


@dataclass
class ZoomFake(Fake):
    """Zoom's OAuth token endpoint and REST API v2 (fixtures/zoom, SOURCES.md)."""

    account_id: str = "FAKEaccountId0000000001"
    client_id: str = "FAKEclientId0001"
    client_secret: str = "FAKE-zoom-client-secret"
    host: str = "alex.host@example.org"
    missing_scope: bool = False
    tokens: Tokens = field(default_factory=lambda: Tokens("zoom-token"))
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    serial: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    ended: bool = False  # whether the meetings are over (their report exists)
    recorded: bool = False

    def route(self, request: Request) -> Answer:
        if request.path == "/oauth/token" and request.method == "POST":
            return self._token(request)
        if request.path.startswith("/rec/download/"):
            if not self.tokens.bearer_ok(request):
                return as_json(401, fixture_json("zoom/error_invalid_token.json"))
            return 200, {"Content-Type": "text/vtt"}, TRANSCRIPT.read_bytes()
        if not request.path.startswith("/v2/"):
            return as_json(404, {"code": 404, "message": "Not found"})
        if not self.tokens.bearer_ok(request):
            return as_json(401, fixture_json("zoom/error_invalid_token.json"))
        if self.missing_scope:
            return as_json(400, fixture_json("zoom/error_missing_scope.json"))
        path = request.path[len("/v2") :]
        user_meetings = f"/users/{self.host}/meetings"
        if path == user_meetings and request.method == "POST":
            return self._make(json.loads(request.body))
        if path == user_meetings and request.method == "GET":
            upcoming = [m for m in self.meetings.values() if not m.get("ended")]
            return as_json(200, {"page_size": 300, "next_page_token": "", "meetings": upcoming})
        if path.startswith("/users/") and request.method == "GET":
            user = path[len("/users/") :]
            if user != self.host:
                return as_json(404, {"code": 1001, "message": f"User does not exist: {user}."})
            return as_json(200, fixture_json("zoom/user.json") | {"email": self.host})
        if path.startswith("/report/meetings/") and path.endswith("/participants"):
            return self._participants(path.split("/")[3], request)
        if path.startswith("/meetings/") and path.endswith("/recordings"):
            return self._recordings(path.split("/")[2])
        if path.startswith("/meetings/"):
            return self._meeting(path.split("/")[2], request)
        return as_json(404, {"code": 404, "message": "Not found"})

    # "Meetings": create, get, update, delete (fixtures/zoom/meeting_created.json).

    def _make(self, body: dict[str, Any]) -> Answer:
        serial = next(self.serial)
        meeting_id = 92674392800 + serial
        made = fixture_json("zoom/meeting_created.json") | {
            "id": meeting_id,
            "uuid": f"FAKEuuid{serial:013d}==",
            "topic": body["topic"],
            "start_time": body["start_time"],
            "duration": body["duration"],
            "timezone": body["timezone"],
            "agenda": body.get("agenda", ""),
            # Zoom's own addresses, never followed in tests.
            "join_url": f"https://zoom.example.org/j/{meeting_id}",
            "start_url": f"https://zoom.example.org/s/{meeting_id}?zak=FAKE-zak-{serial}",
        }
        self.meetings[str(meeting_id)] = made
        return as_json(201, made)

    def _meeting(self, meeting_id: str, request: Request) -> Answer:
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting.get("deleted"):
            missing = fixture_json("zoom/meeting_not_found.json")
            return as_json(404, missing | {"message": f"Meeting does not exist: {meeting_id}."})
        if request.method == "GET":
            fresh = f"https://zoom.example.org/s/{meeting_id}?zak=FAKE-zak-{next(self.serial)}"
            meeting["start_url"] = fresh
            return as_json(200, meeting)
        if request.method == "PATCH":
            meeting.update(json.loads(request.body))
            return 204, {}, b""
        if request.method == "DELETE":
            meeting["deleted"] = True
            return 204, {}, b""
        return as_json(405, {"code": 405, "message": "Method not allowed"})

    # "Reports": a past meeting's participants, in pages; none while it runs.

    def _participants(self, instance: str, request: Request) -> Answer:
        known = {str(m["id"]) for m in self.meetings.values()}
        known |= {str(m["uuid"]) for m in self.meetings.values()}  # (the path arrives decoded)
        if instance not in known or not self.ended:
            return as_json(
                404, {"code": 3001, "message": "Meeting does not exist: report not ready."}
            )
        if request.query.get("next_page_token"):
            return as_json(200, fixture_json("zoom/participants_page2.json"))
        return as_json(200, fixture_json("zoom/participants_page1.json"))

    def _recordings(self, instance: str) -> Answer:
        if not self.recorded:
            return as_json(404, {"code": 3301, "message": "This recording does not exist."})
        body = fixture_json("zoom/recordings.json")
        for entry in body["recording_files"]:
            kind = "vtt" if entry["file_type"] == "TRANSCRIPT" else "mp4"
            entry["download_url"] = f"{self.url}/rec/download/{kind}"
        return as_json(200, body)

    def _token(self, request: Request) -> Answer:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return as_json(400, fixture_json("zoom/token_invalid_client.json"))
        if request.query.get("grant_type") != "account_credentials":
            return as_json(
                400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}
            )
        if request.query.get("account_id") != self.account_id:
            # No recorded body for a wrong account id (SOURCES.md): the same shape.
            return as_json(400, {"reason": "Invalid account_id", "error": "invalid_request"})
        body = fixture_json("zoom/token.json") | {"access_token": self.tokens.issue()}
        return as_json(200, body)


# --- Microsoft Graph ---------------------------------------------------------


def graph_token(roles: list[str], serial: int) -> str:
    """A token shaped as Microsoft's: three base64url parts, `roles` in the payload."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    header = {"typ": "JWT", "alg": "RS256"}
    payload = {"aud": "https://graph.microsoft.com", "roles": roles, "n": serial}
    return f"{part(header)}.{part(payload)}.FAKE-SIGNATURE"


@dataclass
class GraphFake(Fake):
    """Microsoft's token endpoint and Graph v1.0 (fixtures/teams, teams/SOURCES.md)."""

    tenant_id: str = "00000000-0000-4000-8000-00000000a001"
    client_id: str = "00000000-0000-4000-8000-0000000000c1"
    client_secret: str = "FAKE~graph~client~secret"
    organizer: str = "organizer@example.org"
    roles: list[str] = field(
        default_factory=lambda: [
            "OnlineMeetings.ReadWrite.All",
            "OnlineMeetingArtifact.Read.All",
            "User.Read.All",
        ]
    )
    policy: bool = True
    tokens: Tokens = field(default_factory=lambda: Tokens("graph"))
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_external: dict[str, str] = field(default_factory=dict)
    ended: bool = False

    # "onlineMeeting": createOrGet (by external ID), update, delete; attendance reports.

    def _meetings(self, rest: str, request: Request) -> Answer:
        if rest == "createOrGet" and request.method == "POST":
            body = json.loads(request.body)
            if body["externalId"] in self.by_external:
                return as_json(200, self.meetings[self.by_external[body["externalId"]]])
            serial = len(self.meetings) + 1
            made = fixture_json("teams/online_meeting_created.json") | {
                "id": f"FAKE-online-meeting-{serial}",
                "externalId": body["externalId"],
                "subject": body["subject"],
                "startDateTime": body["startDateTime"],
                "endDateTime": body["endDateTime"],
                "joinWebUrl": f"https://teams.microsoft.com/l/meetup-join/FAKE-{serial}",
            }
            self.meetings[made["id"]] = made
            self.by_external[body["externalId"]] = made["id"]
            return as_json(201, made)
        meeting_id, _, tail = rest.partition("/")
        meeting = self.meetings.get(meeting_id)
        if meeting is None or meeting.get("deleted"):
            return as_json(404, fixture_json("teams/error_not_found.json"))
        if not tail and request.method == "PATCH":
            meeting.update(json.loads(request.body))
            return as_json(200, meeting)
        if not tail and request.method == "DELETE":
            meeting["deleted"] = True
            return 204, {}, b""
        if tail == "attendanceReports":
            if not self.ended:
                return as_json(200, {"value": []})
            return as_json(200, fixture_json("teams/attendance_reports.json"))
        if tail.startswith("attendanceReports/") and tail.endswith("/attendanceRecords"):
            report = tail.split("/")[1]
            if report != "00000000-0000-4000-8000-0000000000f1":
                return as_json(200, {"value": []})
            if request.query.get("$skiptoken"):
                return as_json(200, fixture_json("teams/attendance_records_page2.json"))
            page = fixture_json("teams/attendance_records_page1.json")
            page["@odata.nextLink"] = f"{self.url}/v1.0{request.path[len('/v1.0') :]}?$skiptoken=2"
            return as_json(200, page)
        return as_json(404, fixture_json("teams/error_not_found.json"))

    def route(self, request: Request) -> Answer:
        if request.path.endswith("/oauth2/v2.0/token") and request.method == "POST":
            return self._token(request)
        if not request.path.startswith("/v1.0/"):
            return as_json(404, fixture_json("teams/error_not_found.json"))
        if not self.tokens.bearer_ok(request):
            return as_json(401, fixture_json("teams/error_invalid_token.json"))
        path = request.path[len("/v1.0") :]
        user = fixture_json("teams/user.json")
        if "/onlineMeetings" in path and not self.policy:
            return as_json(403, fixture_json("teams/error_forbidden_policy.json"))
        if path.startswith("/users/") and path.endswith("/onlineMeetings"):
            return as_json(200, {"value": []})
        if path.startswith("/users/") and "/onlineMeetings/" in path:
            organizer, rest = path[len("/users/") :].split("/onlineMeetings/", 1)
            if organizer != user["id"]:
                return as_json(404, fixture_json("teams/error_not_found.json"))
            return self._meetings(rest, request)
        if path.startswith("/users/") and request.method == "GET":
            wanted = path[len("/users/") :]
            if wanted not in (self.organizer, user["id"]):
                return as_json(404, fixture_json("teams/error_not_found.json"))
            return as_json(
                200, user | {"mail": self.organizer, "userPrincipalName": self.organizer}
            )
        return as_json(404, fixture_json("teams/error_not_found.json"))

    def _token(self, request: Request) -> Answer:
        tenant = request.path.split("/")[1]
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if tenant != self.tenant_id:
            return as_json(400, fixture_json("teams/token_bad_tenant.json"))
        if form.get("client_id") != self.client_id:
            return as_json(400, fixture_json("teams/token_unknown_client.json"))
        if form.get("client_secret") != self.client_secret:
            return as_json(401, fixture_json("teams/token_invalid_secret.json"))
        if form.get("grant_type") != "client_credentials" or not form.get("scope", "").endswith(
            "/.default"
        ):
            return as_json(400, {"error": "invalid_request", "error_description": "AADSTS900144"})
        token = self.tokens.issue(graph_token(self.roles, self.tokens.issued + 1))
        return as_json(200, fixture_json("teams/token.json") | {"access_token": token})


# --- BigBlueButton -------------------------------------------------------------


@dataclass
class BigBlueButtonFake(Fake):
    """A BigBlueButton server's API at /bigbluebutton/api/ (fixtures/bbb, SOURCES.md)."""

    shared_secret: str = "FAKE-bbb-shared-secret-0123456789"
    algorithms: tuple[str, ...] = ("sha1", "sha256")
    version: str = "2.7.3"
    rooms: dict[str, dict[str, str]] = field(default_factory=dict)
    recorded: bool = False

    @property
    def api(self) -> str:
        return f"{self.url}/bigbluebutton/"

    def route(self, request: Request) -> Answer:
        prefix = "/bigbluebutton/api"
        if request.path.startswith("/textTrack/"):
            return 200, {"Content-Type": "text/vtt"}, TRANSCRIPT.read_bytes()
        if not request.path.startswith(prefix):
            return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"
        call = request.path[len(prefix) :].strip("/")
        if not call:
            root = fixture("bbb/api_root.xml").replace(
                b"</response>", f"<bbbVersion>{self.version}</bbbVersion>\n</response>".encode()
            )
            return self.xml(root)
        if not self.signed(call, request):
            return self.xml(fixture("bbb/checksum_error.xml"))
        handler: Callable[[Request], Answer] | None = getattr(self, f"on_{call}", None)
        if handler is None:
            return self.xml(
                b"<response><returncode>FAILED</returncode><messageKey>unsupportedRequest"
                b"</messageKey><message>This request is not supported.</message></response>"
            )
        return handler(request)

    def signed(self, call: str, request: Request) -> bool:
        given = request.query.get("checksum", "")
        unsigned = "&".join(
            p for p in request.query_string.split("&") if not p.startswith("checksum=")
        )
        for algorithm in self.algorithms:
            wanted = hashlib.new(algorithm, (call + unsigned + self.shared_secret).encode())
            if hmac.compare_digest(wanted.hexdigest(), given):
                return True
        return False

    @staticmethod
    def xml(body: bytes) -> Answer:
        return 200, {"Content-Type": "text/xml"}, body

    def on_getMeetings(self, request: Request) -> Answer:
        return self.xml(fixture("bbb/get_meetings_empty.xml"))

    def on_create(self, request: Request) -> Answer:
        meeting_id = request.query["meetingID"]
        again = meeting_id in self.rooms
        self.rooms.setdefault(meeting_id, dict(request.query))
        body = fixture("bbb/create_duplicate_warning.xml" if again else "bbb/create.xml")
        return self.xml(body.replace(b"echohub-fake-meeting-0001", meeting_id.encode()))

    def on_end(self, request: Request) -> Answer:
        if self.rooms.pop(request.query.get("meetingID", ""), None) is None:
            return self.xml(fixture("bbb/not_found.xml"))
        return self.xml(fixture("bbb/end.xml"))

    def on_getRecordings(self, request: Request) -> Answer:
        if not self.recorded:
            return self.xml(
                b"<response><returncode>SUCCESS</returncode><recordings></recordings>"
                b"<messageKey>noRecordings</messageKey><message>There are no recordings for "
                b"the meeting(s).</message></response>"
            )
        body = fixture("bbb/get_recordings.xml")
        return self.xml(
            body.replace(b"echohub-fake-meeting-0001", request.query["meetingID"].encode())
        )

    def on_getRecordingTextTracks(self, request: Request) -> Answer:
        tracks = fixture_json("bbb/get_recording_text_tracks.json")
        for track in tracks["response"]["tracks"]:
            track["href"] = f"{self.url}/textTrack/{track['lang']}.vtt"
        return as_json(200, tracks)
