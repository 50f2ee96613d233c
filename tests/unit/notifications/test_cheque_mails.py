"""Issue 9: a buyer paying by cheque or cash at the bookshop is told how by mail (from
`sub_order_placed`, emitted at subscription), and the confirmation names the cheque."""
from services.notifications import domain, presenters

from .test_grouped_order_mails import BUYER, REF, received

PLACED = {"sub_order_number": 153, "grouped_order": REF, "buyer": BUYER, "quantity": 2,
          "total_ttc": "29.80", "subscribed_at": "2022-03-28T07:46:47+00:00"}


def placed(**changes):
    from services.common.contracts.events import make_envelope, load_envelope
    return load_envelope("sub_order_placed", make_envelope(
        "sub_order_placed", dict(PLACED, **changes), "grouped_orders"))[1]


def test_a_cheque_buyer_is_told_to_whom_how_much_where_and_by_when(monkeypatch):
    monkeypatch.setenv("BOOKSHOP_NAME", "Librairie du Parc")
    monkeypatch.setenv("BOOKSHOP_ADDRESS", "3 place Stanislas\n54000 NANCY")
    monkeypatch.setenv("CHEQUE_PAYABLE_TO", "SARL Librairie du Parc")
    payload = placed(payment_method="cheque")
    assert domain.wanted("sub_order_placed", payload)
    to, subject, body = presenters.render("sub_order_placed", payload, "http://x")
    assert to == "jared.leto@free.fr"
    assert subject == "Commande n° 153 : votre chèque à apporter à la librairie"
    assert "Montant : 29,80\xa0€" in body
    assert "À l'ordre de : SARL Librairie du Parc" in body
    assert "À apporter à : Librairie du Parc, 3 place Stanislas, 54000 NANCY" in body
    assert "Au plus tard le : 29/03/2022" in body
    assert "« En attente de paiement »" in body


def test_cash_is_told_too_and_online_gets_no_such_mail(monkeypatch):
    monkeypatch.delenv("CHEQUE_PAYABLE_TO", raising=False)
    _, subject, body = presenters.render("sub_order_placed", placed(payment_method="cash"), "x")
    assert subject == "Commande n° 153 : votre paiement en espèces à la librairie"
    assert "PAIEMENT EN ESPÈCES" in body and "ordre" not in body
    assert not domain.wanted("sub_order_placed", placed())  # online: the provider's page
    assert not domain.wanted("sub_order_placed", PLACED)


def test_the_confirmation_names_the_cheque_received():
    _, _, body = presenters.render("sub_order_paid", received(
        "sub_order_paid", manual=True, payment_method="cheque", cheque_number="1234567"), "x")
    assert "Statut de la commande : Payée (chèque n° 1234567 reçu par la librairie)" in body
    _, _, body = presenters.render("sub_order_paid", received("sub_order_paid"), "x")
    assert "Statut de la commande : Payée\n" in body


def test_a_cancelled_cheque_is_handed_back_not_refunded_on_a_card(monkeypatch):
    monkeypatch.setenv("BOOKSHOP_NAME", "Librairie du Parc")
    _, _, body = presenters.render("sub_order_cancelled", received(
        "sub_order_cancelled", payment_method="cheque"), "x")
    assert "La librairie vous rend votre chèque de 14,90\xa0€" in body
    assert "moyen de paiement utilisé" not in body
    _, _, body = presenters.render("sub_order_refunded", received(
        "sub_order_refunded", payment_method="cash"), "x")
    assert "le montant payé en espèces de 14,90\xa0€ vous est rendu par la librairie " \
        "(Librairie du Parc)" in body
    assert "relevé" not in body
    _, _, body = presenters.render("sub_order_refunded", received("sub_order_refunded"), "x")
    assert "sur le moyen de paiement utilisé" in body and "relevé" in body
    _, _, body = presenters.render("sub_order_cancelled", received("sub_order_cancelled"), "x")
    assert "vous est remboursé sur le moyen de paiement utilisé" in body


def test_a_cheque_or_pickup_buyer_is_told_which_books_they_ordered():
    """The mail of a parent paying by cheque or at pickup said « Commande groupée : n° 62 — 2
    exemplaires » and nothing of the books: a reading list's parent could not check what they
    had ordered before bringing the cheque. Their titles, copies and prices are listed."""
    lines = [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "publisher": "ORSO",
              "quantity": 1, "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "14.90"},
             {"ean": "9782362210419", "title": "LE LIVRE", "publisher": "MIC MAC",
              "quantity": 2, "unit_price_ttc": "6.40", "vat_rate": "5.5", "total_ttc": "12.80"}]
    for method in ("cheque", "pickup"):
        _, _, body = presenters.render("sub_order_placed", placed(
            payment_method=method, lines=lines, quantity=3, total_ttc="27.70"), "x")
        assert ("VOTRE COMMANDE N° 153\n- 1 × « WESTERN COQUILLETTES » (14,90\xa0€ "
                "l'exemplaire) : 14,90\xa0€\n- 2 × « LE LIVRE » (6,40\xa0€ l'exemplaire) : "
                "12,80\xa0€\nTotal : 3 exemplaires, 27,70\xa0€ TTC") in body, method
        assert "regroupement (commande groupée n° 62) initié par COLLEGE VICTOR PROUVE" in body
        assert "Commande groupée : n° 62 — 3 exemplaires" not in body


def test_a_buyer_paying_at_pickup_is_promised_the_ready_mail_only_if_it_will_come():
    """« vous serez prévenu par e-mail quand les livres seront disponibles » was written to
    every buyer paying at pickup, also where the bookshop sends no « Vos livres sont prêts »
    (a distribution at the school, by default): the collectivity tells them there."""
    _, _, body = presenters.render("sub_order_placed", placed(payment_method="pickup"), "x")
    assert "vous serez prévenu par e-mail quand les livres seront disponibles" in body
    _, _, body = presenters.render("sub_order_placed", placed(
        payment_method="pickup", buyers_told_when_ready=False), "x")
    assert "prévenu par e-mail" not in body
    assert f"{REF['client_name']} vous dira quand les livres seront disponibles" in body
