"""An invoice issued after a refund noted at pickup (distribution day) says what was paid net of
it, not « Déjà réglé » the whole total: paid − refunded (+ paid more) = net paid, and total TTC
− net paid = the balance, to the cent."""
from services.common import config
from services.invoicing import presenters, render, use_cases

from tests.support.pdf import pdf_text

from .conftest import NOW, document, line

BUYER = {"name": "Oscar Martin", "email": "oscar@free.fr", "address_lines": [],
         "client_number": "", "siret": "", "chorus_service_code": "", "public_buyer": False}


def sub_order(refunded="0.00", extra="0.00", **changes):
    doc = document(kind="sub_order", number=154, paid=True, customer=BUYER,
                   lines=[line(unit_ttc="14.90", qty=2)], **changes)
    doc["payment"] = dict(doc["payment"], method="online", cheque_number=None,
                          refunded_at_pickup=refunded, extra_at_pickup=extra)
    return doc


def issued(db, record, doc):
    with db.transaction() as s:
        return use_cases.issue_invoice(s, doc["kind"], doc["number"], doc, "a", NOW, record)


def test_the_invoice_freezes_the_refund_noted_at_pickup_and_the_net_paid(db, record):
    view = issued(db, record, sub_order(refunded="14.90"))
    assert view["total_ttc"] == "29.80"
    assert view["settlement"] == {"paid": "29.80", "refunded_at_pickup": "14.90",
                                  "extra_at_pickup": "0.00", "net_paid": "14.90",
                                  "balance": "14.90"}
    with db.transaction() as s:  # read again: the figures were stored with the invoice
        again = use_cases.get_invoice(s, view["number"])
    assert again["settlement"] == view["settlement"]


def test_its_pdf_no_longer_says_the_whole_total_was_paid(db, record):
    view = presenters.document_view(issued(db, record, sub_order(refunded="14.90")),
                                    config.seller())
    html = " ".join(render.html(view).split())  # no-break spaces too
    assert "Déjà réglé</th><td class=\"n\">29,80" not in html
    assert "Payé</th><td class=\"n\">29,80 €" in html
    assert "Remboursé au retrait des livres</th><td class=\"n\">−14,90 €" in html
    assert "Net réglé</th><td class=\"n\">14,90 €" in html
    assert "Solde remboursé au retrait (à régulariser par un avoir)</th>" \
           "<td class=\"n\">14,90 €" in html
    assert view["payment_text"] == (
        "Facture réglée en ligne : 29,80\xa0€ payés, 14,90\xa0€ remboursés au retrait des "
        "livres ; net réglé : 14,90\xa0€.")


def test_an_extra_payment_and_a_refund_net_out(db, record):
    view = issued(db, record, sub_order(refunded="3.00", extra="3.00"))
    assert view["settlement"]["net_paid"] == "29.80" and view["settlement"]["balance"] == "0.00"


def test_without_a_note_the_invoice_is_paid_in_full_as_before(db, record):
    view = presenters.document_view(issued(db, record, sub_order()), config.seller())
    assert view["settlement"]["net_paid"] == "29.80" and view["settlement"]["balance"] == "0.00"
    html = " ".join(render.html(view).split())  # no-break spaces too
    assert "Déjà réglé</th><td class=\"n\">29,80 €" in html
    assert "Remboursé au retrait" not in html
    assert view["payment_text"] == "Facture acquittée (en ligne)."


def test_the_pdf_text_reads_the_net_paid(db, record):
    from tests.support.pdf import pdf_text
    view = presenters.document_view(issued(db, record, sub_order(refunded="14.90")),
                                    config.seller())
    text = " ".join(pdf_text(render.render(view)).split())
    assert "Remboursé au retrait des livres −14,90 €" in text
    assert "Net réglé 14,90 €" in text and "Déjà réglé" not in text


def test_the_credit_note_that_regularises_a_refund_at_pickup_asks_nothing_more(db, record):
    """14,90 € handed back at pickup, « à régulariser par un avoir »: the credit note for that
    copy says it was refunded already (nothing more to refund); a second one for the other copy
    is refunded in full (the pickup refund is regularised once, by the first)."""
    from services.invoicing.domain.mentions import credit_note_settlement
    invoice = issued(db, record, sub_order(refunded="14.90"))
    with db.transaction() as s:  # the Finances page says a credit note is to be issued
        (row,) = use_cases.list_invoices(s)["items"]
    assert row["to_regularise"] == "14.90"
    with db.transaction() as s:
        first = use_cases.issue_credit_note(s, invoice["number"], {"1": "1"}, "Rendu au retrait",
                                            "a", NOW, record)
    assert first["credit"] == {"mode": "refund", "credited": "14.90",
                               "already_refunded": "14.90", "to_refund": "0.00",
                               "to_deduct": "0.00"}
    text = " ".join(pdf_text(render.render(presenters.document_view(
        first, config.seller()))).split())
    assert "Déjà remboursé au retrait des livres −14,90 € Montant à rembourser 0,00 €" in text
    assert "rien de plus à rembourser" in text
    with db.transaction() as s:
        second = use_cases.issue_credit_note(s, invoice["number"], None, "Annulation", "a", NOW,
                                             record)
    assert second["credit"]["already_refunded"] == "0.00"
    assert second["credit"]["to_refund"] == "14.90"
    with db.transaction() as s:  # read again: the same figures; nothing left to regularise
        assert use_cases.get_invoice(s, first["number"])["credit"] == first["credit"]
        listed = {i["number"]: i for i in use_cases.list_invoices(s)["items"]}
        # what « all that is left » would credit, said on the credit note's page
        assert use_cases.get_invoice(s, invoice["number"])["remaining_ttc"] == "0.00"
    assert "to_regularise" not in listed[invoice["number"]]
    assert invoice["remaining_ttc"] == "29.80"
    # a credit note larger than what was handed back: the rest is refunded, both said
    part_view = {"kind": "credit_note", "invoice_number": invoice["number"],
                 "invoice_issued_on": "2027-03-01",
                 "credit": {"mode": "refund", "credited": "29.80", "already_refunded": "14.90",
                            "to_refund": "14.90", "to_deduct": "0.00"}}
    assert presenters.credit_note_text(part_view) == (
        f"La facture n° {invoice['number']} du 01/03/2027 ayant été réglée, le montant de cet "
        "avoir (29,80\xa0€) vous revient (déjà remboursé au retrait des livres : 14,90\xa0€ ; "
        "reste à vous rembourser : 14,90\xa0€).")
    # the rule itself: a part already handed back, the rest to refund; unpaid: deducted
    part = credit_note_settlement("20.00", True, "14.90", "0.00")
    assert (str(part["already_refunded"]), str(part["to_refund"])) == ("14.90", "5.10")
    assert credit_note_settlement("20.00", False, "0", "0")["mode"] == "deduct"


def test_an_invoice_not_paid_yet_asks_for_no_credit_note(db, record):
    """Every invoice of a collectivity order not paid yet said « avoir à émettre : 177,28 €
    remboursés au retrait » on the Finances page: its balance is what it still owes, not money
    handed back."""
    issued(db, record, document())  # a collectivity order, invoiced before its payment
    with db.transaction() as s:
        (row,) = use_cases.list_invoices(s)["items"]
    assert row["settlement"]["net_paid"] == "0.00"
    assert row["settlement"]["balance"] != "0.00" and "to_regularise" not in row
