"""Invoices end to end (issue 9, reference 003 step 2), through the gateway's pages as the
bookshop and the customers use them: a paid sub-order invoiced with « Générer une facture »
(asked twice: one invoice; an unpaid one refused even by a forged request: 409 in French), its
PDF read with pdftotext, the parent downloading it from their own page, the sub-order then
refusing its cancellation (409 in French, nothing changed), a credit note that cancels the
invoice (next number of the same series, its own PDF) and unlocks it; a collectivity order of a
public buyer invoiced as a Factur-X that the factur-x library reads and checks; the register and
its CSV on the Finances page."""
import csv
import html
import io
import re
from decimal import Decimal

import facturx
import pytest

from services.invoicing.domain import numbering
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.pdf import pdf_text
from tests.support.suite import wait_until

WESTERN = "9791097284657"
CEMETERY = "9782330150136"
SIRET = "21540395700008"


@pytest.fixture(scope="module")
def admin(suite, people):
    return api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)


def form_post(session, suite, page, action, **data):
    token = csrf_token(session, suite.gateway_url + page)
    return session.post(suite.gateway_url + action, data={"csrf_token": token, **data},
                        allow_redirects=False)


def words(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf, layout=True).split())


def invoices_of(suite, kind, number):
    with suite.rpc() as rpc:
        return rpc.invoicing.order_invoices(kind, number)


