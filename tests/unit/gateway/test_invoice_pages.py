"""Invoices and credit notes in the gateway (issue 9): « Générer une facture » asks first, then
issues once; a refusal is the confirmation page again with the French reason (409); credit
notes for all or some lines (400 on bad quantities); the register and its CSV on the Finances
page; each PDF only for the bookshop and for the order's own customer."""
import base64
import re
import html
from html.parser import HTMLParser

from services.common.errors import DomainError, conflict, invalid, not_found
from tests.unit.gateway.conftest import sign_in

INVOICE = {"number": "2027-03-000000001", "kind": "invoice", "kind_label": "Facture",
           "order": {"kind": "collectivity_order", "number": "12",
                     "kind_label": "Commande collectivité"},
           "issued_on": "2027-03-01", "total_ht": "41.23", "vat_total": "2.57",
           "total_ttc": "43.80", "cancelled": False, "facturx": True, "invoice_number": "",
           "customer": {"name": "École Jules Ferry"}, "credit_notes": [],
           "remaining": [{"position": 1, "title": "L'Étranger", "quantity": 2,
                          "unit_price_ttc": "7.90"},
                         {"position": 2, "title": "Le Petit Prince", "quantity": 3,
                          "unit_price_ttc": "8.50"}]}
NOTE = dict(INVOICE, number="2027-03-000000002", kind="credit_note", kind_label="Avoir",
            total_ht="8.06", vat_total="0.44", total_ttc="8.50",
            invoice_number="2027-03-000000001")


