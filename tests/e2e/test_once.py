"""Every action takes effect once, however often it is sent (issue 8 §1, issue 14 §2): each is
fired 5 times at once through the real gateway on PostgreSQL. Without a key, one answer is 200
and the four others 409 in French; with one Idempotency-Key, the five answers are the same.
Either way: one event in the outbox, one mail in the SMTP server, one refund."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.support.suite import wait_until

WESTERN = "9791097284657"
CEMETERY = "9782330150136"
TIMES = 5


def at_once(send, times=TIMES):
    """`send(i)` from `times` threads released together; the responses."""
    barrier = threading.Barrier(times)

    def one(i):
        barrier.wait(timeout=20)
        return send(i)

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(one, range(times), timeout=60))


def poster(session, suite):
    """POST on the API as `session`'s account, safe from several threads (own connections)."""
    cookies = session.cookies.get_dict()

    def post(path, body=None, key=None):
        headers = {"Idempotency-Key": key} if key else {}
        return requests.post(suite.gateway_url + "/api/v1" + path, json=body or {},
                             cookies=cookies, headers=headers, timeout=45)
    return post


def one_winner(responses, ok=200):
    codes = sorted(r.status_code for r in responses)
    assert codes == [ok] + [409] * (TIMES - 1), [(r.status_code, r.text[:200])
                                                   for r in responses]
    for r in responses:
        if r.status_code == 409:
            message = r.json()["message"]  # the domain's own words, in French
            assert message and any(w in message for w in (
                "déjà", "entre-temps", "rechargez", "ne peut", "Seule", "Impossible")), message
    return next(r.json() for r in responses if r.status_code == ok)


def same_answers(responses, ok=200):
    assert [r.status_code for r in responses] == [ok] * TIMES, [r.text[:200]
                                                                 for r in responses]
    bodies = [r.json() for r in responses]
    assert all(b == bodies[0] for b in bodies)
    return bodies[0]


def outbox(suite, service, event_type, **match):
    """The payloads of `event_type` in `service`'s outbox whose fields match, in the order they
    were recorded (the whole suite's: match on a number of your own)."""
    db = suite.db(service)
    try:
        with db.transaction() as s:
            rows = s.execute(text("SELECT body FROM outbox WHERE event_type = :t ORDER BY id"),
                             {"t": event_type}).scalars().all()
    finally:
        db.dispose()
    return [b["payload"] for b in rows
            if all(b["payload"].get(k) == v for k, v in match.items())]


def settled(suite, smtp, address, subject, count=1):
    """Wait for the mail, then until nothing is left to relay or send, and count them."""
    smtp.wait_for(address, count=count, subject_contains=subject, timeout=30)
    with suite.rpc() as rpc:
        for service in ("grouped_orders", "baskets", "payments"):
            wait_until(lambda service=service: getattr(rpc, service).health()["outbox_pending"] == 0,
                       message=f"{service}'s outbox relayed")
        wait_until(lambda: rpc.notifications.list_mails(1)["pending"] == 0,
                   message="every mail sent")
    return [m for m in smtp.to(address) if subject in m["Subject"]]


