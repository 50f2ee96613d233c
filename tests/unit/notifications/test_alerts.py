"""New-order alerts (issue 9, reference 002 §1): the bookshop's mail and SMS for each new order,
the SMS outbox and its sender (file outbox, HTTP provider against a fake server)."""
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from services.common.contracts.events import CONTRACTS, load_envelope, make_envelope
from services.notifications import domain, use_cases
from services.notifications.adapters import sms as sms_adapter
from services.notifications.models import Base, Mail, Sms
from tests.support.fake_sms import FakeSmsProvider
from tests.support.fakes import database_fixture
from tests.unit.notifications.test_grouped_order_mails import PAYLOADS

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
LINE = {"ean": "9782070612758", "title": "Le Petit Prince", "quantity": 30,
        "public_price_ttc": "8.00", "discount_percent": "9", "unit_price_ttc": "7.28",
        "total_ttc": "218.40", "vat_rate": "5.5", "discount_amount": "21.60",
        "total_ht": "207.01", "vat_amount": "11.39"}
DOCUMENT = {"number": 12, "client_number": "21", "client_name": "ÉCOLE JULES FERRY",
            "basket_number": 4, "basket_name": "CM2", "basket_creator_email": "u@ecole.fr",
            "placed_by_email": "achats@ecole.fr", "reference": "BC-7", "lines": [LINE],
            "totals": {"discount_total": "21.60", "subtotal_ht": "207.01",
                       "vat_total": "11.39", "subtotal_ttc": "218.40", "total_ttc": "218.40"},
            "placed_at": "2026-12-01T09:00:00+00:00", "comment": "", "contact_name": "",
            "contact_email": "", "contact_phone": "", "delivery_label": "", "billing_label": "",
            "detail_url": ""}
ALERTS = {"sub_order_paid": PAYLOADS["sub_order_paid"],
          "grouped_order_validated": PAYLOADS["grouped_order_validated"],
          "collectivity_order_placed": DOCUMENT, "quote_requested": DOCUMENT}

db = database_fixture("notifications", Base)


@pytest.fixture
def shop(monkeypatch):
    monkeypatch.setenv("BOOKSHOP_CONTACT_EMAIL", "Contact@Librairie.test")
    monkeypatch.setenv("BOOKSHOP_MOBILE", "06 12 34 56 78")
    monkeypatch.setenv("BOOKSHOP_NAME", "Librairie des Collectivités")


@pytest.mark.parametrize("kind", sorted(ALERTS))
def test_the_alert_payloads_here_are_what_the_contracts_carry(kind):
    loaded = load_envelope(kind, make_envelope(kind, ALERTS[kind], CONTRACTS[kind].source))[1]
    assert domain.order_alert(kind, loaded) == domain.order_alert(kind, ALERTS[kind])


def test_the_four_new_order_events_are_alerts_and_the_others_not():
    assert set(domain.ALERT_KINDS) == set(ALERTS)
    assert not domain.is_alert("sub_order_cancelled")


@pytest.mark.parametrize("kind", sorted(ALERTS))
def test_every_alert_sms_is_short_french_and_gsm(kind):
    alert = domain.order_alert(kind, ALERTS[kind])
    text = domain.sms_text(alert, "Librairie des Collectivités")
    assert len(text) <= 160
    assert set(text) <= domain.alerts.GSM_CHARS
    # a quote request is no order (« Nouvelle commande : Devis 12 » said it was)
    assert text.startswith("Nouvelle demande de devis 12, " if kind == "quote_requested" else
                           "Nouvelle commande : ") and "EUR TTC" in text


def test_the_sms_says_which_order_whom_and_how_much():
    alert = domain.order_alert("sub_order_paid", PAYLOADS["sub_order_paid"])
    assert domain.sms_text(alert, "Librairie des Collectivités") == (
        "Nouvelle commande : Sous-cde 147 (groupée 62), Jared Leto, 29,80 EUR TTC. "
        "Librairie des Collectivités")


def test_a_long_customer_name_is_shortened_not_the_amount():
    payload = dict(DOCUMENT, client_name="ÉTABLISSEMENT " * 20 + "🎉")
    text = domain.sms_text(domain.order_alert("quote_requested", payload), "Librairie")
    assert len(text) == 160 and text.endswith("..., 218,40 EUR TTC. Librairie")
    assert "🎉" not in text and set(text) <= domain.alerts.GSM_CHARS


def test_gsm_replaces_what_a_phone_would_switch_to_unicode_for():
    assert domain.gsm("Crème brûlée « à » l’été — 5 €") == 'Crème brulée " à " l\'été - 5 EUR'


def test_mobile_numbers_become_international():
    assert domain.mobile_number("06 12 34 56 78") == "+33612345678"
    assert domain.mobile_number("0033 6.12.34.56.78") == "+33612345678"
    assert domain.mobile_number("") == ""


