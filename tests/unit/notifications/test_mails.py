from datetime import datetime, timedelta, timezone

import pytest

from services.notifications import domain, presenters, use_cases
from services.notifications.models import Base, Mail
from tests.support.fakes import database_fixture

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def test_reset_mail_has_the_link_and_the_expiry_in_french_time():
    to, subject, body = presenters.render("password_reset_requested", {
        "account_id": 1, "email": "achats@ecole.fr", "token": "TOKEN123",
        "expires_at": "2026-12-01T10:00:00+00:00"}, "https://librairie.test/")
    assert to == "achats@ecole.fr"
    assert "https://librairie.test/mot-de-passe/nouveau/TOKEN123" in body
    assert "1 décembre 2026 à 11:00" in body  # Paris is UTC+1 in December


def test_account_created_mail_names_the_role_and_clients():
    _, subject, body = presenters.render("account_created", {
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


db = database_fixture("notifications", Base)


def test_mails_wait_while_smtp_is_down_then_go_once(db):
    with db.transaction() as s:
        use_cases.queue_mail(s, "account_created", {
            "account_id": 3, "email": "chef@ecole.fr", "role": "approbateur",
            "client_names": [], "created_by_email": ""}, {"event_id": "e1"}, NOW, "http://x")
    transport = Transport(fail=1)
    clock = [NOW]
    assert use_cases.send_due(db, transport, lambda: clock[0]) == 0
    with db.transaction() as s:
        mail = s.get(Mail, 1)
        assert mail.sent_at is None and "SMTP down" in mail.last_error
    assert use_cases.send_due(db, transport, lambda: clock[0]) == 0  # backing off
    clock[0] = NOW + timedelta(seconds=5)
    assert use_cases.send_due(db, transport, lambda: clock[0]) == 1
    assert use_cases.send_due(db, transport, lambda: clock[0]) == 0
    assert [m["To"] for m in transport.sent] == ["chef@ecole.fr"]
    with db.transaction() as s:
        listing = use_cases.list_mails(s)
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
    assert use_cases.send_due(db, transport, lambda: clock[0]) == 1
    assert transport.sent == ["ok@ecole.fr"]  # the failures did not block the others
    for minutes in range(1, 30):  # nothing is retried later
        clock[0] = NOW + timedelta(minutes=minutes)
        use_cases.send_due(db, transport, lambda: clock[0])
    assert transport.calls == 2
    with db.transaction() as s:
        listing = use_cases.list_mails(s)
    failed = {m["to"]: m for m in listing["mails"] if m["failed_at"]}
    assert set(failed) == {"x@y.fr\r\nbcc: victim@example.org", "refused@ecole.fr"}
    assert "550" in failed["refused@ecole.fr"]["last_error"]
    assert listing["pending"] == 0


def test_a_temporary_refusal_is_retried(db):
    _queue(db, "refused@ecole.fr")
    transport = Refusing(450)
    clock = [NOW]
    use_cases.send_due(db, transport, lambda: clock[0])
    clock[0] = NOW + timedelta(minutes=5)
    use_cases.send_due(db, transport, lambda: clock[0])
    assert transport.calls == 2
    with db.transaction() as s:
        assert use_cases.list_mails(s)["pending"] == 1


class Killed(BaseException):
    """The process dying in the middle of the SMTP exchange."""


class DyingTransport(Transport):
    def __init__(self, die_after_send):
        super().__init__()
        self.die_after_send = die_after_send

    def send(self, mail_id, msg):
        self.sent.append(msg)
        if self.die_after_send:
            self.die_after_send = False
            raise Killed()


def queue_one(db, event_id="e-42"):
    with db.transaction() as s:
        use_cases.queue_mail(s, "account_created", {
            "account_id": 3, "email": "chef@ecole.fr", "role": "approbateur",
            "client_names": [], "created_by_email": ""}, {"event_id": event_id}, NOW, "http://x")


def test_a_mail_is_marked_sending_before_the_smtp_call_and_a_repeat_keeps_its_message_id(db):
    queue_one(db)
    transport = DyingTransport(die_after_send=True)
    with pytest.raises(Killed):
        use_cases.send_due(db, transport, lambda: NOW)
    with db.transaction() as s:  # the mark was committed before the send
        mail = s.get(Mail, 1)
        assert mail.last_error == use_cases.SENDING and mail.sent_at is None
    # a restart does not send it again while its lease runs...
    assert use_cases.send_due(db, transport, lambda: NOW + timedelta(seconds=30)) == 0
    # ...then sends it again, recognisably the same message
    later = NOW + domain.SEND_LEASE + timedelta(seconds=1)
    assert use_cases.send_due(db, transport, lambda: later) == 1
    first, second = transport.sent
    assert first["Message-ID"] == second["Message-ID"]
    assert "e-42" in first["Message-ID"]
    assert use_cases.send_due(db, transport, lambda: later) == 0


def test_the_file_transport_does_not_send_an_interrupted_mail_that_got_through(db, tmp_path):
    from services.notifications.adapters.transport import FileTransport

    class DyingFiles(FileTransport):
        die = True

        def send(self, mail_id, msg):
            super().send(mail_id, msg)
            if self.die:
                self.die = False
                raise Killed()

    queue_one(db)
    transport = DyingFiles(tmp_path / "mail")
    with pytest.raises(Killed):
        use_cases.send_due(db, transport, lambda: NOW)
    later = NOW + domain.SEND_LEASE + timedelta(seconds=1)
    assert use_cases.send_due(db, transport, lambda: later) == 1
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
    with db.transaction() as s:
        assert s.get(Mail, 1).sent_at is not None


def test_message_ids_come_from_the_event_and_the_recipient():
    from services.notifications.adapters.transport import message_id
    assert message_id(1, "a@b.fr", "ev-1") == message_id(99, "A@B.fr ", "ev-1")
    assert message_id(1, "a@b.fr", "ev-1") != message_id(1, "c@b.fr", "ev-1")
    assert message_id(1, "a@b.fr", "ev-1") != message_id(1, "a@b.fr", "ev-2")


def test_replies_reach_the_bookshop_not_the_no_reply_sender(monkeypatch):
    """Issue 8 §5: the « prête » mail asks for a reply, sent from ne-pas-repondre@ with no
    Reply-To. Replies now go to the bookshop's contact address (configurable)."""
    from services.notifications.adapters.transport import build_message
    msg = build_message(1, "a@b.fr", "s", "corps")
    assert "contact@librairie.test" in msg["Reply-To"]
    monkeypatch.setenv("BOOKSHOP_CONTACT_EMAIL", "bonjour@ma-librairie.fr")
    assert "bonjour@ma-librairie.fr" in build_message(2, "a@b.fr", "s", "c")["Reply-To"]


def test_the_ready_mail_gives_the_bookshop_contact():
    from tests.unit.notifications.test_grouped_order_mails import received
    _, _, body = presenters.render("grouped_order_made_available",
                              received("grouped_order_made_available"), "x")
    assert "contact@librairie.test" in body


def test_an_events_mails_go_when_its_consumer_ends_not_at_the_next_tick(db):
    """Issue 11 (P2): the validation mail waited for the one-second timer. The consumer's end
    (the result of an event handler that processed its event) now sends what it queued; other
    workers, and consumers that skipped their event, send nothing; a send already running in
    the process is not doubled."""
    from types import SimpleNamespace

    import eventlet
    from nameko.events import EventHandler
    from nameko.timer import Timer

    from services.notifications.service import MailTransport, Store
    store = Store(Base.metadata)
    store.database = db
    spawned = []
    provider = MailTransport()
    provider.container = SimpleNamespace(dependencies={store, provider},
                                         spawn_managed_thread=spawned.append)
    provider.transport, provider.lock = Transport(), eventlet.semaphore.Semaphore()
    with db.transaction() as s:
        use_cases.queue_mail(s, "account_created", {
            "account_id": 3, "email": "chef@ecole.fr", "role": "approbateur",
            "client_names": [], "created_by_email": ""}, {"event_id": "e1"}, NOW, "http://x")
    provider.worker_result(SimpleNamespace(entrypoint=Timer(interval=1)), None)
    assert spawned == []
    consumer = SimpleNamespace(entrypoint=EventHandler("accounts", "account_created"))
    for nothing_queued in ("skipped", "duplicate", None):  # issue 11: no send for nothing
        provider.worker_result(consumer, nothing_queued)
    assert spawned == []
    provider.worker_result(consumer, "processed")
    (send,) = spawned
    with provider.lock:  # a send running already: this one leaves the mail to it
        send()
    assert provider.transport.sent == []
    send()
    assert [m["To"] for m in provider.transport.sent] == ["chef@ecole.fr"]
    with db.transaction() as s:
        assert s.get(Mail, 1).sent_at is not None


def test_a_long_subject_with_accents_reads_back_as_written():
    """Python's folding (3.11) lost or doubled a space where it folded next to an encoded word:
    « … groupée référence » arrived as « … groupéeréférence », « devis n° 1 » as « devis  n°
    1 ». Every subject now decodes to its very text, on lines of 78 characters at most, each
    encoded word within RFC 2047's 75, whichever way the message is written out."""
    import email
    import email.policy
    import random
    import re

    from services.notifications.adapters.transport import build_message
    words = ("Votre demande de devis n° 1 pour ÉCOLE JULES FERRY est enregistrée référence "
             "collectivité ABC commande groupée « Le Petit Prince » prête 12,50 € "
             "COLLÈGE\u202fVICTOR").split(" ")
    rng = random.Random(11)
    subjects = ["de collectivité « ABC Le est JULES groupée référence référence",
                "Votre pour FERRY Prince commande demande JULES demande FERRY Le collectivité"]
    subjects += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
                 for _ in range(400)]
    for subject in subjects:
        msg = build_message(1, "parent@example.fr", subject, "corps")
        assert msg["Subject"] == subject
        for raw in (bytes(msg), msg.as_bytes(policy=email.policy.SMTP)):
            back = email.message_from_bytes(raw, policy=email.policy.default)
            assert back["Subject"] == subject, raw
            head = raw.split(b"\n\n")[0].split(b"\r\n\r\n")[0]
            assert all(len(line.rstrip(b"\r")) <= 78 for line in head.splitlines())
            assert all(len(w) <= 75 for w in re.findall(rb"=\?[^?]+\?[bqBQ]\?[^?]*\?=", head))


def test_a_line_break_in_a_subject_makes_no_other_header():
    from services.notifications.adapters.transport import build_message
    msg = build_message(1, "a@b.fr", "Panier « CM2\r\nBcc: x@y.fr » à valider", "corps")
    assert msg["Bcc"] is None and msg["Subject"] == "Panier « CM2 Bcc: x@y.fr » à valider"
    ascii_msg = build_message(2, "a@b.fr", "Panier CM2\nBcc: x@y.fr", "corps")
    assert ascii_msg["Bcc"] is None and b"\nBcc" not in bytes(ascii_msg)