def test_generating_an_invoice_asks_first_then_issues(client, rpc):
    rpc.answers[("invoicing", "issue_invoice")] = INVOICE
    sign_in(client, "admin")
    url = "/admin/factures/emettre/commande-collectivite/12"
    ask = client.post(url, data={"back": "/admin/commandes-collectivite/12"})
    assert ask.status_code == 200 and "Générer la facture" in ask.text
    assert "ne peut plus être annulée" in ask.text
    assert rpc.called("invoicing", "issue_invoice") == []
    done = client.post(url, data={"confirmed": "1", "back": "/admin/commandes-collectivite/12"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/admin/commandes-collectivite/12")
    assert rpc.called("invoicing", "issue_invoice") == [(1, "collectivity_order", 12)]
    with client.session_transaction() as session:
        assert any("Facture n° 2027-03-000000001 émise" in m for _, m in session["_flashes"])
    # somewhere else than the admin: back to the Finances page
    client.post("/admin/factures/emettre/sous-commande/154",
                data={"confirmed": "1", "back": "https://evil.example/"})
    assert rpc.called("invoicing", "issue_invoice")[-1] == (1, "sub_order", 154)


def test_a_refused_invoice_is_a_french_409_and_unknown_kinds_404(client, rpc):
    rpc.answers[("invoicing", "issue_invoice")] = conflict(
        "Cette commande est annulée : elle ne peut pas être facturée.")
    sign_in(client, "admin")
    r = client.post("/admin/factures/emettre/sous-commande/154", data={"confirmed": "1"})
    assert r.status_code == 409 and "Cette commande est annulée" in r.text
    assert client.post("/admin/factures/emettre/devis/3", data={}).status_code == 404


def test_the_credit_note_page_says_what_all_that_is_left_comes_to_and_where_it_goes(
        client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = dict(INVOICE, remaining_ttc="41.30",
                                                     paid=False)
    sign_in(client, "admin")
    text = " ".join(html.unescape(client.get("/admin/factures/2027-03-000000001/avoir")
                                  .text).split())
    assert "Tout ce qui reste de la facture (annulation) : 41,30 € TTC" in text
    assert "sera déduit de ce qu'elle demande" in text
    rpc.answers[("invoicing", "get_invoice")] = dict(INVOICE, remaining_ttc="41.30", paid=True)
    text = html.unescape(client.get("/admin/factures/2027-03-000000001/avoir").text)
    assert "sera à rembourser au client" in text


def test_the_paid_sub_orders_of_a_grouped_order_are_invoiced_at_once(client, rpc):
    """30 parents meant 60 clicks (« Générer une facture », then confirm, for each): one
    confirmation now, then each paid sub-order invoiced, what was done said on the page."""
    subs = [{"number": 3, "status": "paid"}, {"number": 4, "status": "awaiting_payment"},
            {"number": 5, "status": "paid"}, {"number": 6, "status": "paid"}]
    rpc.answers[("grouped_orders", "admin_get")] = lambda actor, number: {
        "number": number, "sub_orders": subs}
    rpc.answers[("invoicing", "issue_invoices")] = {
        "issued": [{"order": 3, "number": "2027-03-000000004", "total_ttc": "14.90"},
                   {"order": 5, "number": "2027-03-000000005", "total_ttc": "14.90"}],
        "existing": [], "refused": [{"order": 6, "message": "Déjà annulée."}]}
    sign_in(client, "admin")
    url = "/admin/factures/emettre/sous-commandes-payees/7"
    ask = client.post(url, data={"back": "/admin/commandes/grouped_order/7"})
    text = html.unescape(ask.text)
    assert ask.status_code == 200 and "3 sous-commande(s) payée(s)" in text
    assert "Facturer 3 sous-commande(s)" in text
    assert rpc.called("invoicing", "issue_invoices") == []
    done = client.post(url, data={"confirmed": "1", "back": "/admin/commandes/grouped_order/7"})
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/admin/commandes/grouped_order/7")
    assert rpc.called("invoicing", "issue_invoices") == [(1, "sub_order", [3, 5, 6])]
    with client.session_transaction() as session:
        said = [m for _, m in session["_flashes"]]
    assert "2 facture(s) émise(s) : n° 2027-03-000000004 à 2027-03-000000005." in said
    assert "Sous-commande n° 6 : Déjà annulée." in said
    rpc.answers[("grouped_orders", "admin_get")] = lambda actor, number: {
        "number": number, "sub_orders": subs[1:2]}
    client.post(url, data={"confirmed": "1"})
    assert len(rpc.called("invoicing", "issue_invoices")) == 1  # nothing paid: nothing asked


def test_a_credit_note_asked_from_an_order_page_comes_back_to_it(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "issue_credit_note")] = NOTE
    sign_in(client, "admin")
    url = "/admin/factures/2027-03-000000001/avoir?retour=/admin/commandes-collectivite/12"
    page = html.unescape(client.get(url).text)
    assert 'href="/admin/commandes-collectivite/12">← Retour, sans rien changer' in page
    done = client.post(url, data={"scope": "all", "reason": "Erreur"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/admin/commandes-collectivite/12")
    # never elsewhere than the bookshop's pages
    done = client.post("/admin/factures/2027-03-000000001/avoir?retour=https://evil.example/",
                       data={"scope": "all", "reason": "Erreur"})
    assert "/admin/finances" in done.headers["Location"]


def test_an_invoice_credited_entirely_offers_no_credit_note_form(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = dict(INVOICE, cancelled=True,
                                                     remaining_ttc="0.00")
    sign_in(client, "admin")
    text = html.unescape(client.get("/admin/factures/2027-03-000000001/avoir").text)
    assert "déjà entièrement annulée par des avoirs" in text
    assert "Émettre l'avoir" not in text and 'name="reason"' not in text


def test_credit_note_for_some_lines_or_all(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "issue_credit_note")] = NOTE
    sign_in(client, "admin")
    page = client.get("/admin/factures/2027-03-000000001/avoir")
    assert page.status_code == 200 and "Le Petit Prince" in page.text
    assert "Émettre l'avoir" in page.text
    done = client.post("/admin/factures/2027-03-000000001/avoir", data={
        "scope": "lines", "position": ["1", "2"], "quantity": ["0", "1"],
        "reason": "Un livre abîmé", "idempotency_key": "tok"})
    assert done.status_code == 302 and "/admin/finances" in done.headers["Location"]
    ((actor, number, reason, lines), ) = [c for c in rpc.called("invoicing",
                                                                "issue_credit_note")]
    assert (actor, number, reason, lines) == (1, "2027-03-000000001", "Un livre abîmé",
                                              {"1": "0", "2": "1"})
    client.post("/admin/factures/2027-03-000000001/avoir",
                data={"scope": "all", "reason": "Annulée"})
    assert rpc.called("invoicing", "issue_credit_note")[-1][3] is None
    rpc.answers[("invoicing", "issue_credit_note")] = invalid(
        "On ne peut créditer que 2 exemplaire(s) de « L'Étranger ».",
        {"lines": ["Quantité supérieure à ce qui reste à créditer."]})
    bad = client.post("/admin/factures/2027-03-000000001/avoir", data={
        "scope": "lines", "position": ["1"], "quantity": ["9"], "reason": "x"})
    assert bad.status_code == 400 and "On ne peut créditer que 2" in bad.text
    # no scope, or one not offered: it credited the whole invoice (for good); now a 400
    sent = len(rpc.called("invoicing", "issue_credit_note"))
    for data in ({"reason": "x"}, {"scope": "bogus", "reason": "x"}):
        bad = client.post("/admin/factures/2027-03-000000001/avoir", data=data)
        assert bad.status_code == 400 and "Choisissez ce que l'avoir crédite" in \
            html.unescape(bad.text)
    assert len(rpc.called("invoicing", "issue_credit_note")) == sent
    rpc.answers[("invoicing", "get_invoice")] = not_found("Facture introuvable.")
    assert client.get("/admin/factures/nimporte/avoir").status_code == 404


class _Fields(HTMLParser):
    """The (name, value) pairs a browser sends for the page's form: disabled inputs are not
    sent."""

    def __init__(self):
        super().__init__()
        self.sent = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and "disabled" not in attrs and \
                (attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs):
            self.sent.append((attrs["name"], attrs.get("value") or ""))


def test_a_line_already_credited_in_full_does_not_shift_the_quantities_typed(client, rpc):
    """The first line is credited in full (its quantity input disabled, so never sent): the
    quantity typed for the second line is credited to the second line, not to the first."""
    credited = dict(INVOICE, remaining=[dict(INVOICE["remaining"][0], quantity=0),
                                        INVOICE["remaining"][1]])
    rpc.answers[("invoicing", "get_invoice")] = credited
    rpc.answers[("invoicing", "issue_credit_note")] = NOTE
    sign_in(client, "admin")
    fields = _Fields()
    fields.feed(client.get("/admin/factures/2027-03-000000001/avoir").text)
    data = {}
    for name, value in fields.sent:
        data.setdefault(name, []).append(value)
    data.update(scope="lines", reason="Un exemplaire en trop",
                quantity=["1" if i == len(data["quantity"]) - 1 else q
                          for i, q in enumerate(data["quantity"])])
    done = client.post("/admin/factures/2027-03-000000001/avoir", data=data)
    assert done.status_code == 302
    lines = rpc.called("invoicing", "issue_credit_note")[-1][3]
    assert lines == {"2": "1"}


def test_the_finances_page_lists_invoices_and_exports_them(client, rpc):
    rpc.answers[("payments", "list_payouts")] = []
    rpc.answers[("invoicing", "list_invoices")] = {
        "items": [NOTE, dict(INVOICE, to_regularise="14.90")],
        "totals": {"invoice": {"count": 1, "total_ht": "41.23", "vat_total": "2.57",
                               "total_ttc": "43.80"},
                   "credit_note": {"count": 1, "total_ht": "8.06", "vat_total": "0.44",
                                   "total_ttc": "8.50"},
                   "net": {"total_ht": "33.17", "vat_total": "2.13", "total_ttc": "35.30"}}}
    rpc.answers[("invoicing", "export_invoices_csv")] = "Numéro;Type\r\n2027-03-000000001;Facture\r\n"
    sign_in(client, "admin")
    text = client.get("/admin/finances").text
    for words in ("Factures et avoirs", "Facture n° 2027-03-000000001",
                  "Avoir n° 2027-03-000000002", "sur la facture n° 2027-03-000000001",
                  "43,80", "35,30", "Télécharger les factures et avoirs (CSV)"):
        assert words in text, words
    # a credit note's amounts with a true minus sign; each order a link to its desk page
    assert "−8,50" in html.unescape(text) and "-8,50" not in text
    assert 'href="/admin/commandes/collectivity_order/12"' in text
    assert "avoir à émettre : 14,90" in html.unescape(text)
    r = client.get("/admin/finances/factures.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.data.decode("utf-8-sig").startswith("Numéro;Type")


def test_the_finances_register_is_searched_and_exported_for_a_period(client, rpc):
    """The register listed the 500 newest documents only and its CSV was every document
    ever: a search (words, a period of issue) finds the others, the CSV follows it."""
    calls = []

    def listing(limit, kind=None, numbers=None, filters=None):
        calls.append(filters)
        if filters and filters.get("du") == "2027-02-30":
            raise invalid("Date invalide (AAAA-MM-JJ).", {"du": ["Date invalide (AAAA-MM-JJ)."]})
        return {"items": [INVOICE] if filters else [NOTE, INVOICE], "more": bool(filters),
                "filters": {"recherche": "ecole", "du": "2027-03-01", "au": ""} if filters
                else {"recherche": "", "du": "", "au": ""},
                "totals": {k: {"count": 1, "total_ht": "0", "vat_total": "0", "total_ttc": "0"}
                           for k in ("invoice", "credit_note", "net")}}
    rpc.answers[("payments", "list_payouts")] = []
    rpc.answers[("invoicing", "list_invoices")] = listing
    sign_in(client, "admin")
    r = client.get("/admin/finances?recherche=%C3%89cole&du=2027-03-01")
    text = html.unescape(r.text)
    assert r.status_code == 200 and calls[-1] == {"recherche": "École", "du": "2027-03-01"}
    assert 'value="École"' in text and 'value="2027-03-01"' in text
    assert "/admin/finances/factures.csv?du=2027-03-01&amp;recherche=ecole" in r.text
    assert "Télécharger ces factures et avoirs (CSV)" in text
    assert "Les 500 plus récents sont listés" in text and "Vider la recherche" in text
    r = client.get("/admin/finances?du=2027-02-30")
    assert r.status_code == 400 and "Date invalide" in r.text
    assert 'id="du-errors"' in r.text and calls[-1] is None  # the register, unfiltered
    rpc.answers[("invoicing", "export_invoices_csv")] = lambda filters: (
        "Numéro\r\n" if filters == {"du": "2027-03-01", "au": "2027-03-31"} else "x")
    r = client.get("/admin/finances/factures.csv?du=2027-03-01&au=2027-03-31")
    assert r.data.decode("utf-8-sig") == "Numéro\r\n"
    assert 'filename="factures-et-avoirs-du-2027-03-01-au-2027-03-31.csv"' in \
        r.headers["Content-Disposition"]
    rpc.answers[("invoicing", "export_invoices_csv")] = invalid("Date invalide (AAAA-MM-JJ).")
    r = client.get("/admin/finances/factures.csv?du=x")
    assert r.status_code == 400 and "Date invalide" in r.text


def test_pdfs_for_the_bookshop_and_only_the_orders_own_customer(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "invoice_pdf")] = base64.b64encode(b"%PDF-1.7 fake").decode()
    rpc.answers[("invoicing", "order_invoices")] = [INVOICE]
    rpc.answers[("baskets", "get_my_document")] = {"number": 12}
    sign_in(client, "admin")
    r = client.get("/admin/factures/2027-03-000000001.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert 'filename="facture-2027-03-000000001.pdf"' in r.headers["Content-Disposition"]
    client.get("/deconnexion")
    sign_in(client, "collectivite")
    assert client.get("/admin/factures/2027-03-000000001.pdf").status_code == 403
    ok = client.get("/mes-commandes-collectivite/12/factures/2027-03-000000001.pdf")
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")
    # an invoice of another order: not found
    assert client.get("/mes-commandes-collectivite/12/factures/2027-03-000000009.pdf") \
        .status_code == 404
    rpc.answers[("baskets", "get_my_document")] = DomainError("Introuvable.", None, "not_found")
    assert client.get("/mes-commandes-collectivite/13/factures/2027-03-000000001.pdf") \
        .status_code == 404


def test_a_parent_reads_their_sub_orders_invoice_by_their_link(client, rpc):
    rpc.answers[("grouped_orders", "buyer_status")] = {"number": 154}
    rpc.answers[("invoicing", "order_invoices")] = [dict(INVOICE, order={"kind": "sub_order",
                                                                         "number": "154"})]
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "invoice_pdf")] = base64.b64encode(b"%PDF-1.7 fake").decode()
    r = client.get("/souscription/tok/commande/btok/factures/2027-03-000000001.pdf")
    assert r.status_code == 200
    assert rpc.called("invoicing", "order_invoices") == [("sub_order", 154)]


def test_the_order_pages_show_the_button_and_the_invoices(client, rpc):
    import html

    from tests.unit.gateway import samples
    from tests.unit.gateway.test_pages import paid
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        "awaiting_validation", subs=[paid(31, "Ana"), paid(32, "Bea")])
    rpc.answers[("librisoft_bridge", "find_orders_by_source")] = []
    rpc.answers[("invoicing", "invoices_for_orders")] = {"31": [
        {"number": "2027-03-000000001", "kind": "invoice", "kind_label": "Facture",
         "total_ttc": "29.80", "cancelled": False}]}
    sign_in(client, "admin")
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert "Facture n° 2027-03-000000001" in page
    assert page.count("Générer une facture") == 1  # Bea's only: Ana's is invoiced
    assert "/admin/factures/emettre/sous-commande/32" in page
    # an invoiced sub-order has no « Annuler » (a credit note first)
    assert "/admin/sous-commandes/31/annuler" not in page
    assert "/admin/sous-commandes/32/annuler" in page
    assert rpc.called("invoicing", "invoices_for_orders") == [("sub_order", [31, 32])]


def test_the_parent_sees_their_invoice_on_their_page(client, rpc):
    from tests.unit.gateway import samples
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "succeeded",
                                                "state_label": "Paiement confirmé"}
    rpc.answers[("invoicing", "order_invoices")] = [dict(INVOICE, issued_on="2027-03-01")]
    page = client.get("/souscription/tok/commande/btok").text
    assert "Factures et avoirs" in page and "Facture n° 2027-03-000000001" in page
    assert "/souscription/tok/commande/btok/factures/2027-03-000000001.pdf" in page
    assert "Générer une facture" not in page and "Émettre un avoir" not in page


def test_a_credit_note_line_given_twice_is_refused_not_half_credited(client, rpc):
    """Position 1 twice (a forged or doubled form): the second quantity silently replaced the
    first, a credit note of less than asked, for good. Now a French 400, nothing issued."""
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "issue_credit_note")] = NOTE
    sign_in(client, "admin")
    bad = client.post("/admin/factures/2027-03-000000001/avoir", data={
        "scope": "lines", "position": ["1", "1"], "quantity": ["1", "1"], "reason": "x"})
    assert bad.status_code == 400 and "une seule fois" in html.unescape(bad.text)
    bad = client.post("/admin/factures/2027-03-000000001/avoir", data={
        "scope": "lines", "position": ["1", "2"], "quantity": ["1"], "reason": "x"})
    assert bad.status_code == 400
    assert rpc.called("invoicing", "issue_credit_note") == []


