"""The « Commandes » page (issue 9, references 002 and 003): the month calendar, the filtered
list, bad filters as a French 400, one order's page; ADMIN only; the JSON API's routes."""
import html

from services.common.errors import invalid
from tests.unit.gateway.conftest import sign_in


def day(d, count=0, total="0.00", cancelled=0, in_month=True, today=False):
    return {"day": d, "in_month": in_month, "count": count, "total_ttc": total,
            "cancelled": cancelled, "today": today}


def calendar(year=2021, month=1):
    weeks = [[day(f"2021-01-{n:02d}") for n in range(w * 7 + 4, w * 7 + 11)] for w in range(3)]
    weeks[2][0] = day("2021-01-18", 2, "44.70", today=True)
    weeks[2][1] = day("2021-01-19", 1, "120.40", cancelled=1)
    return {"year": year, "month": month, "title": "Janvier 2021",
            "weekdays": ["Lun.", "Mar.", "Mer.", "Jeu.", "Ven.", "Sam.", "Dim."],
            "count": 3, "total_ttc": "165.10", "cancelled": 1,
            "previous": {"year": 2020, "month": 12}, "next": {"year": 2021, "month": 2},
            "weeks": weeks}


ORDER = {"kind": "sub_order", "kind_label": "Sous-commande", "number": 12,
         "grouped_order_number": 62, "customer_name": "Martine MOËNNE",
         "customer_email": "martine@free.fr", "client_name": "COLLÈGE VICTOR PROUVÉ",
         "client_number": "21", "total_ttc": "14.90", "placed_at": "2021-01-17T23:30:00+00:00",
         "placed_day": "2021-01-18", "payment_state": "succeeded",
         "payment_label": "Paiement confirmé", "payment_method": "cheque",
         "payment_method_label": "Chèque", "cheque_number": "0001234", "progress": "registered",
         "progress_label": "Commande enregistrée", "progress_at": None, "invoice_number": None,
         "batch_number": None, "detail_url": "", "updated_at": None}


def listing(orders=(ORDER,), total=1):
    return {"orders": list(orders), "total": total, "total_ttc": "14.90", "page": 1,
            "per_page": 25, "pages": 1, "previous_page": None, "next_page": None,
            "sort": "date", "direction": "desc", "filters": {}}


def answer(rpc, list_answer=None):
    rpc.answers[("order_desk", "calendar")] = lambda y, m: calendar(y, m)
    rpc.answers[("order_desk", "list_orders")] = list_answer or (lambda f: listing())