def test_amounts_are_written_the_french_way():
    assert domain.amount_label(Decimal("1234.5")) == "1234,50 EUR"


@pytest.mark.parametrize("kind, path", [
    ("sub_order_paid", "/admin/commandes/sub_order/147"),
    ("grouped_order_validated", "/admin/commandes-groupees/62"),
    ("collectivity_order_placed", "/admin/commandes-collectivite/12"),
    ("quote_requested", "/admin/devis-collectivite/12")])
def test_an_alert_queues_a_bookshop_mail_and_an_sms_in_the_event_transaction(db, shop, kind,
                                                                             path):
    with db.transaction() as s:
        rows = use_cases.alert_for_event(s, kind, ALERTS[kind], {"event_id": "ev-1"}, NOW,
                                         "https://librairie.test/")
    already_mailed = kind in ("collectivity_order_placed", "quote_requested")
    # a quote request or a collectivity order already mails the order desk: only the SMS
    assert [type(r) for r in rows] == ([Sms] if already_mailed else [Mail, Sms])
    with db.transaction() as s:
        sms = s.query(Sms).one()
        assert sms.to_number == "+33612345678" and sms.event_id == "ev-1"
        if already_mailed:
            assert s.query(Mail).count() == 0
            return
        mail = s.query(Mail).one()
        assert mail.to_addr == "commandes@librairie.test" and mail.kind == "new_order_alert"
        assert f"Voir la commande dans l'administration : https://librairie.test{path}" \
            in mail.body
        assert "TTC" in mail.subject and "TTC" in mail.body


def test_the_sub_order_mail_says_what_by_whom_and_the_amount(db, shop):
    with db.transaction() as s:
        mail, _ = use_cases.alert_for_event(s, "sub_order_paid", ALERTS["sub_order_paid"],
                                            {"event_id": "ev-1"}, NOW, "http://x")
        assert mail.subject == ("Nouvelle commande : Sous-commande n° 147 payée (commande "
                                "groupée n° 62) — 29,80\u00a0€ TTC")
        assert "Client : Jared Leto (jared.leto@free.fr)" in mail.body
        assert "- WESTERN COQUILLETTES × 2" in mail.body
        assert "Montant : 29,80\u00a0€ TTC" in mail.body


def test_no_mobile_no_sms_and_other_events_no_alert(db, monkeypatch):
    monkeypatch.delenv("BOOKSHOP_MOBILE", raising=False)
    with db.transaction() as s:
        # no mobile: the sub-order's alert is its mail only; a quote request (already mailed
        # to the order desk) adds nothing
        assert len(use_cases.alert_for_event(s, "sub_order_paid", ALERTS["sub_order_paid"],
                                             {"event_id": "ev-2"}, NOW, "http://x")) == 1
        assert use_cases.alert_for_event(s, "quote_requested", DOCUMENT,
                                         {"event_id": "ev-4"}, NOW, "http://x") == []
        assert use_cases.alert_for_event(s, "sub_order_cancelled", {}, {"event_id": "e3"},
                                         NOW, "http://x") == []
    with db.transaction() as s:
        assert s.query(Sms).count() == 0


def test_one_sms_per_event_and_recipient(db, shop):
    with db.transaction() as s:
        use_cases.alert_for_event(s, "quote_requested", DOCUMENT, {"event_id": "ev-4"}, NOW,
                                  "http://x")
    with pytest.raises(IntegrityError):
        with db.transaction() as s:
            s.add(Sms(kind="quote_requested", event_id="ev-4", to_number="+33612345678",
                      text="x", created_at=NOW, next_attempt_at=NOW, attempts=0))


def queue_sms(db, *events):
    with db.transaction() as s:
        for event_id in events:
            s.add(Sms(kind="sub_order_paid", event_id=event_id, to_number="+33612345678",
                      text="Nouvelle commande", created_at=NOW, next_attempt_at=NOW,
                      attempts=0))


def test_the_file_outbox_writes_one_file_per_sms_and_the_admin_lists_them(db, tmp_path):
    queue_sms(db, "e1", "e2")
    provider = sms_adapter.FileSmsProvider(tmp_path / "sms")
    assert use_cases.send_due_sms(db, provider, lambda: NOW) == 2
    assert use_cases.send_due_sms(db, provider, lambda: NOW) == 0
    files = sorted((tmp_path / "sms").iterdir())
    assert [f.name for f in files] == ["00000001.json", "00000002.json"]
    first = json.loads(files[0].read_text())
    assert first["to"] == "+33612345678" and first["text"] == "Nouvelle commande"
    assert first["id"] == sms_adapter.sms_id("e1", "+33612345678")
    with db.transaction() as s:
        listing = use_cases.list_sms(s)
    assert listing["pending"] == 0 and all(x["sent_at"] for x in listing["sms"])
    assert [x["id"] for x in listing["sms"]] == [2, 1]


