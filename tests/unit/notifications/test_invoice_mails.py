"""The customer's mail of an invoice or a credit note (the desk said « Chaque parent reçoit la
facture de sa sous-commande »; no one was mailed): what it is, for which order, what to pay or
what is given back, and the page where to download it."""
from services.common.contracts.events import load_envelope, make_envelope
from services.notifications import domain, presenters

INVOICE = {"number": "2027-03-000000001", "kind": "invoice",
           "order": {"kind": "sub_order", "number": 148}, "total_ht": "28.25",
           "vat_total": "1.55", "total_ttc": "29.80", "issued_at": "2027-03-01T09:00:00+00:00",
           "customer_name": "Jared Leto", "customer_email": "jared@free.fr",
           "detail_url": "http://x/souscription/t/commande/b", "due_on": "2027-03-01",
           "paid": True}


def render(**changes):
    """As the consumer gets the event: dumped by invoicing, loaded by its contract."""
    _, payload = load_envelope("invoice_issued", make_envelope(
        "invoice_issued", dict(INVOICE, **changes), "invoicing"))
    return presenters.render("invoice_issued", payload, "http://x")


def test_a_paid_invoice_is_mailed_with_where_to_download_it():
    to, subject, body = render()
    assert (to, subject) == ("jared@free.fr", "Votre facture n° 2027-03-000000001 — commande "
                                              "n° 148")
    text = body.replace("\n", " ")
    assert "Votre facture n° 2027-03-000000001 (commande n° 148) est émise : 29,80\xa0€ TTC." \
        in text and "Elle est acquittée : vous n'avez rien à payer." in text
    assert ("Téléchargez la facture (PDF) depuis la page de votre commande : "
            "http://x/souscription/t/commande/b") in text
    assert "\n\n\n" not in body


def test_an_invoice_on_account_says_when_to_pay():
    _, subject, body = render(order={"kind": "collectivity_order", "number": 12}, paid=False,
                              due_on="2027-03-31", customer_name="ECOLE JULES FERRY",
                              customer_email="ce.0540016@example.org")
    assert subject == "Votre facture n° 2027-03-000000001 — commande n° 12"
    assert "À régler au plus tard le 31/03/2027, par virement ou par chèque" in body


def test_a_credit_note_says_what_becomes_of_its_amount():
    note = dict(kind="credit_note", number="2027-03-000000002",
                invoice_number="2027-03-000000001", total_ttc="14.90", reason="Livre abîmé")
    _, subject, body = render(**note, credit_mode="refund", to_refund="14.90")
    assert subject == ("Avoir n° 2027-03-000000002 sur votre facture n° 2027-03-000000001 — "
                       "commande n° 148")
    text = body.replace("\n", " ")
    assert "La librairie a émis l'avoir n° 2027-03-000000002 sur votre facture n° " \
           "2027-03-000000001 (commande n° 148) : 14,90\xa0€ TTC. Motif : Livre abîmé." in text
    assert "Ce montant, 14,90\xa0€, vous est remboursé : vous recevrez un message" in text
    assert "Téléchargez l'avoir (PDF)" in text
    body = render(**note, credit_mode="deduct")[2]
    assert "Ce montant est déduit de ce qui reste à payer sur la facture n° 2027-03-000000001" \
        in body
    body = render(**note, credit_mode="refund", to_refund="0.00")[2]
    assert "déjà été remboursé au retrait des livres" in body


def test_no_address_no_mail():
    assert domain.wanted("invoice_issued", dict(INVOICE))
    assert not domain.wanted("invoice_issued", dict(INVOICE, customer_email=""))


def test_a_credit_note_partly_handed_back_at_pickup_and_a_collectivitys():
    note = dict(kind="credit_note", number="2027-03-000000002",
                invoice_number="2027-03-000000001", total_ttc="14.90", reason="Abîmé",
                credit_mode="refund")
    body = render(**note, to_refund="10.00")[2].replace("\n", " ")
    assert ("4,90\xa0€ vous ont déjà été rendus au retrait des livres ; le reste, 10,00\xa0€, "
            "vous est remboursé : vous recevrez un message") in body
    body = render(**note, to_refund="13.40")[2]
    assert "1,50\xa0€ vous a déjà été rendu au retrait" in body
    # a collectivity's order: the bookshop refunds it itself, no automatic message follows
    body = render(**note, to_refund="14.90", order={"kind": "collectivity_order", "number": 3})[2]
    assert "vous est remboursé par la librairie (par virement ou par chèque)." in body
    assert "vous recevrez un message" not in body
