"""A real HTTP receiver on loopback that records what it is sent and answers as told."""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.api.conftest import make_token  # noqa: F401 (the fixture, shared)


@dataclass
class Received:
    headers: Message  # as the server read them: names in any case
    body: bytes
    method: str = "POST"
    path: str = ""

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    # What to answer next, in turn: (status, seconds to wait first); then 200 at once.
    answers: list[tuple[int, float]] = field(default_factory=list)

    @property
    def events(self) -> list[str]:
        return [r.headers["EchoHub-Event"] for r in self.received]


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # http on 127.0.0.1, for this test only
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            found.received.append(Received(self.headers, body, self.command, self.path))
            status, wait = found.answers.pop(0) if found.answers else (200, 0.0)
            time.sleep(wait)
            answer = b'{"ok": true}' if status < 300 else b"receiver down for maintenance"
            if status == 204:
                answer = b""
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the sender gave up waiting

        do_PUT = do_POST

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}/echohub"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
