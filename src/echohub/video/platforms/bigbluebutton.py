"""BigBlueButton: a server the hub runs or rents, and its shared secret
(docs/video.md#bigbluebutton).

Every call is a GET of `<server>/api/<call>?<query>&checksum=<hash>`, the hash
being of the call's name, its query string and the shared secret; answers are
XML with a `returncode` and, on failure, a `messageKey`. Servers since 2.6
take SHA-256 checksums, older ones SHA-1: the test finds which.
"""

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from xml.etree.ElementTree import Element

import requests
from defusedxml import ElementTree
from django.utils.translation import gettext_lazy as _

from echohub.video.platforms.base import Checked, Described, Field, Http, Problem

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
    except ElementTree.ParseError as error:
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