def test_right_after_its_invoice_an_order_offers_no_annuler(client, rpc):
    """« Générer une facture » leads back to the order's page before baskets has heard of the
    invoice: the page takes invoicing's own list, so « Annuler » (which would be refused) is
    gone and the page names the invoice to credit first; with no live invoice it is there."""
    from services.baskets.models import Base
    from services.baskets.use_cases import bookshop
    from tests.support.fakes import Events, sqlite_database
    from tests.unit.baskets.conftest import NOW, URL
    from tests.unit.baskets.test_use_cases_bookshop import place
    with sqlite_database("baskets", Base) as db:
        place(db, Events(), "order", "BC-42")
        with db.transaction() as s:
            doc = bookshop.get_document(s, "order", 1, URL)
    assert doc.get("invoice_lock") is None and "cancelled" in doc["actions"]
    rpc.answers[("baskets", "admin_get_document")] = doc
    sign_in(client, "admin")
    page = client.get("/admin/commandes-collectivite/1").text
    assert 'action="/admin/commandes-collectivite/1/cancelled"' in page or "Motif de l" in page
    rpc.answers[("invoicing", "order_invoices")] = [{
        "number": "2027-03-000000001", "kind": "invoice", "kind_label": "Facture",
        "issued_on": NOW.date().isoformat(), "total_ttc": "22.75", "cancelled": False,
        "facturx": False}]
    page = client.get("/admin/commandes-collectivite/1").text
    assert "Motif de l" not in page
    assert "Facturée (facture n° 2027-03-000000001) : elle ne peut plus être annulée" in page
    assert len(rpc.called("invoicing", "order_invoices")) == 2  # one per page, not two


