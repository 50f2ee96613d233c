"""Every mail of the grouped orders renders from a payload that satisfies its contract."""
import pytest

from services.common.contracts.events import CONTRACTS, load_envelope, make_envelope
from services.notifications import domain, presenters

REF = {"number": 62, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
       "initiator_email": "approbateur@victorprouve.org",
       "contact_email": "approbateur@victorprouve.org",
       "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                   "author": "LE GUEN/XENARD", "publisher": "ORSO", "price_ttc": "14.90",
                   "vat_rate": "5.5"},
       "deadline": "2022-03-29", "pickup_label": "COLLEGE Victor prouve\n2, rue des jonquilles",
       "subscription_url": "http://x/souscription/TOKEN", "detail_url": "http://x/commandes/62"}
BUYER = {"first_name": "Jared", "last_name": "Leto", "email": "jared.leto@free.fr"}
PAYLOADS = {
    "grouped_order_created": dict(REF, comment=""),
    "grouped_order_deadline_passed": dict(REF, paid_quantity=5, paid_total="74.50",
                                          awaiting_payment=0),
    "grouped_order_validated": dict(REF, quantity=5, unit_price_ttc="14.90", total_ttc="74.50",
                                    validated_at="2022-03-30T09:40:00+00:00"),
    "grouped_order_made_available": dict(REF, quantity=5,
                                         made_available_at="2022-03-30T09:51:45+00:00"),
    "grouped_order_cancelled": dict(REF, reason="Titre épuisé chez l'éditeur"),
    "sub_order_paid": {"sub_order_number": 147, "grouped_order": REF, "buyer": BUYER,
                       "quantity": 2, "unit_price_ttc": "14.90", "total_ttc": "29.80",
                       "subscribed_at": "2022-03-30T07:46:47+00:00",
                       "paid_at": "2022-03-30T07:47:10+00:00"},
    "sub_order_cancelled": {"sub_order_number": 148, "grouped_order": REF, "buyer": BUYER,
                            "quantity": 1, "total_ttc": "14.90", "reason": "Doublon",
                            "refund_expected": True},
    "sub_order_refunded": {"sub_order_number": 148, "grouped_order": REF, "buyer": BUYER,
                           "amount": "14.90", "reason": "Doublon", "automatic": False,
                           "payment_id": "p2", "refunded_at": "2022-03-30T08:05:00+00:00"},
    "payment_failed": {"payment_id": "p1", "reference_kind": "sub_order", "reference_id": "147",
                       "amount": "29.80", "provider": "sandbox", "occurred_at": "2022-03-30",
                       "state": "refused", "customer_email": "jared.leto@free.fr",
                       "description": "Commande groupée n° 62", "return_url": "http://x/retour"},
}


def received(kind, **changes):
    """The payload (with `changes`) as the consumer gets it: dumped by the producer, loaded by
    the contract."""
    payload = dict(PAYLOADS[kind], **changes)
    return load_envelope(kind, make_envelope(kind, payload, CONTRACTS[kind].source))[1]


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_each_mail_renders_from_its_contract(kind):
    to, subject, body = presenters.render(kind, received(kind), "http://localhost:8000")
    assert to and subject and body.strip()


def test_the_availability_mail_of_the_reference():
    _, subject, body = presenters.render("grouped_order_made_available",
                                         received("grouped_order_made_available"), "http://x")
    assert subject == "Votre commande groupée n° 62 est prête"  # not a parent's « commande »
    assert "L'ensemble de votre commande n° 62 a été préparé le 30/03/2022 (à 11:51:45)." in body


def test_the_buyers_confirmation_names_the_initiator_and_its_contact():
    to, subject, body = presenters.render("sub_order_paid", received("sub_order_paid"),
                                          "http://x")
    assert to == "jared.leto@free.fr"
    assert "commande n° 147, passée le 30/03/2022 (à 09:46:47)" in body
    assert "initié par COLLEGE VICTOR PROUVE (approbateur@victorprouve.org)" in body
    assert "Total : 29,80\xa0€ TTC" in body  # babel: a no-break space before €


def test_the_creation_mail_gives_the_link_and_the_deadline():
    to, _, body = presenters.render("grouped_order_created",
                                    received("grouped_order_created"), "x")
    assert to == "approbateur@victorprouve.org"
    assert "http://x/souscription/TOKEN" in body and "29/03/2022" in body


def test_an_abandoned_payment_sends_no_mail():
    assert domain.wanted("payment_failed", PAYLOADS["payment_failed"])
    assert not domain.wanted("payment_failed", dict(PAYLOADS["payment_failed"],
                                                   state="cancelled"))


def test_a_buyer_refunded_after_a_cancellation_is_told_how_much_why_and_when():
    to, subject, body = presenters.render("sub_order_refunded", received("sub_order_refunded"),
                                          "http://x")
    assert to == "jared.leto@free.fr"
    assert subject == "Remboursement de 14,90\xa0€ — commande n° 148"
    assert "a été annulée : le montant payé, 14,90\xa0€, vous a été remboursé le " \
           "30 mars 2022 à 10:05" in body
    assert "Motif de l'annulation : Doublon" in body


def test_an_automatic_refund_says_the_payment_was_not_owed_and_why():
    _, _, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", automatic=True, reason="paiement reçu après annulation"),
        "http://x")
    assert "(paiement reçu après annulation) : il vous a été remboursé automatiquement le " \
           "30 mars 2022 à 10:05" in body
    assert "Motif de l'annulation" not in body