def test_grouped_order_actions_sent_five_times_at_once(suite, people, demo_feeds, smtp):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    as_teacher, as_admin = poster(teacher, suite), poster(admin, suite)
    run = uuid.uuid4().hex[:8]

    # creation, with one key: one grouped order, five identical answers, one mail
    data = {"client_number": "21", "ean": WESTERN, "pickup": "bookshop",
            "deadline": (grouped.paris_today() + timedelta(days=3)).isoformat()}
    go = same_answers(at_once(lambda i: as_teacher("/grouped-orders", data, f"new-{run}")),
                      ok=201)
    n, token = go["number"], go["subscription_url"].rsplit("/", 1)[1]
    bad = as_teacher("/grouped-orders", data, "x" * 101)
    assert bad.status_code == 400 and "clé d'idempotence" in bad.json()["message"]

    # a subscription, with one key (the form sent again, the answer lost): one sub-order
    buyer = {"first_name": "Ana", "last_name": f"Once{run}", "email": f"ana.{run}@free.fr",
             "quantity": 2, "accepted_terms": True}
    subs = f"/public/grouped-orders/{token}/subscriptions"
    ana = same_answers(at_once(lambda i: as_teacher(subs, buyer, f"sub-{run}")), ok=201)
    same_key_other_content = as_teacher(subs, dict(buyer, quantity=3), f"sub-{run}")
    assert same_key_other_content.status_code == 409 and "clé d'idempotence" in \
        same_key_other_content.json()["message"]
    bob = grouped.subscribe(suite, token, "Bob", f"Once{run}", 1)
    # starting a payment, with one key: one payment, paid on the sandbox's page
    pay = f"{subs}/{ana['buyer_token']}/payments"
    started = same_answers(at_once(lambda i: as_teacher(pay, {}, f"pay-{run}")), ok=201)
    answer = requests.post(started["redirect_url"], data={"action": "pay"},
                           allow_redirects=False, timeout=30)
    assert answer.status_code == 303, answer.text
    wait_until(lambda: grouped.buyer_status(suite, token, ana)["status"] == "paid",
               message="Ana paid")
    with suite.rpc() as rpc:
        assert len(rpc.payments.list_payments("sub_order", str(ana["number"]))) == 1

    view = admin.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}").json()
    assert view["summary"]["sub_orders"]["awaiting_payment"] == 1  # Bob only

    # the bookshop validates Bob's cheque: one 200, four 409, one confirmation mail
    one_winner(at_once(lambda i: as_admin(f"/admin/sub-orders/{bob['number']}/validation")))
    # and cancels Ana's paid sub-order: one 200, four 409, one mail, one refund
    one_winner(at_once(lambda i: as_admin(f"/admin/sub-orders/{ana['number']}/cancellation",
                                          {"reason": "Doublon"})))
    with suite.rpc() as rpc:
        refunds = wait_until(lambda: [r for p in rpc.payments.list_payments(
            "sub_order", str(ana["number"])) for r in p["refunds"]], message="the refund")
    assert len(refunds) == 1

    grouped.pass_deadline(suite, n)
    wait_until(lambda: admin.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}")
               .json()["status"] == "awaiting_validation", message="the deadline timer")
    # validation: one 200, four 409, one event, one classic order, one mail
    validated = one_winner(at_once(lambda i: as_admin(f"/admin/grouped-orders/{n}/validation")))
    assert validated["status"] == "processing"
    # availability: one 200, four 409, one "prête" mail
    closed = one_winner(at_once(lambda i: as_admin(f"/admin/grouped-orders/{n}/availability")))
    assert closed["status"] == "closed"
    reset = one_winner(at_once(lambda i: as_admin(f"/admin/grouped-orders/{n}/reset")))
    assert reset["status"] == "processing"

    assert len(outbox(suite, "grouped_orders", "grouped_order_created", number=n)) == 1
    assert len(outbox(suite, "grouped_orders", "sub_order_paid",
                      sub_order_number=bob["number"])) == 1
    assert len(outbox(suite, "grouped_orders", "sub_order_cancelled",
                      sub_order_number=ana["number"])) == 1
    assert len(outbox(suite, "grouped_orders", "refund_requested",
                      reference_id=str(ana["number"]))) == 1
    assert len(outbox(suite, "grouped_orders", "grouped_order_validated", number=n)) == 1
    assert len(outbox(suite, "grouped_orders", "grouped_order_made_available", number=n)) == 1
    orders = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                 if o["source_kind"] == "grouped_order"
                                 and o["source_number"] == n], message="the classic order")
    assert len(orders) == 1 and orders[0]["lines"][0]["quantity"] == 1  # Bob's only

    teacher_mail = people["other"]["email"]
    assert len(settled(suite, smtp, teacher_mail, f"n° {n} est créée")) == 1
    assert len(settled(suite, smtp, teacher_mail, f"n° {n} validée")) == 1
    assert len(settled(suite, smtp, teacher_mail, f"n° {n} est prête")) == 1
    assert len(settled(suite, smtp, bob["email"],
                       f"Confirmation de votre commande n° {bob['number']}")) == 1
    assert len(settled(suite, smtp, ana["email"],
                       f"Annulation de votre commande n° {ana['number']}")) == 1
    with suite.rpc() as rpc:
        (payment,) = rpc.payments.list_payments("sub_order", str(ana["number"]))
        assert len(payment["refunds"]) == 1