def test_a_sub_order_invoiced_locked_and_credited(suite, people, demo_feeds, admin):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    sub = grouped.subscribe(suite, token, "Margot", "Facture", 2)
    other = grouped.subscribe(suite, token, "Autre", "Parent", 1)
    grouped.pay(suite, token, sub)
    page = f"/admin/commandes-groupees/{go['number']}"
    detail = html.unescape(admin.get(suite.gateway_url + page).text)
    assert f"/admin/factures/emettre/sous-commande/{sub['number']}" in detail
    assert f"/admin/factures/emettre/sous-commande/{other['number']}" not in detail  # unpaid
    forged = form_post(admin, suite, page, f"/admin/factures/emettre/sous-commande/"
                       f"{other['number']}", back=page, confirmed="1")  # the button hidden
    assert forged.status_code == 409 and "pas encore payée" in html.unescape(forged.text)
    assert invoices_of(suite, "sub_order", other["number"]) == []

    action = f"/admin/factures/emettre/sous-commande/{sub['number']}"
    ask = form_post(admin, suite, page, action, back=page)
    assert ask.status_code == 200 and "Générer la facture" in html.unescape(ask.text)
    assert invoices_of(suite, "sub_order", sub["number"]) == []
    done = form_post(admin, suite, page, action, back=page, confirmed="1")
    assert done.status_code == 302 and done.headers["Location"].endswith(page)
    again = form_post(admin, suite, page, action, back=page, confirmed="1")  # a double click
    assert again.status_code == 302
    (invoice,) = invoices_of(suite, "sub_order", sub["number"])
    number = invoice["number"]
    year, month, sequence = numbering.parse_number(number)
    assert (year, month) == (int(invoice["issued_on"][:4]), int(invoice["issued_on"][5:7]))
    assert invoice["total_ttc"] == "29.80" and invoice["paid"]

    pdf = admin.get(suite.gateway_url + f"/admin/factures/{number}.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = words(pdf.content)
    for expected in (f"Facture n° {number}", "SIRET : 12345678200010", "FR11123456782",
                     "Margot Facture", "WESTERN COQUILLETTES", "Prix unitaire TTC",
                     "Total TTC 29,80 €", "Facture acquittée (en ligne)",
                     "trois fois le taux d'intérêt légal", "Pas d'escompte"):
        assert expected in text, expected
    assert "40 €" not in text  # a parent is no professional buyer
    assert "Prix unitaire HT" not in text and "14,12" not in text  # 14,12 × 2 ≠ 28,25
    ht, vat = Decimal(invoice["total_ht"]), Decimal(invoice["vat_total"])
    assert ht + vat == Decimal("29.80") and invoice["vat"][0]["rate"] == "5.5"

    # the parent, from their own page, which the invoice's mail gives them
    own = f"/souscription/{token}/commande/{sub['buyer_token']}"

    def invoice_mail():
        with suite.rpc() as rpc:
            for m in rpc.notifications.list_mails(500, sub["email"])["mails"]:
                if m["kind"] == "invoice_issued":
                    return rpc.notifications.get_mail(m["id"])
    mail = wait_until(invoice_mail, timeout=30, message="the parent's invoice mail")
    assert mail["subject"] == f"Votre facture n° {number} — commande n° {sub['number']}"
    assert "Elle est acquittée" in mail["body"] and \
        f"{suite.gateway_url.rstrip('/')}{own}" in mail["body"].replace("\n", " ")
    assert f"{own}/factures/{number}.pdf" in admin.get(suite.gateway_url + own).text
    mine = teacher.get(suite.gateway_url + f"{own}/factures/{number}.pdf")
    assert mine.status_code == 200 and f"Facture n° {number}" in words(mine.content)
    wrong = teacher.get(suite.gateway_url + f"/souscription/{token}/commande/"
                        f"{other['buyer_token']}/factures/{number}.pdf")
    assert wrong.status_code == 404

    # the invoiced sub-order refuses its cancellation, nothing changed
    def refused():
        r = form_post(admin, suite, page, f"/admin/sous-commandes/{sub['number']}/annuler",
                      grouped_order=str(go["number"]), confirmed="1", reason="Erreur")
        # said on the grouped order's page, answered 409
        return r.status_code == 409 and "est facturée" in html.unescape(r.text)
    wait_until(refused, timeout=30, message="the invoiced sub-order is locked")
    assert grouped.buyer_status(suite, token, sub)["status"] == "paid"

    # a credit note for all of it: the next number of the same series, its own PDF
    note_page = f"/admin/factures/{number}/avoir"
    assert "Émettre l'avoir" in html.unescape(admin.get(suite.gateway_url + note_page).text)
    bad = form_post(admin, suite, note_page, note_page, scope="lines", position="1",
                    quantity="5", reason="Trop")
    assert bad.status_code == 400 and "On ne peut créditer que 2" in html.unescape(bad.text)
    made = form_post(admin, suite, note_page, note_page, scope="all",
                     reason="Commande annulée à la demande du parent")
    assert made.status_code == 302
    told = html.unescape(admin.get(suite.gateway_url + made.headers["Location"]).text)
    assert ("29,80\xa0€ remboursés au parent sur le moyen de paiement utilisé en ligne" in told
            and "faites-le vous-même" not in told)
    invoice, note = invoices_of(suite, "sub_order", sub["number"])
    assert note["kind"] == "credit_note" and invoice["cancelled"]

    # the credit note's money goes back to the parent: payments refunds it (its own key), the
    # parent's page and mail say so, the payout loses it
    def given_back():
        mine = html.unescape(admin.get(suite.gateway_url + own).text)
        return f"Avoir n° {note['number']} sur votre facture" in mine and \
            "ce montant vous a été remboursé" in mine
    wait_until(given_back, timeout=30, message="the credit note refunded to the parent")
    with suite.rpc() as rpc:
        (payment,) = [p for p in rpc.payments.list_payments("sub_order", str(sub["number"]))
                      if p["state"] in ("succeeded", "refunded")]
        refunds = [(r["amount"], r["state"]) for r in payment["refunds"]]
    assert payment["state"] == "refunded" and refunds == [("29.80", "succeeded")]
    email = sub["email"]

    def refund_mail():
        with suite.rpc() as rpc:
            for m in rpc.notifications.list_mails(500, email)["mails"]:
                if m["kind"] == "sub_order_refunded":
                    return rpc.notifications.get_mail(m["id"])
    mail = wait_until(refund_mail, timeout=30, message="the parent's refund mail")
    assert mail["subject"] == f"Remboursement de 29,80\xa0€ — commande n° {sub['number']}"
    assert f"Un avoir (n° {note['number']}) a été émis sur la facture n° {number}" in \
        mail["body"] and "a été annulée" not in mail["body"]
    assert numbering.parse_number(note["number"])[2] > sequence
    assert note["total_ttc"] == "29.80" and note["invoice_number"] == number
    note_pdf = words(admin.get(suite.gateway_url + f"/admin/factures/{note['number']}.pdf")
                     .content)
    assert f"Avoir n° {note['number']}" in note_pdf
    assert f"Avoir sur la facture n° {number}" in note_pdf

    # cancelled by the credit note, the sub-order may be cancelled now
    def cancelled():
        form_post(admin, suite, page, f"/admin/sous-commandes/{sub['number']}/annuler",
                  grouped_order=str(go["number"]), confirmed="1", reason="Annulée")
        return grouped.buyer_status(suite, token, sub)["status"] == "cancelled"
    wait_until(cancelled, timeout=30, message="the credited sub-order unlocked")
    # … and its cancellation refunds nothing more: the credit note gave it all back
    mine = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(
        admin.get(suite.gateway_url + own).text)).split())
    assert "Total remboursé : 29,80 €" in mine and "Remboursement en cours" not in mine
    assert "Statut Annulée et remboursée" in mine
    with suite.rpc() as rpc:
        again = [p for p in rpc.payments.list_payments("sub_order", str(sub["number"]))
                 if p["payment_id"] == payment["payment_id"]][0]
    assert [r["amount"] for r in again["refunds"]] == ["29.80"]

    # the register and its CSV on the Finances page
    finances = html.unescape(admin.get(suite.gateway_url + "/admin/finances").text)
    assert f"Facture n° {number}" in finances and f"Avoir n° {note['number']}" in finances
    rows = list(csv.reader(io.StringIO(admin.get(
        suite.gateway_url + "/admin/finances/factures.csv").content.decode("utf-8-sig")),
        delimiter=";"))
    ours = {r[0]: r for r in rows[1:]}
    assert ours[number][11] == "29,80" and ours[note["number"]][11] == "-29,80"
    sequences = sorted(numbering.parse_number(r[0])[2] for r in rows[1:])
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))