def test_a_credit_note_owing_money_tells_the_clerk_to_refund_it(client, rpc):
    """The credit note tells the customer « vous est remboursé par la librairie »; nothing was
    refunded and nothing told the clerk to do it."""
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "issue_credit_note")] = dict(NOTE, credit={
        "mode": "refund", "credited": "8.50", "already_refunded": "0.00",
        "to_refund": "8.50", "to_deduct": "0.00"})
    sign_in(client, "admin")
    done = client.post("/admin/factures/2027-03-000000001/avoir",
                       data={"scope": "all", "reason": "Erreur"}, follow_redirects=True)
    assert "À rembourser au client : 8,50\xa0€. L'avoir ne fait pas le remboursement" in \
        html.unescape(done.text)
    rpc.answers[("invoicing", "issue_credit_note")] = dict(NOTE, credit={
        "mode": "deduct", "credited": "8.50", "already_refunded": "0.00",
        "to_refund": "0.00", "to_deduct": "8.50"})
    done = client.post("/admin/factures/2027-03-000000001/avoir",
                       data={"scope": "all", "reason": "Erreur"}, follow_redirects=True)
    assert "À rembourser" not in html.unescape(done.text)


def test_a_parents_credit_note_tells_the_clerk_the_platform_refunds_it(client, rpc):
    """A parent's sub-order: the platform refunds the credit note (grouped_orders asks payments
    for it); the clerk is told so, or that a cheque or cash is theirs to hand back."""
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    credit = {"mode": "refund", "credited": "8.50", "already_refunded": "0.00",
              "to_refund": "8.50", "to_deduct": "0.00"}
    sign_in(client, "admin")
    for method, said in (("online", "8,50\xa0€ remboursés au parent sur le moyen de paiement "
                                    "utilisé en ligne ; il en est prévenu par courriel."),
                         ("cheque", "8,50\xa0€ à rendre au parent (chèque ou espèces)")):
        rpc.answers[("invoicing", "issue_credit_note")] = dict(
            NOTE, credit=credit, order={"kind": "sub_order", "number": 7},
            payment={"method": method, "state_label": "Paiement confirmé"})
        done = html.unescape(client.post("/admin/factures/2027-03-000000001/avoir",
                                         data={"scope": "all", "reason": "Erreur"},
                                         follow_redirects=True).text)
        assert said in done and "faites-le vous-même" not in done


