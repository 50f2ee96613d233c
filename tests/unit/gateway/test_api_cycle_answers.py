"""Issue 10's API routes (gateway/api/cycle.py) in the unit tier, as test_api_answers.py does
for the others: the answers the grouped_orders use cases really make (on SQLite), passed through
the gateway's routes (a fake RPC pool), validate against /api/v1/openapi.json."""
import pytest

from .conftest import sign_in
from .test_api_answers import check, document  # noqa: F401  (the document's fixture)


@pytest.fixture
def go_db(tmp_path):
    """The grouped_orders service's database (SQLite), for its use cases' real answers."""
    from services.grouped_orders.models import Base
    from tests.support.fakes import sqlite_database
    with sqlite_database("grouped_orders", Base, tmp_path / "go") as database:
        yield database


def test_the_school_cycle_answers_as_grouped_orders_makes_them(client, rpc, document, go_db):
    """Issue 10's routes (gateway/api/cycle.py): a reading list of two titles run through the
    real use cases on SQLite (three buyers, one paying by cheque at pickup, a title cut, the
    totals for suppliers, the progress, distribution day to its validation); each answer, as
    the service made it, passes through its route and validates against the document."""
    from sqlalchemy import update

    from services.grouped_orders import domain
    from services.grouped_orders.models import GroupedOrder
    from services.grouped_orders.use_cases import (bookshop, buyers, capacity, distribution,
                                                    initiator, suppliers, unavailability)
    from tests.support.fakes import Events
    from tests.unit.grouped_orders.test_reading_list_use_cases import LIVRE
    from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL,
                                                           WESTERN, pay, subscribe, tx)

    events, later = Events(), NOW.replace(day=30)
    me = {"id": INITIATOR["id"], "role": "collectivite", "email": INITIATOR["email"]}
    go = tx(go_db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
            {"deadline": "2022-03-29", "pickup": "address-0", "min_copies": 2}, NOW, events,
            URL, "À la librairie", "online,cheque")
    token, number = go["subscription_url"].rsplit("/", 1)[1], go["number"]
    w, li = WESTERN["ean"], LIVRE["ean"]
    leto = subscribe(go_db, token, "Jared", "Leto", None, lines={w: 2, li: 1})
    diaz = subscribe(go_db, token, "Cameron", "Diaz", None, lines={w: 1, li: 0})
    petit = tx(go_db, buyers.subscribe, token, {
        "first_name": "Zoé", "last_name": "Petit", "email": "zoe@free.fr",
        "accepted_terms": True, "lines": {w: 1, li: 1}, "payment_method": "cheque"}, NOW,
        Events(), URL)
    pay(go_db, events, token, leto, "pay-leto")
    pay(go_db, events, token, diaz, "pay-diaz")
    progress = tx(go_db, capacity.public_progress, token, NOW)
    tx(go_db, bookshop.close_expired, later, events, URL)
    title_id = go["titles"][0]["id"]
    cut = tx(go_db, unavailability.set_available, number, title_id, "3", later, events, URL)
    assert [(x["buyer"], x["before"], x["after"]) for x in cut["lines"]] == [
        ("Zoé Petit", 1, 0)]
    mine = tx(go_db, unavailability.initiator_view, number, INITIATOR["id"])
    totals = tx(go_db, suppliers.order_recap, number, INITIATOR["id"], "collectivite")
    period = tx(go_db, suppliers.period_recap, "2022-03-01", "2022-03-31")
    with go_db.transaction() as s:
        s.execute(update(GroupedOrder).where(GroupedOrder.number == number)
                  .values(status=domain.CLOSED, made_available_at=later))
    ticked = tx(go_db, distribution.tick, number, leto["number"], "collected_all", True, me,
                later)
    noted = tx(go_db, distribution.add_note, number, diaz["number"], "refund", "2,50",
               "monnaie", me, later)
    paid = tx(go_db, distribution.record_pickup_payment, number, petit["number"], "cheque",
              "1234567", me, lambda *asked: {"payment_id": "pay-petit", "method": "cheque",
                                             "cheque_number": "1234567"}, later, events, URL)
    before = tx(go_db, distribution.view, number, me, "", later, URL)
    done = tx(go_db, distribution.validate, number, me, later, events, URL)
    # Petit paid at the table: she came (« A payé » ticks « Venu »)
    assert [a["last_name"] for a in done["absent"]] == ["Diaz"]

    for method, answer in (("public_progress", progress), ("my_adjustments", mine),
                           ("admin_adjustments", cut), ("admin_set_title_available", cut),
                           ("admin_confirm_adjustments", cut), ("supplier_recap", totals),
                           ("admin_supplier_recap", period), ("distribution", before),
                           ("distribution_tick", ticked), ("distribution_note", noted),
                           ("distribution_payment", paid),
                           ("validate_distribution", done)):
        rpc.answers[("grouped_orders", method)] = answer
    one = "/grouped-orders/{number}"
    r = client.get(f"/api/v1/public/grouped-orders/{token}/progress")
    paid_copies = progress["progress"]["paid"]
    assert check(document, r, "/public/grouped-orders/{token}/progress")["texts"] == {
        "minimum": f"{paid_copies} / 2 exemplaires payés : minimum atteint, la commande sera "
                   "passée."}
    sign_in(client, "collectivite")
    for path in ("/adjustments", "/supplier-totals", "/distribution"):
        check(document, client.get(f"/api/v1/grouped-orders/{number}{path}"), one + path)
    sub = {"sub_order": leto["number"]}
    for path, body, status in (
            ("/ticks", dict(sub, field="collected_all", value=True), 200),
            ("/payments", dict(sub, method="cheque", cheque_number="1234567"), 200),
            ("/notes", dict(sub, kind="refund", amount="2,50", comment="monnaie"), 201),
            ("/validation", {}, 200)):
        r = client.post(f"/api/v1/grouped-orders/{number}/distribution{path}", json=body)
        assert r.status_code == status, r.get_data(as_text=True)
        check(document, r, one + "/distribution" + path, "post")
    sign_in(client, "admin")
    admin = f"/api/v1/admin/grouped-orders/{number}"
    check(document, client.get("/api/v1/admin/supplier-totals?start=2022-03-01&end=2022-03-31"),
          "/admin/supplier-totals")
    check(document, client.post(f"{admin}/titles/{title_id}/availability", json={
        "available": 3}), "/admin/grouped-orders/{number}/titles/{title_id}/availability", "post")
    check(document, client.post(f"{admin}/adjustments/verification", json={}),
          "/admin/grouped-orders/{number}/adjustments/verification", "post")
    # the bookshop reads the adjustments of any grouped order, the initiator its own
    assert [c[1] for c in rpc.calls if c[1].endswith("adjustments")] == [
        "my_adjustments", "admin_confirm_adjustments"]
    check(document, client.get(f"/api/v1/grouped-orders/{number}/adjustments"),
          one + "/adjustments")
    assert rpc.called("grouped_orders", "admin_adjustments")