def test_basket_chain_and_collectivity_order_actions_sent_five_times_at_once(suite, people,
                                                                             demo_feeds, smtp):
    s = {k: api_session(suite, people[k]["email"], PASSWORD)
         for k in ("utilisateur", "approbateur", "collectivite")}
    user, approver, coll = (poster(s[k], suite)
                            for k in ("utilisateur", "approbateur", "collectivite"))
    admin = poster(api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD), suite)
    run = uuid.uuid4().hex[:8]

    # creation with one key: one basket
    basket = same_answers(at_once(lambda i: user("/baskets", {"name": f"Once {run}"},
                                                 f"basket-{run}")), ok=201)
    bid = basket["id"]
    mine = s["utilisateur"].get(suite.gateway_url + "/api/v1/baskets").json()
    assert [b["name"] for b in mine].count(f"Once {run}") == 1
    assert user(f"/baskets/{bid}/lines", {"ean": CEMETERY, "quantity": 3}).status_code == 201
    # sent to the approver, with one key: five identical answers, one move in the history
    same_answers(at_once(lambda i: user(f"/baskets/{bid}/submission", {}, f"send-{run}")))
    # the approver unlocks, then locks: one 200 and four 409 each
    one_winner(at_once(lambda i: approver(f"/baskets/{bid}/unlock")))
    one_winner(at_once(lambda i: approver(f"/baskets/{bid}/lock")))
    same_answers(at_once(lambda i: approver(f"/baskets/{bid}/submission", {}, f"up-{run}")))
    # returned by the Collectivité, with one key; sent back up
    same_answers(at_once(lambda i: coll(f"/baskets/{bid}/return", {"comment": "Trop cher"},
                                        f"back-{run}")))
    assert approver(f"/baskets/{bid}/submission").status_code == 200
    # transformed into an order: one 200, four 409, one order, one event
    order = one_winner(at_once(lambda i: coll(f"/baskets/{bid}/transformation",
                                              {"kind": "order", "reference": f"R-{run}"})))
    n = order["number"]
    history = s["utilisateur"].get(suite.gateway_url + f"/api/v1/baskets/{bid}").json()
    actions = [h["action"] for h in history["history"]]
    assert actions == ["created", "submit", "unlock", "lock", "submit", "return", "submit",
                       "transform"], actions
    assert len(outbox(suite, "baskets", "collectivity_order_placed", basket_number=bid)) == 1

    # the bookshop's actions on it: one 200 and four 409 each, one mail each
    for action in ("made_available", "shipped", "closed"):
        done = one_winner(at_once(lambda i, action=action: admin(f"/admin/orders/{n}/{action}")))
        assert done["number"] == n
        assert len(outbox(suite, "baskets", "collectivity_order_status_changed", number=n,
                          action=action)) == 1
    # archiving a quote: one 200, four 409
    qid = coll("/baskets", {"name": f"Devis {run}"}).json()["id"]
    assert coll(f"/baskets/{qid}/lines", {"ean": CEMETERY, "quantity": 1}).status_code == 201
    quote = coll(f"/baskets/{qid}/transformation", {"kind": "quote", "reference": f"Q-{run}"})
    assert quote.status_code == 200, quote.text
    one_winner(at_once(lambda i: admin(f"/admin/quotes/{quote.json()['number']}/archive")))

    address = people["collectivite"]["email"]
    assert len(settled(suite, smtp, address, f"Commande collectivité n° {n} enregistrée")) == 1
    assert len(settled(suite, smtp, address, f"Votre commande n° {n} :", count=3)) == 3


