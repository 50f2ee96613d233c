"""The sandbox's webhook signature: HMAC-SHA256 over f"{t}.{raw_body}", 5 minutes either way."""
import json
from datetime import datetime, timezone

import pytest

from services.payments.adapters import signatures
from services.payments.adapters.providers import CallbackRejected, parse_notification

SECRET = "sandbox-dev-secret"
NOW = 1_800_000_000
BODY = json.dumps({"event_id": "evt_1", "type": "payment.succeeded", "checkout_id": "chk_1",
                   "amount": "14.90", "occurred_at": "2027-01-15T08:00:00+00:00"}).encode()


def rejected(header, body=BODY, now=NOW) -> str:
    with pytest.raises(CallbackRejected) as exc:
        signatures.verify(SECRET, header, body, now)
    return exc.value.code


def test_a_valid_signature_is_accepted():
    header = signatures.header_value(SECRET, NOW, BODY)
    assert header.startswith(f"t={NOW},v1=") and len(header.split("v1=")[1]) == 64
    assert signatures.verify(SECRET, header, BODY, NOW) == NOW
    assert signatures.verify(SECRET, header, BODY, NOW + 299) == NOW


def test_the_signature_is_an_hmac_of_timestamp_dot_body():
    import hashlib
    import hmac
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signatures.compute(SECRET, NOW, BODY) == expected


def test_a_forged_signature_is_refused():
    assert rejected(signatures.header_value("another-secret", NOW, BODY)) == "invalid_signature"
    assert rejected(f"t={NOW},v1={'0' * 64}") == "invalid_signature"
    assert rejected(f"t={NOW},v1=é") == "invalid_signature"


def test_a_tampered_body_is_refused():
    header = signatures.header_value(SECRET, NOW, BODY)
    assert rejected(header, BODY.replace(b"14.90", b"0.01")) == "invalid_signature"


def test_a_changed_timestamp_breaks_the_signature():
    good = signatures.header_value(SECRET, NOW, BODY)
    forged = good.replace(f"t={NOW}", f"t={NOW + 1000}")
    assert rejected(forged, now=NOW + 1000) == "invalid_signature"


def test_a_stale_or_future_signature_is_refused():
    old = signatures.header_value(SECRET, NOW - 301, BODY)
    assert rejected(old) == "stale_signature"
    future = signatures.header_value(SECRET, NOW + 301, BODY)
    assert rejected(future) == "stale_signature"


@pytest.mark.parametrize("header", [None, "", "v1=abc", f"t={NOW}", "t=abc,v1=00",
                                    "garbage", "t=" + "9" * 40 + ",v1=00", "x" * 2000])
def test_a_missing_or_malformed_header_is_refused(header):
    assert rejected(header) in ("missing_signature", "invalid_signature")


def test_one_of_several_signatures_may_match():
    good = signatures.header_value(SECRET, NOW, BODY)
    header = f"t={NOW},v1={'a' * 64},{good.split(',')[1]}"
    assert signatures.verify(SECRET, header, BODY, NOW) == NOW


def test_the_notification_is_read():
    event = parse_notification(BODY)
    assert (event.event_id, event.type, event.checkout_id) == \
        ("evt_1", "payment.succeeded", "chk_1")
    assert str(event.amount) == "14.90"
    assert event.occurred_at == datetime(2027, 1, 15, 8, tzinfo=timezone.utc)


@pytest.mark.parametrize("body", [
    b"", b"\xff\xfe", b"[1, 2]", b"not json", b"[" * 100_000,
    json.dumps({"type": "payment.succeeded"}).encode(),
    json.dumps({"event_id": "e", "type": "payment.stolen", "checkout_id": "c", "amount": "1",
                "occurred_at": "2027-01-01T00:00:00"}).encode(),
    json.dumps({"event_id": "e", "type": "payment.succeeded", "checkout_id": "c",
                "amount": 14.9, "occurred_at": "2027-01-01T00:00:00"}).encode(),
    json.dumps({"event_id": "e", "type": "payment.succeeded", "checkout_id": "c",
                "amount": "1", "occurred_at": "hier"}).encode(),
    json.dumps({"event_id": 5, "type": "payment.succeeded", "checkout_id": "c",
                "amount": "1", "occurred_at": "2027-01-01T00:00:00"}).encode(),
    json.dumps({"event_id": "e", "type": "refund.succeeded", "checkout_id": "c",
                "amount": "1", "occurred_at": "2027-01-01T00:00:00"}).encode(),
])
def test_an_unreadable_notification_is_refused(body):
    with pytest.raises(CallbackRejected):
        parse_notification(body)
