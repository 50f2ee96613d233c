from datetime import datetime, timedelta, timezone

import pytest

from services.notifications import handlers, mails
from services.notifications.models import Base, Mail
from tests.support.fakes import sqlite_database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def test_reset_mail_has_the_link_and_the_expiry_in_french_time():
    to, subject, body = mails.render("password_reset_requested", {
        "account_id": 1, "email": "achats@ecole.fr", "token": "TOKEN123",
        "expires_at": "2026-12-01T10:00:00+00:00"}, "https://librairie.test/")
    assert to == "achats@ecole.fr"
    assert "https://librairie.test/mot-de-passe/nouveau/TOKEN123" in body
    assert "1 décembre 2026 à 11:00" in body  # Paris is UTC+1 in December


def test_account_created_mail_names_the_role_and_clients():
    _, subject, body = mails.render("account_created", {
        "account_id": 3, "email": "chef@ecole.fr", "role": "approbateur",
        "client_names": ["ECOLE JULES FERRY"], "created_by_email": "achats@ecole.fr"},
        "http://localhost:8000")
    assert subject == "Votre compte collectivité a été créé"
    assert "« Approbateur »" in body and "ECOLE JULES FERRY" in body
    assert "par achats@ecole.fr" in body


class Transport:
    def __init__(self, fail=0):
        self.sent, self.fail = [], fail

    def send(self, mail_id, msg):
        if self.fail:
            self.fail -= 1
            raise ConnectionRefusedError("SMTP down")
        self.sent.append(msg)


@pytest.fixture
def db(tmp_path):
    with sqlite_database("notifications", Base, tmp_path) as database:
        yield database


def test_mails_wait_while_smtp_is_down_then_go_once(db):
    with db.transaction() as s:
        handlers.queue_mail(s, "account_created", {
            "account_id": 3, "email": "chef@ecole.fr", "role": "approbateur",
            "client_names": [], "created_by_email": ""}, {"event_id": "e1"}, NOW, "http://x")
    transport = Transport(fail=1)
    clock = [NOW]
    assert handlers.send_due(db, transport, lambda: clock[0]) == 0
    with db.transaction() as s:
        mail = s.get(Mail, 1)
        assert mail.sent_at is None and "SMTP down" in mail.last_error
    assert handlers.send_due(db, transport, lambda: clock[0]) == 0  # backing off
    clock[0] = NOW + timedelta(seconds=5)
    assert handlers.send_due(db, transport, lambda: clock[0]) == 1
    assert handlers.send_due(db, transport, lambda: clock[0]) == 0
    assert [m["To"] for m in transport.sent] == ["chef@ecole.fr"]
    with db.transaction() as s:
        listing = handlers.list_mails(s)
    assert listing["pending"] == 0 and listing["mails"][0]["attempts"] == 2


class Refusing:
    """An SMTP server that refuses some recipients for good (5xx) or for now (4xx)."""

    def __init__(self, code):
        self.code, self.sent, self.calls = code, [], 0

    def send(self, mail_id, msg):
        import smtplib
        self.calls += 1
        if msg["To"].startswith("refused"):
            raise smtplib.SMTPRecipientsRefused({msg["To"]: (self.code, b"No such user")})
        self.sent.append(msg["To"])


def _queue(db, *emails):
    with db.transaction() as s:
        for i, email in enumerate(emails):
            s.add(Mail(kind="account_created", event_id=f"e{i}", to_addr=email, subject="S",
                       body="B", created_at=NOW, next_attempt_at=NOW, attempts=0))


def test_a_mail_refused_for_good_is_marked_failed_not_retried_forever(db):
    _queue(db, "x@y.fr\r\nbcc: victim@example.org", "refused@ecole.fr", "ok@ecole.fr")
    transport = Refusing(550)
    clock = [NOW]
    assert handlers.send_due(db, transport, lambda: clock[0]) == 1
    assert transport.sent == ["ok@ecole.fr"]  # the failures did not block the others
    for minutes in range(1, 30):  # nothing is retried later
        clock[0] = NOW + timedelta(minutes=minutes)
        handlers.send_due(db, transport, lambda: clock[0])
    assert transport.calls == 2
    with db.transaction() as s:
        listing = handlers.list_mails(s)
    failed = {m["to"]: m for m in listing["mails"] if m["failed_at"]}
    assert set(failed) == {"x@y.fr\r\nbcc: victim@example.org", "refused@ecole.fr"}
    assert "550" in failed["refused@ecole.fr"]["last_error"]
    assert listing["pending"] == 0


def test_a_temporary_refusal_is_retried(db):
    _queue(db, "refused@ecole.fr")
    transport = Refusing(450)
    clock = [NOW]
    handlers.send_due(db, transport, lambda: clock[0])
    clock[0] = NOW + timedelta(minutes=5)
    handlers.send_due(db, transport, lambda: clock[0])
    assert transport.calls == 2
    with db.transaction() as s:
        assert handlers.list_mails(s)["pending"] == 1
