"""The order desk through the real suite (issue 9, references 002 and 003): a grouped order
with a paid sub-order and a collectivity order, made through the existing flows, reach
order_desk's register by their events; the « Commandes » page shows them in the month calendar
(today's Paris day) and the list with their totals; the filters find them; a reversed amount
range is a French 400, on the page and in the API."""
from decimal import Decimal

import pytest

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_order_alerts import admin_pages
from tests.support.suite import wait_until

WESTERN = "9791097284657"


def url(suite, path):
    return suite.gateway_url + "/api/v1" + path


@pytest.fixture(scope="module")
def orders(suite, people):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    buyer = grouped.subscribe(suite, token, "Élodie", "Moënne", 2)
    grouped.pay(suite, token, buyer)
    r = teacher.post(url(suite, "/baskets"), json={"name": "Bureau du desk"})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = teacher.post(url(suite, f"/baskets/{bid}/lines"), json={"ean": WESTERN, "quantity": 3})
    assert r.status_code == 201, r.text
    r = teacher.post(url(suite, f"/baskets/{bid}/transformation"),
                     json={"kind": "order", "reference": "DESK-1"})
    assert r.status_code == 200, r.text
    order = r.json()
    keys = {("grouped_order", go["number"]), ("sub_order", buyer["number"]),
            ("collectivity_order", order["number"])}

    def registered():
        with suite.rpc() as rpc:
            found = rpc.order_desk.list_orders({"day": grouped.paris_today().isoformat()})
            while found["next_page"]:  # the whole day (other modules add orders too)
                more = rpc.order_desk.list_orders({"day": grouped.paris_today().isoformat(),
                                                   "page": found["next_page"]})
                found = dict(more, orders=found["orders"] + more["orders"])
        return {(o["kind"], o["number"]): o for o in found["orders"]}
    wait_until(lambda: keys <= set(registered()), timeout=60,
               message="the three orders in the desk's register")
    return {"go": go, "buyer": buyer, "order": order, "register": registered()}


def test_the_register_holds_each_order_with_its_facts(suite, orders):
    reg = orders["register"]
    sub = reg[("sub_order", orders["buyer"]["number"])]
    assert (sub["customer_name"], sub["total_ttc"], sub["payment_label"]) == (
        "Élodie Moënne", "29.80", "Paiement confirmé")
    assert sub["grouped_order_number"] == orders["go"]["number"]
    assert sub["client_name"] == "COLLEGE VICTOR PROUVE"
    assert sub["placed_day"] == grouped.paris_today().isoformat()
    coll = reg[("collectivity_order", orders["order"]["number"])]
    assert coll["total_ttc"] == orders["order"]["total_ttc"]
    assert coll["progress"] == "registered"
    assert reg[("grouped_order", orders["go"]["number"])]["progress"] == "registered"


def test_the_calendar_counts_today_as_the_list_does(suite, orders):
    today = grouped.paris_today()
    with suite.rpc() as rpc:
        cal = rpc.order_desk.calendar(today.year, today.month)
    (cell,) = [c for w in cal["weeks"] for c in w if c["day"] == today.isoformat()]
    assert cell["today"] and cell["in_month"]
    # cancelled orders, quotes, orders whose invoice was credited entirely (other modules
    # issue credit notes the same day) and parents' orders to pay online not paid yet are
    # counted apart
    counted = [o for o in orders["register"].values() if o["progress"] != "cancelled"
               and o["kind"] != "quote" and not o["credited"]
               and not (o["kind"] == "sub_order" and (o["payment_method"] or "online") ==
                        "online" and o["payment_state"] not in ("succeeded", "refunded"))
               and o["placed_day"] == today.isoformat()]
    expected = sum((Decimal(o["total_ttc"]) for o in counted if o["kind"] != "grouped_order"),
                   Decimal("0.00"))
    # the day's figures add up the register's orders of the day (grouped orders: no amount)
    assert cell["count"] >= len(counted) >= 3
    assert Decimal(cell["total_ttc"]) >= expected >= Decimal("29.80") + Decimal(
        orders["order"]["total_ttc"])
    assert Decimal(cal["total_ttc"]) == sum(
        (Decimal(c["total_ttc"]) for w in cal["weeks"] for c in w if c["in_month"]),
        Decimal("0.00"))

    def agree():  # the day's list and its cell: the same amount (events may still come)
        with suite.rpc() as rpc:
            cal = rpc.order_desk.calendar(today.year, today.month)
            listed = rpc.order_desk.list_orders({"day": today.isoformat()})
        (cell,) = [c for w in cal["weeks"] for c in w if c["day"] == today.isoformat()]
        return cell["total_ttc"] == listed["total_ttc"] or None
    wait_until(agree, timeout=30, message="the day's list adds up to its calendar cell")

    pages = admin_pages(suite)
    page = pages.get(suite.gateway_url + "/admin/commandes")
    assert page.status_code == 200
    assert 'aria-current="date"' in page.text and f"day={today.isoformat()}" in page.text
    day = pages.get(suite.gateway_url + "/admin/commandes",
                    params={"day": today.isoformat(), "kind": "collectivity_order",
                            "number": orders["order"]["number"]})
    assert day.status_code == 200
    assert f"Commande collectivité n° {orders['order']['number']}" in day.text
    total = Decimal(orders["order"]["total_ttc"])
    assert f"{total:.2f}".replace(".", ",") in day.text


def test_the_filters_find_the_orders(suite, orders):
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)

    def found(**params):
        r = admin.get(url(suite, "/admin/desk/orders"), params=params)
        assert r.status_code == 200, r.text
        return {(o["kind"], o["number"]) for o in r.json()["orders"]}
    sub = ("sub_order", orders["buyer"]["number"])
    assert sub in found(customer="moenne elodie")
    assert sub in found(customer="ÉLODIE", kind="sub_order", amount_from="29,80",
                        amount_to="29.80", payment_state="succeeded", invoiced="no")
    assert sub not in found(customer="moenne", kind="collectivity_order")
    assert sub not in found(customer="moenne", amount_from="30")
    coll = ("collectivity_order", orders["order"]["number"])
    assert found(number=orders["order"]["number"], kind="collectivity_order") == {coll}
    r = admin.get(url(suite, f"/admin/desk/orders/collectivity_order/{coll[1]}"))
    assert r.status_code == 200 and r.json()["total_ttc"] == orders["order"]["total_ttc"]
    page = admin_pages(suite).get(suite.gateway_url + f"/admin/commandes/sub_order/{sub[1]}")
    assert page.status_code == 200 and "Élodie Moënne" in page.text
    assert f'href="/admin/commandes-groupees/{orders["go"]["number"]}"' in page.text


def test_a_reversed_amount_range_is_a_french_400(suite, orders):
    page = admin_pages(suite).get(suite.gateway_url + "/admin/commandes",
                                  params={"amount_from": "100", "amount_to": "10"})
    assert page.status_code == 400
    assert "doit être supérieur ou égal au montant" in page.text
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    r = admin.get(url(suite, "/admin/desk/orders"), params={"amount_from": "100",
                                                             "amount_to": "10"})
    assert r.status_code == 400 and r.json()["error"] == "invalid"
    assert "amount_to" in r.json()["details"]
    assert admin.get(url(suite, "/admin/desk/orders")).status_code == 200


def test_only_the_bookshop_reads_the_desk(suite, people):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    assert teacher.get(url(suite, "/admin/desk/orders")).status_code == 403
    assert teacher.get(suite.gateway_url + "/admin/commandes").status_code == 403
