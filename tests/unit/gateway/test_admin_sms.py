"""The admin's dev page « SMS envoyés » (issue 9's new-order alerts): what notifications'
SMS outbox holds, sent, waiting or refused for good; the admin only."""
from tests.unit.gateway.conftest import sign_in

SMS = {"pending": 1, "sms": [
    {"id": 2, "kind": "quote_requested", "to": "+33612345678",
     "text": "Nouvelle commande : Devis 12, ECOLE JULES FERRY, 218,40 EUR TTC. Librairie",
     "created_at": "2026-12-01T09:00:00+00:00", "sent_at": None, "failed_at": None,
     "attempts": 1, "last_error": "SmsUnavailable('HTTP 503 Service Unavailable')"},
    {"id": 1, "kind": "sub_order_paid", "to": "+33612345678",
     "text": "Nouvelle commande : Sous-cde 147 (groupée 62), Jared Leto, 29,80 EUR TTC.",
     "created_at": "2026-12-01T08:00:00+00:00", "sent_at": None,
     "failed_at": "2026-12-01T08:00:01+00:00", "attempts": 1,
     "last_error": "SmsRefused('HTTP 400 Bad Request')"}]}


def test_the_admin_sees_each_sms_and_its_state(client, rpc):
    rpc.answers[("notifications", "list_sms")] = SMS
    sign_in(client, "admin")
    r = client.get("/admin/sms")
    assert r.status_code == 200 and "SMS de la plateforme" in r.text
    assert "1 en attente d&#39;envoi" in r.text or "1 en attente d'envoi" in r.text
    assert "Sous-cde 147 (groupée 62)" in r.text and "+33612345678" in r.text
    assert "échec définitif" in r.text and "HTTP 400" in r.text and "HTTP 503" in r.text
    assert rpc.called("notifications", "list_sms") == [(200,)]


def test_the_admin_home_and_the_mails_page_lead_to_it(client, rpc):
    rpc.answers[("notifications", "list_mails")] = {"mails": [], "pending": 0}
    sign_in(client, "admin")
    assert 'href="/admin/sms"' in client.get("/admin/").text
    assert 'href="/admin/sms"' in client.get("/admin/mails").text


def test_nobody_else_sees_it(client, rpc):
    sign_in(client, "collectivite")
    assert client.get("/admin/sms").status_code in (403, 404)
    assert rpc.called("notifications", "list_sms") == []