def test_a_public_buyer_gets_a_facturx_and_non_admins_cannot_issue(suite, people, demo_feeds,
                                                                   admin):
    other = api_session(suite, people["other"]["email"], PASSWORD)
    with suite.rpc() as rpc:  # COLLEGE VICTOR PROUVE (21) is a public buyer
        rpc.accounts.set_client_billing(admin.me["id"], "21", SIRET, "SERVICE-CDI")
    api = suite.gateway_url + "/api/v1"
    bid = other.post(api + "/baskets", json={"name": "Facture publique"}).json()["id"]
    assert other.post(api + f"/baskets/{bid}/lines",
                      json={"ean": CEMETERY, "quantity": 3}).status_code == 201
    r = other.post(api + f"/baskets/{bid}/transformation",
                   json={"kind": "order", "reference": "BC-CHORUS-1"})
    assert r.status_code == 200, r.text
    n = r.json()["number"]
    page = f"/admin/commandes-collectivite/{n}"
    assert "Générer une facture" in html.unescape(admin.get(suite.gateway_url + page).text)
    action = f"/admin/factures/emettre/commande-collectivite/{n}"
    # only the bookshop issues invoices
    assert form_post(other, suite, f"/mes-commandes-collectivite/{n}", action,
                     confirmed="1").status_code == 403
    assert form_post(admin, suite, page, action, back=page, confirmed="1").status_code == 302
    (invoice,) = invoices_of(suite, "collectivity_order", n)
    assert invoice["customer"]["public_buyer"] and invoice["facturx"]
    number = invoice["number"]

    # the collectivity downloads it from its order page; the other collectivity cannot
    own = f"/mes-commandes-collectivite/{n}"
    assert f"{own}/factures/{number}.pdf" in other.get(suite.gateway_url + own).text
    pdf = other.get(suite.gateway_url + f"{own}/factures/{number}.pdf")
    assert pdf.status_code == 200
    text = words(pdf.content)
    for expected in (f"Facture n° {number}", f"SIRET : {SIRET}",
                     "Code service (Chorus Pro) : SERVICE-CDI", "BC-CHORUS-1",
                     "indemnité forfaitaire de 40 €", "Date d'échéance",
                     # the collectivity's 9 % off CEMETERY ROAD's public 25,00 € is shown
                     "Prix public TTC", "soit −2,25 €", "22,75 € 3 5,5 %",
                     "total des remises accordées : 6,75 € TTC"):
        assert expected in text, expected
    filename, xml = facturx.get_facturx_xml_from_pdf(pdf.content, check_xsd=True)
    assert filename == "factur-x.xml"
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    body = xml.decode()
    assert f'<ram:ID schemeID="0009">{SIRET}</ram:ID>' in body
    assert "<ram:BuyerReference>SERVICE-CDI</ram:BuyerReference>" in body
    assert "<ram:GrossPriceProductTradePrice>" in body  # 25,00 € public, its discount
    assert f"<ram:GrandTotalAmount>{invoice['total_ttc']}</ram:GrandTotalAmount>" in body
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    assert teacher.get(suite.gateway_url + f"{own}/factures/{number}.pdf").status_code in (
        403, 404)

    # the invoiced order refuses "Annuler" in French, and stays as it was
    def refused():
        r = form_post(admin, suite, page, page + "/cancelled", confirmed="1",
                      reason="Erreur de saisie")
        return r.status_code == 409 and "est facturée" in html.unescape(r.text)
    wait_until(refused, timeout=30, message="the invoiced collectivity order is locked")
    doc = other.get(api + f"/documents/order/{n}").json()
    assert doc["status"] != "cancelled"
    assert re.match(r"^\d{4}-\d{2}-\d{9}$", number)

    # its transfer came in: « Marquer réglée » on the Finances page, once; its PDF says so
    finances = html.unescape(admin.get(suite.gateway_url + "/admin/finances").text)
    assert f"/admin/factures/{number}/reglement" in finances and "À encaisser" in finances
    settle = f"/admin/factures/{number}/reglement"
    asked = form_post(admin, suite, "/admin/finances", settle, back="/admin/finances")
    assert asked.status_code == 200 and "Mode de règlement" in html.unescape(asked.text)
    done = form_post(admin, suite, "/admin/finances", settle, back="/admin/finances",
                     confirmed="1", reason="virement du 07/12")
    assert done.status_code == 302
    again = form_post(admin, suite, "/admin/finances", settle, back="/admin/finances",
                      confirmed="1", reason="virement du 07/12")
    assert again.status_code == 409 and "déjà réglée" in html.unescape(again.text)
    text = words(admin.get(suite.gateway_url + f"/admin/factures/{number}.pdf").content)
    assert "Facture acquittée le" in text and "(virement du 07/12)" in text
    # the order desk's payment column follows (`invoice_settled`), once
    desk = f"/admin/commandes/collectivity_order/{n}"
    wait_until(lambda: "Facture réglée" in html.unescape(admin.get(suite.gateway_url + desk).text),
               timeout=30, message="the desk says the invoice is paid")
    listed = html.unescape(admin.get(suite.gateway_url + "/admin/commandes?payment_state="
                                     "succeeded&kind=collectivity_order").text)
    assert "Facture réglée" in listed


