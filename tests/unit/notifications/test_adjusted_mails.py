"""The mail of a title cut (issue 10, K3): exactly what changed for the buyer — the title, the
copies before → after, the total before → after, and the money: refunded online, handed back
by the bookshop, or simply less to pay."""
from services.common.contracts.events import load_envelope, make_envelope
from services.notifications import presenters

from .test_grouped_order_mails import BUYER, REF

ADJUSTED = {"sub_order_number": 149, "grouped_order": REF, "buyer": BUYER,
            "ean": "9791097284657", "title": "WESTERN COQUILLETTES", "quantity_before": 2,
            "quantity_after": 1, "unit_price_ttc": "14.90", "total_before": "36.20",
            "total_after": "21.30", "amount": "14.90", "money_way": "online_refund",
            "payment_method": "online",
            "lines": [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                       "publisher": "ORSO", "quantity": 1, "unit_price_ttc": "14.90",
                       "vat_rate": "5.5", "total_ttc": "14.90"},
                      {"ean": "9782362210419", "title": "LE LIVRE", "publisher": "MIC MAC",
                       "quantity": 1, "unit_price_ttc": "6.40", "vat_rate": "5.5",
                       "total_ttc": "6.40"}],
            "adjusted_at": "2022-03-30T08:05:00+00:00"}


def render(**changes):
    payload = load_envelope("sub_order_adjusted", make_envelope(
        "sub_order_adjusted", dict(ADJUSTED, **changes), "grouped_orders"))[1]
    return presenters.render("sub_order_adjusted", payload, "http://x")


def test_the_buyer_is_told_the_title_the_copies_the_totals_and_the_refund():
    to, subject, body = render()
    assert to == "jared.leto@free.fr"
    assert subject == "Votre commande n° 149 est modifiée : titre indisponible"
    assert "« WESTERN COQUILLETTES » : 2 → 1 exemplaire (14,90\xa0€ l'exemplaire)" in body
    assert "Total de votre commande : 36,20\xa0€ → 21,30\xa0€" in body
    assert "- 1 × LE LIVRE : 6,40\xa0€" in body
    assert "La différence, 14,90\xa0€, vous est remboursée sur le moyen de paiement utilisé" \
        in body


def test_a_cheque_is_handed_back_and_an_unpaid_order_owes_less():
    _, _, body = render(money_way="by_hand", payment_method="cheque")
    assert "vous sera rendue par la librairie (sur votre chèque) : aucun remboursement en " \
           "ligne" in body
    _, _, body = render(money_way="none", amount="0.00", payment_method="cheque")
    assert "le montant à payer est désormais de 21,30\xa0€" in body
    assert "rembours" not in body


def test_an_unpaid_online_order_is_not_told_to_pay_what_it_no_longer_can():
    """A title cut comes once subscriptions are closed: an online buyer who had not paid was
    told « le montant à payer est désormais de … » although no payment can start any more."""
    _, _, body = render(money_way="none", amount="0.00")
    assert "Votre commande n'est pas payée : son montant est désormais de 21,30\xa0€. Les " \
           "souscriptions étant closes, elle ne peut plus être payée en ligne." in body
    assert "montant à payer" not in body and "rembours" not in body


def test_an_optional_title_under_its_minimum_says_so():
    to, subject, body = render(cause="minimum_not_reached", title_minimum=5, title_paid=2,
                               quantity_after=0, total_after="6.40", amount="29.80")
    assert subject == "Votre commande n° 149 est modifiée : minimum non atteint pour un titre"
    assert ("n'a pas atteint, à la clôture des souscriptions, son minimum de 5 exemplaires payés (2 payés) : "
            "il est retiré de la commande groupée") in body
    assert "« WESTERN COQUILLETTES » : 2 → 0 exemplaire" in body
    assert "La différence, 29,80\xa0€, vous est remboursée" in body
