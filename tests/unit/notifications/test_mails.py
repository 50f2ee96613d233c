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


def test_replies_reach_the_bookshop_not_the_no_reply_sender(monkeypatch):
    """Issue 8 §5: the « prête » mail asks for a reply, sent from ne-pas-repondre@ with no
    Reply-To. Replies now go to the bookshop's contact address (configurable)."""
    from services.notifications.transport import build_message
    msg = build_message(1, "a@b.fr", "s", "corps")
    assert "contact@librairie.test" in msg["Reply-To"]
    monkeypatch.setenv("BOOKSHOP_CONTACT_EMAIL", "bonjour@ma-librairie.fr")
    assert "bonjour@ma-librairie.fr" in build_message(2, "a@b.fr", "s", "c")["Reply-To"]


def test_the_ready_mail_gives_the_bookshop_contact():
    from tests.unit.notifications.test_grouped_order_mails import received
    _, _, body = mails.render("grouped_order_made_available",
                              received("grouped_order_made_available"), "x")
    assert "contact@librairie.test" in body
