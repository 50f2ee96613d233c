"""The eve's reminder mail: tomorrow, where, at what time, the buyer's titles and what to bring
(or « déjà payée »), their own link."""
from services.notifications import presenters
from tests.unit.notifications.test_grouped_order_mails import BUYER, REF
from services.common.contracts.events import load_envelope, make_envelope

LINES = [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "quantity": 2,
          "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "29.80"}]
EVENT = {"sub_order_number": 148, "grouped_order": REF, "buyer": BUYER, "quantity": 2,
         "total_ttc": "29.80", "lines": LINES, "payment_method": "pickup",
         "amount_due": "29.80", "buyer_url": "http://x/souscription/T/commande/B",
         "distribution_date": "2022-04-08", "distribution_slot": "de 16 h 30 à 18 h",
         "distribution_label": "le vendredi 8 avril 2022, de 16 h 30 à 18 h",
         "reminded_at": "2022-04-07T06:00:00+00:00"}


def received(**changes):
    kind = "sub_order_distribution_reminded"
    return load_envelope(kind, make_envelope(kind, dict(EVENT, **changes), "grouped_orders"))[1]


def test_the_eve_reminder_says_tomorrow_where_when_and_what_to_bring():
    to, subject, body = presenters.render("sub_order_distribution_reminded", received(),
                                          "http://x")
    assert to == "jared.leto@free.fr"
    assert subject == "Rappel : distribution de vos livres demain — commande n° 148"
    assert "demain, le vendredi 8 avril 2022, de 16 h 30 à 18 h" in body
    assert "COLLEGE Victor prouve\n2, rue des jonquilles" in body
    assert "- 2 × « WESTERN COQUILLETTES » — 29,80\xa0€" in body
    assert "À payer au retrait : 29,80\xa0€" in body
    assert "http://x/souscription/T/commande/B" in body


def test_a_paid_buyer_has_nothing_to_bring():
    _, _, body = presenters.render("sub_order_distribution_reminded", received(
        payment_method="online", amount_due=None), "http://x")
    assert "déjà payée : vous n'avez rien à apporter" in body and "À payer" not in body


def test_the_cheque_is_made_out_to_the_bookshop_s_own_name(monkeypatch):
    """The ready and eve mails said « chèque à l'ordre de la librairie » where every other page
    and mail names the payee the bookshop set (CHEQUE_PAYABLE_TO)."""
    monkeypatch.setenv("CHEQUE_PAYABLE_TO", "SARL Librairie du Parc")
    for kind in ("sub_order_distribution_reminded", "sub_order_made_available"):
        event = dict(EVENT, told_at=EVENT["reminded_at"])
        payload = load_envelope(kind, make_envelope(kind, event, "grouped_orders"))[1]
        _, _, body = presenters.render(kind, payload, "http://x")
        assert "À payer au retrait : 29,80\xa0€, par chèque (à l'ordre de SARL Librairie du " \
               "Parc) ou en espèces." in body, kind
        assert "ordre de la librairie" not in body
