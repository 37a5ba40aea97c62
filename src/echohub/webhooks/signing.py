"""How a delivery is signed, and how a receiver checks it (docs/api.md shows the same).

    EchoHub-Timestamp: 1767225600
    EchoHub-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

The timestamp is inside what is signed, so a receiver that refuses old timestamps
(five minutes is plenty) cannot be fed a recorded delivery again.
"""

import hashlib
import hmac
import time

TOLERANCE = 300  # seconds


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, header: str, body: bytes, *, now: float = 0) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((now or time.time()) - sent) > TOLERANCE:
        return False
    expected = signature(secret, sent, body)
    return any(hmac.compare_digest(expected, part.strip()) for part in header.split(","))