def test_the_http_provider_gets_json_with_the_bearer_token(db):
    queue_sms(db, "e1")
    with FakeSmsProvider(token="secret") as fake:
        provider = sms_adapter.HttpSmsProvider(fake.url, "secret", timeout=5)
        assert use_cases.send_due_sms(db, provider, lambda: NOW) == 1
    assert fake.received == [{"to": "+33612345678", "text": "Nouvelle commande",
                              "id": sms_adapter.sms_id("e1", "+33612345678")}]


def test_a_4xx_is_a_failure_for_good_never_retried(db):
    queue_sms(db, "e1", "e2")
    with FakeSmsProvider(token="secret", answers=[400]) as fake:
        provider = sms_adapter.HttpSmsProvider(fake.url, "secret", timeout=5)
        assert use_cases.send_due_sms(db, provider, lambda: NOW) == 1  # the second one went
        later = NOW + timedelta(hours=1)
        assert use_cases.send_due_sms(db, provider, lambda: later) == 0
    assert [status for status, _ in fake.requests] == [400, 200]
    with db.transaction() as s:
        refused = s.get(Sms, 1)
        assert refused.failed_at is not None and "HTTP 400" in refused.last_error
        assert refused.sent_at is None and refused.attempts == 1


def test_a_wrong_token_is_refused_for_good(db):
    queue_sms(db, "e1")
    with FakeSmsProvider(token="secret") as fake:
        provider = sms_adapter.HttpSmsProvider(fake.url, "wrong", timeout=5)
        assert use_cases.send_due_sms(db, provider, lambda: NOW) == 0
    with db.transaction() as s:
        assert "HTTP 401" in s.get(Sms, 1).last_error and s.get(Sms, 1).failed_at


def test_a_503_is_retried_after_a_backoff_then_sent_once(db):
    queue_sms(db, "e1")
    clock = [NOW]
    with FakeSmsProvider(token="secret", answers=[503]) as fake:
        provider = sms_adapter.HttpSmsProvider(fake.url, "secret", timeout=5)
        assert use_cases.send_due_sms(db, provider, lambda: clock[0]) == 0
        with db.transaction() as s:
            sms = s.get(Sms, 1)
            assert sms.sent_at is None and sms.failed_at is None
            assert "HTTP 503" in sms.last_error
        assert use_cases.send_due_sms(db, provider, lambda: clock[0]) == 0  # backing off
        clock[0] = NOW + timedelta(seconds=5)
        assert use_cases.send_due_sms(db, provider, lambda: clock[0]) == 1
        assert use_cases.send_due_sms(db, provider, lambda: clock[0]) == 0
    assert [status for status, _ in fake.requests] == [503, 200]
    assert len(fake.received) == 1
    with db.transaction() as s:
        assert s.get(Sms, 1).attempts == 2 and s.get(Sms, 1).sent_at is not None


def test_a_provider_that_does_not_answer_is_retried(db):
    queue_sms(db, "e1")
    with FakeSmsProvider() as fake:
        url = fake.url
    provider = sms_adapter.HttpSmsProvider(url, "t", timeout=2)  # the server is gone
    assert use_cases.send_due_sms(db, provider, lambda: NOW) == 0
    with db.transaction() as s:
        sms = s.get(Sms, 1)
        assert sms.failed_at is None and sms.sent_at is None
        assert "SmsUnavailable" in sms.last_error


def test_the_provider_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.delenv("SMS_PROVIDER_URL", raising=False)
    assert isinstance(sms_adapter.from_environment(), sms_adapter.FileSmsProvider)
    assert (tmp_path / "sms").is_dir()
    monkeypatch.setenv("SMS_PROVIDER_URL", "http://127.0.0.1:9/sms")
    monkeypatch.setenv("SMS_PROVIDER_TOKEN", "tok")
    provider = sms_adapter.from_environment()
    assert isinstance(provider, sms_adapter.HttpSmsProvider) and provider.token == "tok"


def test_the_order_desk_gets_one_mail_per_quote_request_not_two(db, shop):
    with db.transaction() as s:
        use_cases.mail_for_event(s, "quote_requested", DOCUMENT, {"event_id": "ev-9"}, NOW,
                                 "http://x")
        use_cases.alert_for_event(s, "quote_requested", DOCUMENT, {"event_id": "ev-9"}, NOW,
                                  "http://x")

    class Keep:
        sent = []

        def send(self, mail_id, msg):
            self.sent.append(msg)
    transport = Keep()
    use_cases.send_due(db, transport, lambda: NOW)
    assert len([m for m in transport.sent if m["To"] == "commandes@librairie.test"]) == 1