def test_the_page_shows_the_month_and_the_list(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    page = client.get("/admin/commandes?month=2021-01")
    assert page.status_code == 200
    text = page.text
    assert "Janvier 2021" in text and "165,10" in text and "3 commandes" in text
    assert "2 / 44,70" in text and "1 annulée" in text
    assert 'aria-current="date"' in text
    assert "month=2020-12" in text and "month=2021-02" in text      # previous / next month
    assert "day=2021-01-18" in text                                 # a day filters the list
    assert "Sous-commande n° 12" in text and "Martine MOËNNE" in text
    assert "chèque".capitalize() in text and "0001234" in text and "Non facturée" in text
    assert 'href="/admin/commandes"' in text                        # in the admin menu
    assert rpc.called("order_desk", "calendar") == [(2021, 1)]
    assert rpc.called("order_desk", "list_orders") == [({},)]


def test_no_link_to_a_month_out_of_range(client, rpc):
    """At 2100-12 « Suiv. » led to 2101-01, a 400; at 2000-01 « Préc. » to 1999-12: order_desk
    answers no neighbour there, and the page offers no link."""
    sign_in(client, "admin")
    rpc.answers[("order_desk", "list_orders")] = lambda f: listing()
    last = dict(calendar(2100, 12), previous={"year": 2100, "month": 11}, next=None)
    first = dict(calendar(2000, 1), previous=None, next={"year": 2000, "month": 2})
    for month, answer_, prev_link, next_link in (("2100-12", last, True, False),
                                                 ("2000-01", first, False, True)):
        rpc.answers[("order_desk", "calendar")] = answer_
        text = client.get(f"/admin/commandes?month={month}").text
        assert ('rel="prev"' in text, 'rel="next"' in text) == (prev_link, next_link)
        assert "month=2101-01" not in text and "month=1999-12" not in text
    assert client.get("/admin/commandes?month=2101-01").status_code == 400


def test_a_day_and_filters_go_to_order_desk(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    page = client.get("/admin/commandes?day=2021-01-18&customer=Mo%C3%ABnne&amount_from=10"
                      "&sort=amount&direction=asc&page=2&invoiced=no&nimporte=1")
    assert page.status_code == 200 and "Commandes du 18 janvier 2021" in page.text
    assert rpc.called("order_desk", "calendar") == [(2021, 1)]
    assert rpc.called("order_desk", "list_orders") == [(
        {"day": "2021-01-18", "customer": "Moënne", "amount_from": "10", "invoiced": "no",
         "sort": "amount", "direction": "asc", "page": "2"},)]


def test_bad_filters_are_a_french_400_next_to_their_field(client, rpc):
    message = "Montant invalide : le montant « à » doit être supérieur ou égal au montant « de »."
    answer(rpc, invalid(message, {"amount_to": [message]}))
    sign_in(client, "admin")
    page = client.get("/admin/commandes?amount_from=100&amount_to=10")
    assert page.status_code == 400
    assert message in page.text
    assert 'id="amount_to-errors"' in page.text and 'aria-invalid="true"' in page.text
    assert "Janvier 2021" in page.text  # the calendar is still shown


def test_a_bad_month_is_a_french_400(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    page = client.get("/admin/commandes?month=2021-13")
    assert page.status_code == 400 and "Mois invalide" in page.text


def test_one_order_page_links_to_its_owner_and_leaves_room_for_progress(client, rpc):
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: dict(ORDER, kind=kind,
                                                                         number=number)
    rpc.answers[("order_desk", "progress_history")] = lambda kind, number: {  # branch progress
        "status": "registered", "label": "Commande enregistrée", "history": [], "moves": [],
        "pending": []}
    sign_in(client, "admin")
    page = client.get("/admin/commandes/sub_order/12")
    assert page.status_code == 200
    assert "Sous-commande n° 12" in page.text and "14,90" in page.text
    assert 'href="/admin/commandes-groupees/62"' in page.text
    # a sub-order is never handed over alone: its grouped order is (not « Pas encore remise »)
    assert "Remise au logisticien avec sa commande groupée n° 62, si elle l'est" in \
        html.unescape(page.text)
    assert "Pas encore remise" not in page.text
    assert client.get("/admin/commandes/basket/12").status_code == 404
    page = client.get("/admin/commandes/grouped_order/62")
    assert 'action="/admin/factures/emettre/sous-commandes-payees/62"' in page.text
    assert "Se facture par sous-commande" in html.unescape(page.text)
    assert "Non facturée" not in page.text
    page = client.get("/admin/commandes/collectivity_order/7")
    assert 'href="/admin/commandes-collectivite/7"' in page.text
    assert "sous-commandes-payees" not in page.text
    assert "Commande effectuée le" in page.text
    # a quote request is no order: « Demande effectuée le »
    page = client.get("/admin/commandes/quote/3")
    assert "Demande effectuée le" in page.text and "Commande effectuée le" not in page.text
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: dict(
        ORDER, kind=kind, number=number, invoice_number="2021-01-000000004", credited=True)
    text = html.unescape(client.get("/admin/commandes/collectivity_order/7").text)
    assert 'href="/admin/factures/2021-01-000000004.pdf"' in text
    assert "annulée par avoir (rien n'est dû" in text
    assert "<dt>Logisticien</dt>" not in page.text  # a quote is handed to nobody


def test_a_sub_order_is_invoiced_from_the_desk_once_paid(client, rpc):
    """« Générer une facture » was offered on a sub-order still awaiting its payment."""
    rpc.answers[("order_desk", "progress_history")] = lambda kind, number: {
        "status": "registered", "label": "Commande enregistrée", "history": [], "moves": [],
        "pending": []}
    sign_in(client, "admin")
    for state, offered in (("succeeded", True), ("processing", False), ("refused", False)):
        rpc.answers[("order_desk", "get_order")] = lambda kind, number, state=state: dict(
            ORDER, kind=kind, number=number, payment_state=state)
        page = html.unescape(client.get("/admin/commandes/sub_order/12").text)
        assert ("Générer une facture" in page) is offered, state
        assert ("Une sous-commande se facture une fois payée." in page) is not offered
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: dict(
        ORDER, kind=kind, number=number, payment_state="pending")
    page = client.get("/admin/commandes/collectivity_order/7").text  # invoiced before paid
    assert "Générer une facture" in page


def test_only_the_bookshop_sees_the_desk(client, rpc):
    answer(rpc)
    sign_in(client, "collectivite")
    assert client.get("/admin/commandes").status_code == 403
    assert client.get("/api/v1/admin/desk/orders").status_code == 403
    assert rpc.called("order_desk", "list_orders") == []


def test_the_api(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: ORDER
    sign_in(client, "admin")
    r = client.get("/api/v1/admin/desk/calendar?year=2021&month=1")
    assert r.status_code == 200 and r.get_json()["total_ttc"] == "165.10"
    r = client.get("/api/v1/admin/desk/orders?customer=moenne&sort=amount")
    assert r.status_code == 200 and r.get_json()["orders"][0]["number"] == 12
    assert rpc.called("order_desk", "list_orders")[-1] == (
        {"customer": "moenne", "sort": "amount", "direction": "desc", "page": 1},)
    assert client.get("/api/v1/admin/desk/orders/sub_order/12").status_code == 200
    r = client.get("/api/v1/admin/desk/calendar?year=2021&month=13")
    assert r.status_code == 400 and r.get_json()["error"] == "invalid"
    assert client.get("/api/v1/admin/desk/orders?sort=title").status_code == 400


def test_a_refunded_order_reads_as_the_filter_names_it(client, rpc):
    """« Paiement : Annulé (remboursé) » found it, its row and its page said « Annulé », as an
    abandoned payment; and the calendar's caption wrote « Commandes de Janvier 2021 »."""
    refunded = dict(ORDER, payment_state="refunded", payment_label="Annulé",
                    payment_method="online", payment_method_label="En ligne",
                    cheque_number=None)
    answer(rpc, lambda f: listing([refunded]))
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: refunded
    rpc.answers[("order_desk", "progress_history")] = lambda kind, number: {
        "status": "cancelled", "label": "Annulée", "history": [], "moves": [], "pending": []}
    sign_in(client, "admin")
    text = client.get("/admin/commandes?month=2021-01").text
    assert "Annulé (remboursé)<br>" in text
    assert "Commandes de janvier 2021 par jour" in text
    page = client.get("/admin/commandes/sub_order/12").text
    assert "Annulé (remboursé) · En ligne" in page


def test_a_cancelled_order_offers_no_invoice(client, rpc):
    """« Générer une facture » was offered on a cancelled order, then refused."""
    cancelled = dict(ORDER, kind="collectivity_order", progress="cancelled",
                     progress_label="Annulée", payment_state=None, payment_label=None,
                     payment_method_label=None, cheque_number=None)
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: dict(cancelled, kind=kind,
                                                                         number=number)
    rpc.answers[("order_desk", "progress_history")] = lambda kind, number: {
        "status": "cancelled", "label": "Annulée", "history": [], "moves": [], "pending": []}
    rpc.answers[("invoicing", "order_invoices")] = []
    rpc.answers[("baskets", "admin_get_order")] = {}
    sign_in(client, "admin")
    page = html.unescape(client.get("/admin/commandes/collectivity_order/12").text)
    assert "Commande annulée : rien à facturer." in page
    assert "Générer une facture" not in page
