"""Sending a batch to the logistician (when `LOGISTICIAN_URL` is set): a POST of the batch's
JSON file, signed, retried with a growing delay until the logistician answers 2xx.

Signature (docs/logistics.md): two headers,

    X-Logistique-Horodatage: <unix timestamp, seconds>
    X-Logistique-Signature: sha256=<hex HMAC-SHA256, key LOGISTICIAN_SECRET, of "<timestamp>.<body>">

The timestamp is signed with the body, so a captured request cannot be replayed later than the
receiver's tolerance (`TOLERANCE`); within it, the batch number (`X-Logistique-Lot`, and in the
body) makes a repeat recognisable. Pure Python."""
import hashlib
import hmac
from datetime import timedelta

TIMESTAMP_HEADER = "X-Logistique-Horodatage"
SIGNATURE_HEADER = "X-Logistique-Signature"
BATCH_HEADER = "X-Logistique-Lot"
TOLERANCE = 300            # seconds, both ways, for a receiver checking the timestamp
LEASE = timedelta(seconds=60)   # a claimed delivery is not claimed again before (HTTP timeout 10 s)
MAX_DELAY = 600            # seconds between two attempts, at most


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{int(timestamp)}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(secret: str, timestamp: int, body: bytes, batch_number: int) -> dict:
    return {"Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: str(int(timestamp)),
            SIGNATURE_HEADER: signature(secret, timestamp, body),
            BATCH_HEADER: str(int(batch_number))}


def verify(secret: str, timestamp, signature_value, body: bytes, now_ts: float,
           tolerance: int = TOLERANCE) -> bool:
    """What a receiver checks: the signature (in constant time) and a fresh timestamp."""
    try:
        ts = int(str(timestamp))
    except ValueError:
        return False
    expected = signature(secret, ts, body)
    good = hmac.compare_digest(expected.encode(), str(signature_value or "").encode("utf-8",
                                                                                     "replace"))
    return good and abs(now_ts - ts) <= tolerance


def retry_delay(attempts: int) -> timedelta:
    """After the `attempts`-th failed attempt: 1, 2, 4, 8 s … then every 10 minutes."""
    return timedelta(seconds=min(MAX_DELAY, 2 ** max(0, attempts - 1)))


def acknowledged(status: int) -> bool:
    return 200 <= status < 300