def test_the_initiator_is_told_when_the_bookshop_closes_the_subscriptions_early():
    loaded = received("grouped_order_deadline_passed", closed_early=True,
                      closed_at="2022-03-28T09:00:00+00:00")
    _, subject, body = presenters.render("grouped_order_deadline_passed", loaded, "http://x")
    assert "souscriptions closes par la librairie" in subject
    assert "La librairie a clos les souscriptions" in body and "avant la date limite" in body
    _, subject, _ = presenters.render("grouped_order_deadline_passed",
                                      received("grouped_order_deadline_passed"), "http://x")
    assert subject.endswith("la date limite est passée")


def test_the_closing_mail_tells_the_initiator_what_is_paid_at_pickup_apart():
    """A buyer paying at pickup was counted in « Sous-commandes en attente de paiement : 1 (la
    librairie les validera ou les annulera) », although their copies are ordered and paid on
    distribution day: the initiator feared they would be cancelled."""
    _, _, body = presenters.render("grouped_order_deadline_passed", received(
        "grouped_order_deadline_passed", awaiting_payment=3, at_pickup_sub_orders=2,
        at_pickup_quantity=3, at_pickup_total="44.70"), "http://x")
    assert ("À payer au retrait : 3 exemplaires (2 sous-commandes, 44,70\xa0€), commandés avec "
            "les exemplaires payés et réglés le jour de la distribution.") in body
    assert "Sous-commandes en attente de paiement : 1 (la librairie les validera" in body
    _, _, body = presenters.render("grouped_order_deadline_passed", received(
        "grouped_order_deadline_passed", awaiting_payment=1, at_pickup_sub_orders=1,
        at_pickup_quantity=1, at_pickup_total="14.90"), "http://x")
    assert "À payer au retrait : 1 exemplaire (1 sous-commande, 14,90\xa0€), commandé " in body
    assert "Sous-commandes en attente de paiement" not in body
    # an event from before (no pickup figures): as it was
    _, _, body = presenters.render("grouped_order_deadline_passed", received(
        "grouped_order_deadline_passed", awaiting_payment=2), "http://x")
    assert "Sous-commandes en attente de paiement : 2 (la librairie" in body
    assert "À payer au retrait" not in body


def test_the_closing_mail_promises_no_preparation_when_nothing_was_ordered():
    """A grouped order closed with no buyer at all told the initiator « La librairie va
    maintenant valider votre commande et la préparer », with nothing to prepare."""
    def body(**figures):
        return presenters.render("grouped_order_deadline_passed", received(
            "grouped_order_deadline_passed", **figures), "http://x")[2]
    nobody = body(paid_quantity=0, paid_total="0.00", awaiting_payment=0)
    assert "Aucun acheteur n'a commandé : il n'y a rien à commander ni à préparer." in nobody
    assert "la préparer" not in nobody
    cheques = body(paid_quantity=0, paid_total="0.00", awaiting_payment=2)
    assert "Aucun exemplaire n'est payé pour l'instant : la librairie validera votre " \
           "commande si les paiements en attente lui parviennent, sinon elle l'annulera." \
           in cheques and "la préparer" not in cheques
    pickup = body(paid_quantity=0, paid_total="0.00", awaiting_payment=1,
                  at_pickup_sub_orders=1, at_pickup_quantity=2, at_pickup_total="29.80")
    assert "va maintenant valider votre commande et la préparer" in pickup
    assert "va maintenant valider votre commande et la préparer" in body()  # 5 paid


def test_a_failed_payment_mail_names_the_buyer_s_own_order():
    """The mail named only « Commande groupée n° 62 », a number the parent never saw: their own
    order's number comes first."""
    _, _, body = presenters.render("payment_failed", received("payment_failed"), "http://x")
    assert "Votre paiement de 29,80\xa0€ pour votre commande n° 147 (« Commande groupée n° 62 " \
           "») n'a pas abouti (paiement refusé)." in body


def test_an_initiators_own_cancellation_is_not_told_as_the_bookshops():
    """The teacher cancelled it: « La librairie a annulé … les souscripteurs qui avaient payé
    sont remboursés » said otherwise (no one had paid)."""
    def told(payload):
        _, loaded = load_envelope("grouped_order_cancelled", make_envelope(
            "grouped_order_cancelled", payload, "grouped_orders"))
        return presenters.render("grouped_order_cancelled", loaded, "http://x/")[2]

    body = told(dict(REF, reason="Sortie annulée", by_initiator=True))
    assert "Vous avez annulé votre commande groupée n° 62" in body
    assert "La librairie a annulé" not in body and "remboursés" not in body
    body = told(dict(REF, reason="Épuisé"))
    assert "La librairie a annulé votre commande groupée n° 62" in body


def test_a_reopening_tells_the_bookshop():
    _, loaded = load_envelope("grouped_order_reopened", make_envelope(
        "grouped_order_reopened", dict(REF, deadline="2026-12-20", closed_early=True,
                                       reopened_at="2026-12-08T09:00:00+00:00"),
        "grouped_orders"))
    to, subject, body = presenters.render("grouped_order_reopened", loaded, "http://x/")
    assert to == presenters.bookshop_email()
    assert subject == "Commande groupée n° 62 rouverte par l'initiateur jusqu'au 20/12/2026"
    assert "après que la librairie les a closes avant la date limite" in body