def test_the_api_the_credit_note_and_the_desk_calendar(suite, people, demo_feeds, admin):
    """A collectivity order invoiced then credited entirely: the API gives the bookshop the
    register, each document and its PDF, and the collectivity its own only (another's is a
    404); the credit note reads as an avoir (« Montant crédité, à déduire », no late-payment
    penalties); the order desk's calendar no longer counts the order on its day but shows it
    apart, « annulée par avoir »."""
    other = api_session(suite, people["other"]["email"], PASSWORD)
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    api = suite.gateway_url + "/api/v1"
    bid = other.post(api + "/baskets", json={"name": "Facture API"}).json()["id"]
    assert other.post(api + f"/baskets/{bid}/lines",
                      json={"ean": CEMETERY, "quantity": 2}).status_code == 201
    r = other.post(api + f"/baskets/{bid}/transformation",
                   json={"kind": "order", "reference": "BC-API-1"})
    assert r.status_code == 200, r.text
    n = r.json()["number"]
    with suite.rpc() as rpc:
        number = rpc.invoicing.issue_invoice(admin.me["id"], "collectivity_order", n)["number"]

    # the bookshop: the register, the invoice, its PDF
    register = admin.get(api + "/admin/invoices?limit=50").json()
    assert number in [i["number"] for i in register["items"]]
    assert set(register["totals"]) == {"invoice", "credit_note", "net", "to_collect"}
    body = admin.get(api + f"/admin/invoices/{number}").json()
    assert body["order"] == {"kind": "collectivity_order", "number": n,
                             "kind_label": "Commande collectivité"}
    assert body["lines"][0]["ean"] == CEMETERY and body["lines"][0]["quantity"] == 2
    pdf = admin.get(api + f"/admin/invoices/{number}/pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert f"Facture n° {number}" in words(pdf.content)
    assert admin.get(api + "/admin/invoices/2000-01-000000000").status_code == 404
    # found by the collectivity's name as typed, and by the day it was issued (PostgreSQL)
    found = admin.get(api + "/admin/invoices", params={"recherche": "Collège PROUVÉ bc-api-1"})
    assert [i["number"] for i in found.json()["items"]] == [number]
    today = body["issued_on"]
    page = html.unescape(admin.get(suite.gateway_url + "/admin/finances", params={
        "recherche": "college prouve", "du": today, "au": today}).text)
    assert f"Facture n° {number}" in page
    rows = admin.get(suite.gateway_url + "/admin/finances/factures.csv",
                     params={"du": today, "au": today}).content.decode("utf-8-sig")
    assert number in rows
    assert number not in admin.get(suite.gateway_url + "/admin/finances/factures.csv",
                                   params={"au": "2001-01-01"}).content.decode("utf-8-sig")

    # the collectivity: its own only; another collectivity's is as if it did not exist
    assert number in [i["number"] for i in other.get(api + "/invoices").json()["items"]]
    assert other.get(api + f"/invoices/{number}").json()["total_ttc"] == body["total_ttc"]
    mine = other.get(api + f"/invoices/{number}/pdf")
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert number not in [i["number"] for i in teacher.get(api + "/invoices").json()["items"]]
    for path in (f"/invoices/{number}", f"/invoices/{number}/pdf"):
        r = teacher.get(api + path)
        assert r.status_code == 404 and r.json()["error"] == "not_found", path
    assert other.get(api + "/admin/invoices").status_code == 403
    import requests
    assert requests.get(api + "/invoices").status_code == 401

    # the desk counts the order on its day while its invoice is live
    def day_of_order():
        with suite.rpc() as rpc:
            order = rpc.order_desk.get_order("collectivity_order", n)
            if order["invoice_number"] != number:
                return None
            day = order["placed_day"]
            cal = rpc.order_desk.calendar(int(day[:4]), int(day[5:7]))
        return order, next(c for w in cal["weeks"] for c in w if c["day"] == day)
    order, before = wait_until(day_of_order, timeout=30, message="the invoice on the desk")
    assert not order["credited"]

    # a credit note for all of it: an avoir's wording, and the desk shows the order apart
    note_page = f"/admin/factures/{number}/avoir"
    made = form_post(admin, suite, note_page, note_page, scope="all",
                     reason="Commande refusée par la collectivité")
    assert made.status_code == 302
    note = other.get(api + "/invoices").json()["items"][0]
    assert (note["kind"], note["invoice_number"]) == ("credit_note", number)
    text = words(other.get(api + f"/invoices/{note['number']}/pdf").content)
    assert f"Avoir sur la facture n° {number} du " in text
    assert f"Montant crédité, à déduire {body['total_ttc'].replace('.', ',')} €" in text
    for wrong in ("pénalités", "escompte", "Date d'échéance", "Conditions de paiement"):
        assert wrong not in text, wrong

    def credited():
        with suite.rpc() as rpc:
            order = rpc.order_desk.get_order("collectivity_order", n)
            if not order["credited"]:
                return None
            day = order["placed_day"]
            cal = rpc.order_desk.calendar(int(day[:4]), int(day[5:7]))
        return next(c for w in cal["weeks"] for c in w if c["day"] == day)
    after = wait_until(credited, timeout=30, message="the order credited on the desk")
    assert after["credited"] >= 1 and after["count"] == before["count"] - 1
    assert Decimal(after["total_ttc"]) == Decimal(before["total_ttc"]) - Decimal(
        body["total_ttc"])
    desk = html.unescape(admin.get(suite.gateway_url + "/admin/commandes").text)
    assert "annulée par avoir" in desk


def test_the_paid_sub_orders_invoiced_at_once(suite, people, demo_feeds, admin):
    """« Facturer les sous-commandes payées » on the desk's page of a grouped order: one
    confirmation, each paid sub-order its own invoice, the unpaid one left alone; again: none
    issued twice."""
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    paid = [grouped.subscribe(suite, token, f"Parent{k}", "Payé", 1) for k in range(3)]
    for sub in paid:
        grouped.pay(suite, token, sub)
    unpaid = grouped.subscribe(suite, token, "Parent", "Impayé", 1)
    page = f"/admin/commandes/grouped_order/{go['number']}"
    wait_until(lambda: admin.get(suite.gateway_url + page).status_code == 200, timeout=30,
               message="the grouped order on the desk")
    action = f"/admin/factures/emettre/sous-commandes-payees/{go['number']}"
    assert "Facturer les sous-commandes payées" in html.unescape(
        admin.get(suite.gateway_url + page).text)
    ask = form_post(admin, suite, page, action, back=page)
    assert ask.status_code == 200 and "3 sous-commande(s) payée(s)" in html.unescape(ask.text)
    done = form_post(admin, suite, page, action, back=page, confirmed="1")
    assert done.status_code == 302 and done.headers["Location"].endswith(page)
    numbers = [invoices_of(suite, "sub_order", sub["number"])[0]["number"] for sub in paid]
    sequences = [numbering.parse_number(n)[2] for n in numbers]
    assert sorted(sequences) == list(range(min(sequences), min(sequences) + 3))
    assert invoices_of(suite, "sub_order", unpaid["number"]) == []
    assert "3 facture(s) émise(s)" in html.unescape(admin.get(suite.gateway_url + page).text)
    form_post(admin, suite, page, action, back=page, confirmed="1")  # again: nothing new
    assert [len(invoices_of(suite, "sub_order", s["number"])) for s in paid] == [1, 1, 1]


def test_copies_credited_are_neither_ordered_counted_paid_nor_handed_over(suite, people,
                                                                        demo_feeds, admin):
    """The black-box tester's case: a parent's copy credited (« Titre épuisé chez l'éditeur »)
    and refunded was still counted paid, ordered from the supplier, sent to Librisoft, handed
    to the logistician and told ready. Through the pages and the API, as the bookshop works."""
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN, days=2, pickup="bookshop")
    n = go["number"]
    sub = grouped.subscribe(suite, token, "Paul", "Avoir", 3)
    grouped.pay(suite, token, sub)
    other = grouped.subscribe(suite, token, "Lise", "Entiere", 1)
    grouped.pay(suite, token, other)
    page = f"/admin/commandes-groupees/{n}"
    action = f"/admin/factures/emettre/sous-commande/{sub['number']}"
    assert form_post(admin, suite, page, action, back=page, confirmed="1").status_code == 302
    (invoice,) = invoices_of(suite, "sub_order", sub["number"])
    note_page = f"/admin/factures/{invoice['number']}/avoir"
    made = form_post(admin, suite, note_page, note_page, scope="lines", position="1",
                     quantity="1", reason="Titre épuisé chez l'éditeur")
    assert made.status_code == 302, made.text
    api = suite.gateway_url + "/api/v1"

    def counted():
        view = admin.get(f"{api}/admin/grouped-orders/{n}").json()
        return view["summary"]["total_paid"] == "44.70" and view  # (3 − 1 + 1) × 14.90
    view = wait_until(counted, timeout=30, message="the credited copy out of the paid total")
    assert view["summary"]["articles"]["paid"] == 3
    assert [(s["number"], s["quantity"], s["total"]) for s in view["sub_orders"]
            if s["number"] == sub["number"]] == [(sub["number"], 2, "29.80")]
    totals = teacher.get(f"{api}/grouped-orders/{n}/supplier-totals").json()
    assert (totals["totals"]["copies_paid"], totals["totals"]["ttc_paid"]) == (3, "44.70")
    # the refund once, on the card used
    with suite.rpc() as rpc:
        wait_until(lambda: [r["amount"] for p in rpc.payments.list_payments(
            "sub_order", str(sub["number"])) for r in p["refunds"]] == ["14.90"],
            timeout=30, message="the credit note's refund")

    # validated and made available: Librisoft, the logistician and the ready mail get 3
    grouped.pass_deadline(suite, n)
    wait_until(lambda: admin.get(f"{api}/admin/grouped-orders/{n}").json()["status"] ==
               "awaiting_validation", timeout=30, message="the deadline timer")
    assert admin.post(f"{api}/admin/grouped-orders/{n}/validation", json={}).status_code == 200
    ours = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                               if o["source_kind"] == "grouped_order"
                               and o["source_number"] == n], timeout=30,
                      message="the classic order in the bridge")
    assert sum(line["quantity"] for line in ours[0]["lines"]) == 3
    assert admin.post(f"{api}/admin/grouped-orders/{n}/availability", json={}).status_code == 200
    with suite.rpc() as rpc:
        def candidate():
            return next((c for c in rpc.logistics.list_candidates()["candidates"]
                         if c["key"] == f"grouped_order:{n}"), None)
        assert wait_until(candidate, timeout=30, message="the logistician's candidate")[
            "quantity"] == 3

    def ready_mail():
        with suite.rpc() as rpc:
            for m in rpc.notifications.list_mails(500, sub["email"])["mails"]:
                if m["kind"] == "sub_order_made_available":
                    return rpc.notifications.get_mail(m["id"])
    body = wait_until(ready_mail, timeout=30, message="the ready mail")["body"]
    body = body.replace("\xa0", " ").replace("\u202f", " ")
    assert "- 2 × « WESTERN COQUILLETTES » — 29,80 €" in body and "3 ×" not in body, body

    # credited after « Mettre à disposition » (the third tester's case): Lise's copy, all of
    # her order, is no longer handed to the logistician either
    action = f"/admin/factures/emettre/sous-commande/{other['number']}"
    assert form_post(admin, suite, page, action, back=page, confirmed="1").status_code == 302
    (invoice,) = invoices_of(suite, "sub_order", other["number"])
    note_page = f"/admin/factures/{invoice['number']}/avoir"
    assert form_post(admin, suite, note_page, note_page, scope="all",
                     reason="Livre abîmé").status_code == 302
    with suite.rpc() as rpc:
        wait_until(lambda: (candidate() or {}).get("quantity") == 2, timeout=30,
                   message="the logistician told the copies left")
    assert grouped.buyer_status(suite, token, other)["status"] == "cancelled"