def test_the_subscription_form_sent_twice_subscribes_once(suite, people, demo_feeds):
    """The page's one-time token: a double click (or the form sent again after a lost answer)
    gives one sub-order and one payment, and both answers lead to the same checkout."""
    import re
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    browser = requests.Session()
    page = browser.get(f"{suite.gateway_url}/souscription/{token}").text
    form = {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
            for name in ("csrf_token", "idempotency_key")}
    run = uuid.uuid4().hex[:8]
    form.update(first_name="Lou", last_name=f"Twice{run}", email=f"lou.{run}@free.fr",
                quantity="1", accepted_terms="1")
    cookies = browser.cookies.get_dict()
    answers = at_once(lambda i: requests.post(f"{suite.gateway_url}/souscription/{token}",
                                              data=form, cookies=cookies,
                                              allow_redirects=False, timeout=45))
    assert [a.status_code for a in answers] == [303] * TIMES, [a.text[:300] for a in answers]
    (pay_page,) = {a.headers["Location"] for a in answers}  # one payment page (issue 11)
    assert pay_page.endswith("/paiement")
    # the payment page opened five times at once (reloads, tabs): one payment, one checkout
    checkouts = at_once(lambda i: requests.get(pay_page, allow_redirects=False, timeout=45))
    assert [a.status_code for a in checkouts] == [303] * TIMES, [a.text[:300] for a in checkouts]
    (checkout,) = {a.headers["Location"] for a in checkouts}
    assert checkout.startswith(f"http://127.0.0.1:{suite.payments_port}/sandbox/")
    view = teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{go['number']}").json()
    assert [s["last_name"] for s in view["sub_orders"]].count(f"Twice{run}") == 1
    (sub,) = [s for s in view["sub_orders"] if s["last_name"] == f"Twice{run}"]
    with suite.rpc() as rpc:
        assert len(rpc.payments.list_payments("sub_order", str(sub["number"]))) == 1
    # a new rendering of the form is a new token: a second subscription
    page = browser.get(f"{suite.gateway_url}/souscription/{token}").text
    assert re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1) != \
        form["idempotency_key"]


def test_cancelling_a_grouped_order_five_times_at_once_refunds_once(suite, people, demo_feeds,
                                                                   smtp):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    as_admin = poster(api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD), suite)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    n = go["number"]
    run = uuid.uuid4().hex[:8]
    paid = grouped.subscribe(suite, token, "Paula", f"Cancel{run}", 1)
    grouped.pay(suite, token, paid)
    waiting = grouped.subscribe(suite, token, "Walter", f"Cancel{run}", 1)
    cancelled = one_winner(at_once(lambda i: as_admin(f"/admin/grouped-orders/{n}/cancellation",
                                                      {"reason": "Rupture chez l'éditeur"})))
    assert cancelled["status"] == "cancelled"
    assert len(outbox(suite, "grouped_orders", "grouped_order_cancelled", number=n)) == 1
    for sub in (paid, waiting):
        assert len(outbox(suite, "grouped_orders", "sub_order_cancelled",
                          sub_order_number=sub["number"])) == 1
    assert len(outbox(suite, "grouped_orders", "refund_requested",
                      reference_id=str(paid["number"]))) == 1
    with suite.rpc() as rpc:
        wait_until(lambda: [r for p in rpc.payments.list_payments("sub_order",
                                                                  str(paid["number"]))
                            for r in p["refunds"]], message="the refund")
    assert len(settled(suite, smtp, people["other"]["email"], f"n° {n} annulée")) == 1
    assert len(settled(suite, smtp, paid["email"],
                       f"Annulation de votre commande n° {paid['number']}")) == 1
    with suite.rpc() as rpc:
        (payment,) = [p for p in rpc.payments.list_payments("sub_order", str(paid["number"]))
                      if p["refunds"]]
        assert len(payment["refunds"]) == 1


def test_an_account_created_and_deactivated_five_times_at_once(suite, people):
    admin = poster(api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD), suite)
    run = uuid.uuid4().hex[:8]
    data = {"email": f"cdi.{run}@ecole-jules-ferry.test", "password": PASSWORD,
            "role": "utilisateur", "client_numbers": ["16"]}
    account = same_answers(at_once(lambda i: admin("/accounts", data, f"acc-{run}")), ok=201)
    cookies = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD).cookies.get_dict()
    answers = at_once(lambda i: requests.put(
        f"{suite.gateway_url}/api/v1/accounts/{account['id']}/active", json={"active": False},
        cookies=cookies, timeout=45))
    assert [a.status_code for a in answers] == [200] * TIMES
    assert all(a.json()["active"] is False for a in answers)
    with suite.rpc() as rpc:
        after = rpc.accounts.get_account(account["id"])
    assert after["active"] is False and after["session_version"] == 2  # signed out once
    assert len(outbox(suite, "accounts", "account_created", email=data["email"])) == 1
