"""Webhook signatures: HMAC-SHA256 over ``timestamp.body`` (as Stripe signs its webhooks).

The timestamp is inside the signed text, so a receiver that refuses old timestamps is safe
from replays of a captured delivery.
"""

import hashlib
import hmac

HEADER = "SW-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver runs: the signature matches and is no older than ``tolerance`` seconds."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = sign(secret, timestamp, body)
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected.encode(), header.encode())
