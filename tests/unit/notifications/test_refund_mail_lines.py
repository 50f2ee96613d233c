"""The refund mail tells the buyer their own titles, quantities and amounts (the event's
`lines`), their total and what was refunded; an older event without lines still renders, without
naming the grouped order's titles as if they were the buyer's."""
from services.notifications import presenters
from tests.unit.notifications.test_grouped_order_mails import REF, received

LIVRE = {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT PAS LIRE !",
         "author": "LAROCHE", "publisher": "MIC MAC", "price_ttc": "6.40", "vat_rate": "5.5"}
# a reading list of two titles; the buyer took the second one only
LIST = dict(REF, titles=[dict(REF["article"], required=False, position=1),
                         dict(LIVRE, required=True, position=2)])
LINES = [{"ean": LIVRE["ean"], "title": LIVRE["title"], "publisher": "MIC MAC", "quantity": 3,
          "unit_price_ttc": "6.40", "vat_rate": "5.5", "total_ttc": "19.20"}]


def test_the_refund_mail_lists_the_buyers_own_lines_and_the_amount_refunded():
    _, subject, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", grouped_order=LIST, lines=LINES, amount="19.20"), "http://x")
    assert subject == "Remboursement de 19,20\xa0€ — commande n° 148"
    assert "WESTERN COQUILLETTES" not in body  # the grouped order's title, not the buyer's
    assert "- 3 × « LE LIVRE QU'IL NE FAUT SURTOUT PAS LIRE ! » (6,40\xa0€ l'exemplaire) : " \
           "19,20\xa0€" in body
    assert "Total de votre commande : 19,20\xa0€ TTC" in body
    assert "le montant payé, 19,20\xa0€, vous a été remboursé le 30 mars 2022 à 10:05" in body


def test_an_automatic_refund_lists_the_lines_of_the_order_paid_for():
    lines = LINES + [{"ean": REF["article"]["ean"], "title": "WESTERN COQUILLETTES",
                      "quantity": 2, "unit_price_ttc": "14.90", "vat_rate": "5.5",
                      "total_ttc": "29.80"}]
    _, _, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", grouped_order=LIST, lines=lines, amount="49.00", automatic=True,
        reason="paiement reçu en double"), "http://x")
    assert "- 2 × « WESTERN COQUILLETTES » (14,90\xa0€ l'exemplaire) : 29,80\xa0€" in body
    assert "Total de votre commande : 49,00\xa0€ TTC" in body
    assert "Votre paiement de 49,00\xa0€ pour la commande n° 148" in body
    assert "remboursé automatiquement le 30 mars 2022 à 10:05" in body
    assert "contactez la librairie" in body


def test_an_older_refund_event_without_lines_names_no_title_of_the_grouped_order():
    _, _, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", grouped_order=LIST), "http://x")
    assert "WESTERN COQUILLETTES" not in body and "autre titre" not in body
    assert "commande groupée n° 62 de COLLEGE VICTOR PROUVE" in body
    assert "le montant payé, 14,90\xa0€, vous a été remboursé" in body
    assert "contactez COLLEGE VICTOR PROUVE" in body  # a cancellation: the school's contact


def test_a_credit_notes_refund_names_the_credit_note_not_a_cancellation():
    _, subject, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", grouped_order=LIST, lines=LINES, amount="6.40",
        credit_note_number="2027-03-000000002", invoice_number="2027-03-000000001",
        reason="Un exemplaire abîmé"), "http://x")
    assert subject == "Remboursement de 6,40\xa0€ — commande n° 148"
    assert "\n\n\n" not in body
    text = body.replace("\n", " ")
    assert ("Un avoir (n° 2027-03-000000002) a été émis sur la facture n° 2027-03-000000001 de "
            "votre commande n° 148 (commande groupée n° 62 de COLLEGE VICTOR PROUVE), pour le "
            "motif suivant : Un exemplaire abîmé.") in text
    assert "Son montant, 6,40\xa0€, vous a été remboursé le 30 mars 2022 à 10:05, sur le moyen " \
           "de paiement utilisé." in text
    assert "annulée" not in text and "Motif de l'annulation" not in text
    # the bookshop issued the credit note and refunds it: its contact, not the school's
    assert "Pour toute question sur ce remboursement, contactez la librairie : " in text
    assert "contactez COLLEGE VICTOR PROUVE" not in text
    _, _, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", grouped_order=LIST, amount="6.40", payment_method="cheque",
        credit_note_number="2027-03-000000002"), "http://x")
    text = body.replace("\n", " ")
    assert "Son montant, 6,40\xa0€, vous est rendu par la librairie" in text and \
        "passez le reprendre à la librairie" in text and "relevé" not in text
