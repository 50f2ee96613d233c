"""Webhook signatures as hosted-payment providers make them (Stripe's scheme):

    Sandbox-Signature: t=<unix timestamp>,v1=<hex HMAC-SHA256 of f"{t}.{raw_body}">

The timestamp is signed with the body, so a captured notification cannot be replayed after
`TOLERANCE` seconds; within that window the provider's `event_id` makes a replay a duplicate.
Several `v1=` values are accepted (a secret being rotated). Pure Python."""
import hashlib
import hmac

from .providers import CallbackRejected

HEADER = "Sandbox-Signature"
TOLERANCE = 300  # seconds, both ways


def compute(secret: str, timestamp: int, raw_body: bytes) -> str:
    message = f"{int(timestamp)}.".encode() + raw_body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header_value(secret: str, timestamp: int, raw_body: bytes) -> str:
    return f"t={int(timestamp)},v1={compute(secret, timestamp, raw_body)}"


def parse_header(value) -> tuple[int, list]:
    if not isinstance(value, str) or not value or len(value) > 1000:
        raise CallbackRejected("Signature absente : en-tête Sandbox-Signature attendu.",
                               "missing_signature")
    timestamp, signatures = None, []
    for part in value.split(","):
        key, _, item = part.strip().partition("=")
        if key == "t" and item.isascii() and item.isdigit() and len(item) <= 12:
            timestamp = int(item)
        elif key == "v1" and item:
            signatures.append(item)
    if timestamp is None or not signatures:
        raise CallbackRejected("Signature mal formée : « t=<horodatage>,v1=<signature> » attendu.",
                               "invalid_signature")
    return timestamp, signatures


def verify(secret: str, value, raw_body: bytes, now_ts: float, tolerance: int = TOLERANCE) -> int:
    """The signed timestamp, or CallbackRejected: missing, malformed, forged, stale or future."""
    timestamp, signatures = parse_header(value)
    expected = compute(secret, timestamp, raw_body)
    # compare every candidate in constant time, without stopping at the first match
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected.encode(), candidate.encode("utf-8", "replace"))
    if not matched:
        raise CallbackRejected("Signature invalide.", "invalid_signature")
    if abs(now_ts - timestamp) > tolerance:
        raise CallbackRejected("Signature périmée : horodatage à plus de 5 minutes de l'heure "
                               "actuelle.", "stale_signature")
    return timestamp
