"""An order's detail as a PDF, drawn from its order_document: the bookshop, the customer (SIRET,
Chorus code), the lines, HT / VAT per rate / TTC, the payment, in French."""
import re

from services.common import order_pdf
from tests.support.pdf import pdf_pages, pdf_text

SHOP = {"name": "Librairie des Collectivités", "address": "12 rue Saint-Dizier\n54000 NANCY",
        "email": "contact@librairie.test", "phone": "03 83 00 00 00"}


def line(ean, title, publisher, qty, rate, unit, ht, vat, ttc):
    return {"ean": ean, "title": title, "publisher": publisher, "quantity": qty,
            "vat_rate": rate, "unit_price_ttc": unit, "unit_price_ht": unit, "total_ht": ht,
            "vat_amount": vat, "total_ttc": ttc}


DOC = {"kind": "collectivity_order", "number": 12, "title": "Commande collectivité n°12",
       "placed_at": "2021-06-17T13:06:32+00:00", "status": "En attente de traitement",
       "customer": {"name": "ECOLE JULES FERRY", "email": "ce.0540016@example.org",
                    "address_lines": ["Direction", "12 rue de Vic", "54000 NANCY"],
                    "client_number": "16", "siret": "73282932000074",
                    "chorus_service_code": "SERVICE-ECOLES", "public_buyer": True},
       "reference": "BC 2021-42",
       "lines": [line("9782330150136", "CEMETERY ROAD", "ACTES SUD", 1, "5.5", "22.75",
                      "21.56", "1.19", "22.75"),
                 line("3760000000019", "CARNET DE NOTES LIGNÉ A5", "CLAIREFONTAINE", 7, "20",
                      "3.50", "20.42", "4.08", "24.50")],
       "totals": {"total_ht": "41.98", "total_ttc": "47.25",
                  "vat": [{"rate": "5.5", "base_ht": "21.56", "amount": "1.19"},
                          {"rate": "20", "base_ht": "20.42", "amount": "4.08"}]},
       "payment": {"method": "account", "state_label": "En attente du paiement",
                   "cheque_number": None}}


def test_the_pdf_says_who_sells_to_whom_what_and_the_amounts():
    text = pdf_text(order_pdf.render(DOC, SHOP), layout=True)
    assert "Commande collectivité n°12" in text
    for words in ("Librairie des Collectivités", "12 rue Saint-Dizier", "ECOLE JULES FERRY",
                  "12 rue de Vic", "SIRET : 73282932000074", "SERVICE-ECOLES",
                  "Passée le 17/06/2021 (à 15:06)", "Statut : En attente de traitement",
                  "Référence : BC 2021-42"):
        assert words in text, words
    assert re.search(r"9782330150136\s+CEMETERY ROAD — ACTES SUD\s+1\s+5,5 %\s+22,75 €\s+"
                     r"21,56 €\s+1,19 €\s+22,75 €", text)
    assert "Total HT : 41,98 €" in text and "Total TTC : 47,25 €" in text
    assert "TVA 5,5 % sur 21,56 € HT : 1,19 €" in text
    assert "TVA 20 % sur 20,42 € HT : 4,08 €" in text
    assert "Paiement : En compte — En attente du paiement" in text


def test_a_cheque_is_named_and_a_long_order_spans_pages():
    doc = dict(DOC, payment={"method": "cheque", "state_label": "Paiement confirmé",
                             "cheque_number": "0012345"},
               lines=DOC["lines"] * 60)
    pdf = order_pdf.render_in_child(doc, SHOP)
    assert pdf_pages(pdf) > 1
    text = pdf_text(pdf)
    assert "Chèque à la librairie — Paiement confirmé (chèque n° 0012345)" in text


def test_an_order_with_no_line_yet_still_prints():
    """A grouped order no parent has paid yet: no line, totals at zero."""
    doc = dict(DOC, kind="grouped_order", title="Commande groupée n°3", lines=[],
               totals={"total_ht": "0.00", "total_ttc": "0.00", "vat": []},
               customer=dict(DOC["customer"], siret=None, chorus_service_code=None))
    text = pdf_text(order_pdf.render(doc, SHOP))
    assert "Commande groupée n°3" in text and "Total TTC : 0,00 €" in text
    assert "SIRET" not in text


def test_a_quote_request_is_said_requested_not_placed():
    doc = dict(DOC, kind="quote", title="Demande de devis n°12",
               payment={"method": "none", "state_label": "", "cheque_number": None})
    text = pdf_text(order_pdf.render(doc, SHOP), layout=True)
    assert "Demandée le 17/06/2021 (à 15:06)" in text and "Passée le" not in text
    assert "Demande de devis : n° 12" in text
    assert re.search(r"Client\s+Demande\n", text) and not re.search(r"Client\s+Commande\n", text)


def test_a_chosen_delivery_address_is_printed_beside_the_billing_one():
    """A collectivity order delivered elsewhere (« Intendance, Bâtiment A »): the page and the
    mail said so, the PDF showed only the billing address."""
    doc = dict(DOC, delivery_lines=["COLLEGE VICTOR PROUVE", "Intendance, Bâtiment A",
                                    "1 rue des Écoles", "54000 NANCY"])
    text = pdf_text(order_pdf.render(doc, SHOP), layout=True)
    assert "Livraison" in text and "Intendance, Bâtiment A" in text
    assert "12 rue de Vic" in text and "SIRET : 73282932000074" in text  # billing kept whole
    assert "Livraison" not in pdf_text(order_pdf.render(DOC, SHOP), layout=True)


def test_a_quote_requests_pdf_has_no_payment_line():
    quote = dict(DOC, kind="quote", title="Demande de devis n° 12",
                 payment={"method": "none", "state_label": "rien à payer sur une demande de "
                                                         "devis", "cheque_number": None})
    text = pdf_text(order_pdf.render(quote, SHOP), layout=True)
    assert "Demande" in text and "Paiement" not in text and "Total TTC : 47,25" in text


def test_a_long_email_address_breaks_after_its_at_sign():
    """« approbateur@victorprouve.or / g » in a narrow heading block: cut after « @ »."""
    from services.common.sheets import fonts, wrap
    regular, _ = fonts()
    assert wrap("approbateur@victorprouve.org", regular, 8.0, 100) == [
        "approbateur@", "victorprouve.org"]
    assert wrap("Jean-Baptiste-Poquelin-Molière", regular, 8.0, 60)[0].endswith("-")
