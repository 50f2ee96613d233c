"""A parent's own page (their order, its state, « Payer », the PDF, the invoices) is reachable
only by its link: the mails at subscription (a cheque's, cash's or pickup's instructions) and at
payment (the confirmation) give it, as the reminder and « Vos livres sont prêts » do; else a
parent who closed the tab could never find their order again."""
from services.common.contracts.events import load_envelope, make_envelope
from services.grouped_orders.use_cases import bookshop
from services.notifications import presenters
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import NOW, URL, create, db, pay, subscribe, tx

assert db  # the fixture


def checked(name, payload):
    return load_envelope(name, make_envelope(name, payload, "grouped_orders"))[1]


def test_the_placed_and_paid_mails_give_the_buyer_their_own_page(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2, events=events)
    own_page = f"{URL}/souscription/{token}/commande/{leto['buyer_token']}"
    (placed,) = [checked("sub_order_placed", p) for p in events.of("sub_order_placed")]
    assert placed["buyer_url"] == own_page
    _, _, body = presenters.render("sub_order_placed", dict(placed, payment_method="cheque"),
                                   URL)
    assert f"Votre commande en ligne (son état, son détail en PDF) : {own_page}" in body

    pay(db, events, token, leto, "pay-leto")
    (paid,) = [checked("sub_order_paid", p) for p in events.of("sub_order_paid")]
    assert paid["buyer_url"] == own_page
    _, _, body = presenters.render("sub_order_paid", paid, URL)
    assert f"Votre commande en ligne (son état, son détail en PDF) : {own_page}" in body

    diaz = subscribe(db, token, "Cameron", "Diaz", 1, at=NOW, events=events)
    events.clear()
    tx(db, bookshop.validate_sub_order, diaz["number"], NOW, events, URL)
    (paid,) = [checked("sub_order_paid", p) for p in events.of("sub_order_paid")]
    assert paid["buyer_url"].endswith(f"/commande/{diaz['buyer_token']}")


def test_an_event_of_before_has_no_link_and_its_mail_none():
    from tests.unit.notifications.test_grouped_order_mails import received
    _, _, body = presenters.render("sub_order_paid", received("sub_order_paid"), "x")
    assert "Votre commande en ligne" not in body