def test_an_order_credited_in_part_says_what_is_left_and_still_due(client, rpc):
    """A collectivity's order credited of 36,84 € still said its 98,88 € and « En attente du
    paiement », nothing of the net due: its invoices' block says both; a parent whose
    sub-order a credit note cancelled still finds their invoice and credit note."""
    from tests.unit.gateway import samples
    credited = dict(INVOICE, issued_on="2027-03-01", total_ttc="98.88", credited_ttc="36.84",
                    remaining_ttc="62.04", due_ttc="62.04", cancelled=False, paid=False)
    rpc.answers[("invoicing", "order_invoices")] = [credited]
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "succeeded",
                                                "state_label": "Paiement confirmé"}
    page = html.unescape(client.get("/souscription/tok/commande/btok").text)
    assert "après avoirs (−36,84 €) : 62,04 € TTC, reste à payer 62,04 €" in \
        " ".join(re.sub(r"<[^>]+>", "", page).replace("\xa0", " ").split())
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("cancelled")
    page = client.get("/souscription/tok/commande/btok").text
    assert "Factures et avoirs" in page
    rpc.answers[("invoicing", "order_invoices")] = []
    assert "Factures et avoirs" not in client.get("/souscription/tok/commande/btok").text


def test_a_sub_order_cancelled_by_its_credit_note_keeps_its_documents_on_the_row(client, rpc):
    """The third tester's case: fully credited, now « Annulée », the row showed neither its
    invoice nor its credit note; it offers no « Générer une facture » either."""
    import html

    from tests.unit.gateway import samples
    from tests.unit.gateway.test_pages import paid
    gone = dict(paid(31, "Rita"), status="cancelled", status_label="Annulée")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        "awaiting_validation", subs=[gone, paid(32, "Bea")])
    rpc.answers[("librisoft_bridge", "find_orders_by_source")] = []
    rpc.answers[("invoicing", "invoices_for_orders")] = {"31": [
        {"number": "2027-03-000000001", "kind": "invoice", "kind_label": "Facture",
         "total_ttc": "29.80", "cancelled": True},
        {"number": "2027-03-000000002", "kind": "credit_note", "kind_label": "Avoir",
         "total_ttc": "29.80", "cancelled": False}]}
    sign_in(client, "admin")
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert "Facture n° 2027-03-000000001" in page and "Avoir n° 2027-03-000000002" in page
    assert "/admin/factures/emettre/sous-commande/31" not in page
    assert rpc.called("invoicing", "invoices_for_orders") == [("sub_order", [31, 32])]
