"""Issue 10, K1: the reminder mails before the deadline, rendered from payloads that satisfy
their contracts: the initiator's figures so far and who has not paid; a buyer's own link to pay
or the cheque instructions."""
from datetime import datetime, timezone

from services.common.contracts.events import load_envelope, make_envelope
from services.notifications import domain, presenters
from services.notifications.models import Base
from services.notifications.use_cases import mail_for_event
from tests.support.fakes import sqlite_database

from .test_grouped_order_mails import BUYER, REF

UTC = timezone.utc

TITLES = [dict(REF["article"], required=True, position=1),
          {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT PAS LIRE",
           "author": "", "publisher": "", "price_ttc": "6.40", "vat_rate": "5.5",
           "required": False, "position": 2}]
APPROACHED = dict(
    REF, titles=TITLES, days_left=3, reminded_at="2022-03-27T06:00:00+00:00", paid_quantity=3,
    awaiting_quantity=2, paid_total="36.20", awaiting_total="14.90", paid_sub_orders=1,
    by_title=[{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "copies_paid": 2,
               "copies_awaiting": 1, "total_paid": "29.80", "total_awaiting": "14.90"},
              {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT PAS LIRE",
               "copies_paid": 1, "copies_awaiting": 0, "total_paid": "6.40",
               "total_awaiting": "0.00"}],
    unpaid_buyers=[{"sub_order_number": 154, "first_name": "Oscar", "last_name": "Benhattia",
                    "email": "oscar@laposte.net", "quantity": 1, "total_ttc": "14.90",
                    "payment_method": "cheque"}])
REMINDED = {"sub_order_number": 154, "grouped_order": REF, "buyer": BUYER, "quantity": 1,
            "total_ttc": "14.90", "subscribed_at": "2022-03-20T09:00:00+00:00",
            "lines": [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "quantity": 1,
                       "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "14.90"}],
            "payment_method": "online", "pay_url": "http://x/souscription/T/commande/B",
            "days_left": 1, "reminded_at": "2022-03-29T06:00:00+00:00"}


def received(kind, payload, **changes):
    return load_envelope(kind, make_envelope(kind, dict(payload, **changes),
                                             "grouped_orders"))[1]


def test_the_initiator_gets_the_figures_so_far_per_title_and_who_has_not_paid():
    payload = received("grouped_order_deadline_approached", APPROACHED)
    to, subject, body = presenters.render("grouped_order_deadline_approached", payload, "http://x")
    assert to == "approbateur@victorprouve.org"
    assert subject == ("Commande groupée n° 62 : la date limite approche (il reste 3 jours, "
                       "aujourd'hui compris)")
    assert "le 29/03/2022" in body
    assert "Sous-commandes payées : 1 — En attente de paiement : 1" in body
    assert "Articles payés : 3 — Total TTC payé : 36,20\xa0€" in body
    assert "Articles en attente de paiement : 2 — Total TTC en attente : 14,90\xa0€" in body
    assert "- WESTERN COQUILLETTES : 2 payés (29,80\xa0€), 1 en attente (14,90\xa0€)" in body
    assert ("- n° 154 Oscar Benhattia (oscar@laposte.net) : 1 exemplaire, 14,90\xa0€ — "
            "chèque à apporter à la librairie") in body
    assert "La librairie lui envoie aussi un rappel avec son lien de paiement." in body
    assert "http://x/commandes/62" in body


def test_the_initiator_is_not_told_a_parent_paying_at_pickup_is_reminded():
    """« La librairie leur envoie aussi un rappel avec leur lien de paiement » followed a list
    with parents paying at pickup, who are never reminded (they pay on distribution day)."""
    pia = {"sub_order_number": 155, "first_name": "Pia", "last_name": "Roux",
           "email": "pia@free.fr", "quantity": 2, "total_ttc": "29.80",
           "payment_method": "pickup"}
    both = APPROACHED["unpaid_buyers"] + [pia]
    _, _, body = presenters.render("grouped_order_deadline_approached", received(
        "grouped_order_deadline_approached", APPROACHED, unpaid_buyers=both), "x")
    assert "- n° 155 Pia Roux (pia@free.fr) : 2 exemplaires, 29,80\xa0€ — à payer au retrait" \
        in body
    assert "La librairie lui envoie aussi un rappel avec son lien de paiement (pas à ceux qui " \
           "paient au retrait, le jour de la distribution)." in body
    _, _, body = presenters.render("grouped_order_deadline_approached", received(
        "grouped_order_deadline_approached", APPROACHED, unpaid_buyers=[pia]), "x")
    assert "envoie aussi un rappel" not in body


def test_everyone_paid_says_so_and_buyers_reminders_off_are_not_promised():
    payload = received("grouped_order_deadline_approached", APPROACHED, unpaid_buyers=[])
    _, _, body = presenters.render("grouped_order_deadline_approached", payload, "x")
    assert "Toutes les sous-commandes enregistrées sont payées." in body
    payload = received("grouped_order_deadline_approached", APPROACHED, reminds_buyers=False)
    _, _, body = presenters.render("grouped_order_deadline_approached", payload, "x")
    assert "leur envoie aussi un rappel" not in body


def test_an_online_buyer_gets_their_own_link_to_pay():
    payload = received("sub_order_payment_reminded", REMINDED)
    to, subject, body = presenters.render("sub_order_payment_reminded", payload, "x")
    assert to == "jared.leto@free.fr"
    assert subject == "Rappel : votre commande n° 154 attend son paiement"
    assert "toujours « En attente de paiement »" in body
    assert "La date limite est le 29/03/2022 (dernier jour aujourd'hui)" in body
    assert "WESTERN COQUILLETTES : 1 × 14,90\xa0€ = 14,90\xa0€ TTC" in body
    assert "PAYER EN LIGNE" in body and "http://x/souscription/T/commande/B" in body


def test_a_cheque_buyer_gets_the_cheque_instructions(monkeypatch):
    monkeypatch.setenv("BOOKSHOP_NAME", "Librairie du Parc")
    monkeypatch.setenv("BOOKSHOP_ADDRESS", "3 place Stanislas\n54000 NANCY")
    monkeypatch.setenv("CHEQUE_PAYABLE_TO", "SARL Librairie du Parc")
    payload = received("sub_order_payment_reminded", REMINDED, payment_method="cheque")
    _, _, body = presenters.render("sub_order_payment_reminded", payload, "x")
    assert "PAIEMENT PAR CHÈQUE" in body and "À l'ordre de : SARL Librairie du Parc" in body
    assert "À apporter à : Librairie du Parc, 3 place Stanislas, 54000 NANCY" in body
    assert "PAYER EN LIGNE" not in body and "/commande/B" not in body


def test_one_event_one_mail_each(tmp_path):
    assert domain.wanted("sub_order_payment_reminded", REMINDED)
    with sqlite_database("notifications", Base, tmp_path) as db:
        with db.transaction() as s:
            mails = mail_for_event(s, "sub_order_payment_reminded",
                                   received("sub_order_payment_reminded", REMINDED),
                                   {"event_id": "e-1"}, datetime(2022, 3, 29, tzinfo=UTC),
                                   "x")
            assert [m.to_addr for m in mails] == ["jared.leto@free.fr"]
