"""Recording links from the common hosts, as an embedded player that can start at a moment.

YouTube and Vimeo play in their own privacy-minded embeds (allowed by the
page's Content-Security-Policy `frame-src`); a Zoom cloud recording cannot be
embedded, so it is a link that Zoom opens at the moment given.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")


@dataclass(frozen=True)
class Player:
    host: str  # "youtube", "vimeo" or "zoom"
    video_id: str
    url: str

    @property
    def embeds(self) -> bool:
        return self.host in ("youtube", "vimeo")

    def at(self, seconds: int = 0) -> str:
        """The address that plays from `seconds` (the embed, or Zoom's own page)."""
        seconds = max(0, int(seconds))
        if self.host == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?start={seconds}"
        if self.host == "vimeo":
            return f"https://player.vimeo.com/video/{self.video_id}#t={seconds}s"
        return f"{self.url.split('#')[0]}#t={seconds}" if seconds else self.url


def player_for(url: str) -> Player | None:
    """The player for a recording address, or None for a host EchoHub does not know."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/").split("/")
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = parse_qs(parts.query).get("v", [""])[0]
        if not video and len(path) >= 2 and path[0] in ("embed", "shorts", "live"):
            video = path[1]
        return Player("youtube", video, url) if _YOUTUBE_ID.match(video) else None
    if host == "youtu.be" and path and _YOUTUBE_ID.match(path[0]):
        return Player("youtube", path[0], url)
    if host in ("vimeo.com", "player.vimeo.com"):
        video = next((p for p in path if _VIMEO_ID.match(p)), "")
        return Player("vimeo", video, url) if video else None
    if host.endswith("zoom.us") and "rec" in path:
        return Player("zoom", path[-1], url)
    return None
