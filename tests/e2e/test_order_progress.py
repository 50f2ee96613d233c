"""Progress states with their history end to end (references 002 §2 and 003 step 2): a
collectivity order and a grouped order (and one of its sub-orders) moved along from the desk's
order page, through the real gateway, order_desk, the owners (baskets, grouped_orders) and
notifications on PostgreSQL and RabbitMQ. The desk records its own moves; the owners' moves
(make available, ship, close, validate, cancel) are asked of the owner, whose event moves the
progress with who asked and why. The history reads back; each move mails the customer once
(the owner's own mail when the owner mails), Annulée and Erreur never; the mails are read from
the test SMTP server. Five identical moves at once: one 302 and four French 409, one history
row, one event, one mail."""
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.suite import wait_until

CEMETERY = "9782330150136"
WESTERN = "9791097284657"
TIMES = 5


@pytest.fixture(scope="module")
def admin(suite, people):
    """The bookshop signed in on the pages (a session cookie and its CSRF token)."""
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    r = s.post(suite.gateway_url + "/connexion", allow_redirects=False,
               data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "csrf_token": token})
    assert r.status_code == 302, r.text
    return s


def page(suite, kind, number):
    return f"{suite.gateway_url}/admin/commandes/{kind}/{number}"


def progression(admin, suite, kind, number, to, current, comment="", confirmed=False,
                reason=""):
    """The progress form of the order's page, as the browser posts it (own connection: safe
    from several threads)."""
    token = csrf_token(admin, page(suite, kind, number))
    data = {"csrf_token": token, "to": to, "current": current, "comment": comment}
    if confirmed:
        data.update(confirmed="1", reason=reason)
    return requests.post(page(suite, kind, number) + "/progression", data=data,
                         cookies=admin.cookies.get_dict(), allow_redirects=False, timeout=45)


def progress(suite, kind, number):
    with suite.rpc() as rpc:
        return rpc.order_desk.progress_history(kind, number)


def in_register(suite, kind, number):
    def known():
        try:
            return progress(suite, kind, number)
        except Exception:  # noqa: BLE001  (not in the register yet)
            return None
    return wait_until(known, timeout=30, message=f"{kind} {number} in the desk's register")


def reaches(suite, kind, number, status):
    return wait_until(lambda: (p := progress(suite, kind, number))["status"] == status and p,
                      timeout=30, message=f"{kind} {number} at {status}")


def customer_of(suite, kind, number):
    """Who the desk mails about the order (the register's customer)."""
    with suite.rpc() as rpc:
        return rpc.order_desk.get_order(kind, number)["customer_email"]


def settle(suite):
    """Until every outbox is relayed and every mail sent."""
    with suite.rpc() as rpc:
        for service in ("order_desk", "grouped_orders", "baskets", "payments"):
            wait_until(lambda service=service: getattr(rpc, service).health()[
                "outbox_pending"] == 0, message=f"{service}'s outbox relayed")
        wait_until(lambda: rpc.notifications.list_mails(1)["pending"] == 0,
                   message="every mail sent")


def subjects(smtp, address, words):
    """The subjects of `address`'s mails that begin with `words`, a number in them whole (the
    mails of order 3 are not those of order 31)."""
    begins = re.compile(re.escape(words) + r"(?!\d)")
    return [m["Subject"] for m in smtp.to(address) if begins.match(m["Subject"])]


def outbox(suite, service, event_type):
    db = suite.db(service)
    try:
        with db.transaction() as s:
            return [b["payload"] for b in s.execute(text(
                "SELECT body FROM outbox WHERE event_type = :t ORDER BY id"),
                {"t": event_type}).scalars()]
    finally:
        db.dispose()


def history_rows(suite, kind, number):
    db = suite.db("order_desk")
    try:
        with db.transaction() as s:
            return s.execute(text(
                "SELECT from_status, to_status, by, comment FROM progress_history "
                "WHERE kind = :k AND number = :n ORDER BY id"), {"k": kind, "n": number}).all()
    finally:
        db.dispose()


def at_once(send, times=TIMES):
    barrier = threading.Barrier(times)

    def one(i):
        barrier.wait(timeout=20)
        return send(i)

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(one, range(times), timeout=90))


def one_302_and_409s(responses):
    codes = sorted(r.status_code for r in responses)
    assert codes == [302] + [409] * (TIMES - 1), [(r.status_code, r.text[:200])
                                                   for r in responses]
    for r in responses:
        if r.status_code == 409:
            assert any(w in r.text for w in ("entre-temps", "déjà", "ne peut")), r.text[:500]


def test_a_collectivity_order_moved_along(suite, people, demo_feeds, smtp, admin):
    run = uuid.uuid4().hex[:8]
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    basket = coll.post(suite.gateway_url + "/api/v1/baskets",
                       json={"name": f"Progression {run}"}).json()
    r = coll.post(f"{suite.gateway_url}/api/v1/baskets/{basket['id']}/lines",
                  json={"ean": CEMETERY, "quantity": 2})
    assert r.status_code == 201, r.text
    r = coll.post(f"{suite.gateway_url}/api/v1/baskets/{basket['id']}/transformation",
                  json={"kind": "order", "reference": f"P-{run}"})
    assert r.status_code == 200, r.text
    n = r.json()["number"]
    kind = "collectivity_order"
    start = in_register(suite, kind, n)
    assert start["status"] == "registered"
    shown = admin.get(page(suite, kind, n))
    assert shown.status_code == 200 and "Avancement : Commande enregistrée" in shown.text

    # Confirmation en cours, asked five times at once: one move, one row, one event, one mail
    one_302_and_409s(at_once(lambda i: progression(admin, suite, kind, n, "confirming",
                                                   "registered", "Vérification du stock")))
    # En cours de traitement (the desk's: Librisoft has not picked it up)
    r = progression(admin, suite, kind, n, "processing", "confirming")
    assert r.status_code == 302 and r.headers["Location"].endswith("#avancement")
    # a stale page: a French 409, nothing changed
    stale = progression(admin, suite, kind, n, "processing", "confirming")
    assert stale.status_code == 409 and "entre-temps" in stale.text
    bad = progression(admin, suite, kind, n, "livree", "processing")
    assert bad.status_code == 400 and "Choisissez le nouvel état" in bad.text
    # Commande prête, Livraison/retrait en cours, Terminé: the owner's actions (baskets);
    # Commande prête asked five times at once: baskets' guarded transition lets one through
    one_302_and_409s(at_once(lambda i: progression(admin, suite, kind, n, "ready",
                                                   "processing", "Au comptoir")))
    reaches(suite, kind, n, "ready")
    for to, current, comment in (("delivering", "ready", "Colissimo"),
                                 ("done", "delivering", "")):
        r = progression(admin, suite, kind, n, to, current, comment)
        assert r.status_code == 302, r.text[:500]
        reaches(suite, kind, n, to)
    assert progress(suite, kind, n)["pending"] == []   # every request answered
    finished = admin.get(page(suite, kind, n)).text
    assert "Avancement : Terminé" in finished and "état définitif" in finished
    after = progression(admin, suite, kind, n, "error", "done")
    assert after.status_code == 409

    history = progress(suite, kind, n)["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "registered"), ("registered", "confirming"), ("confirming", "processing"),
        ("processing", "ready"), ("ready", "delivering"), ("delivering", "done")]
    assert {h["by"] for h in history[1:]} == {ADMIN_EMAIL}  # the owner's moves too
    assert [h["comment"] for h in history[1:]] == ["Vérification du stock", "", "Au comptoir",
                                                   "Colissimo", ""]
    assert len(history_rows(suite, kind, n)) == 5
    ours = [p for p in outbox(suite, "order_desk", "order_progressed")
            if p["order"] == {"kind": kind, "number": n}]
    assert [(p["to_status"], p["mail"]) for p in ours] == [
        ("confirming", True), ("processing", True), ("ready", False), ("delivering", False),
        ("done", False)]

    # one mail per move: the desk's for its own, the owner's for the owner's
    settle(suite)
    customer = customer_of(suite, kind, n)   # the order's contact at the collectivity
    smtp.wait_for(customer, subject_contains=f"En cours de traitement — votre commande n° {n}")
    assert len(subjects(smtp, customer, f"Confirmation en cours — votre commande n° {n}")) == 1
    assert len(subjects(smtp, customer, f"En cours de traitement — votre commande n° {n}")) == 1
    assert len(subjects(smtp, customer, f"Votre commande n° {n} :")) == 3   # baskets' own
    assert subjects(smtp, customer, f"Commande prête — votre commande n° {n}") == []
    mail = next(m for m in smtp.to(customer)
                if m["Subject"] == f"Confirmation en cours — votre commande n° {n}")
    body = mail.get_content()
    assert body.splitlines()[1] == "CONFIRMATION EN COURS"
    assert "Vérification du stock" in body and f"/mes-commandes-collectivite/{n}" in body
    assert re.match(r"<[0-9a-f-]{36}\.[0-9a-f]{12}@", mail["Message-ID"])


def test_a_grouped_order_and_a_sub_order_moved_along(suite, people, demo_feeds, smtp, admin):
    run = uuid.uuid4().hex[:8]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    n = go["number"]
    ana = grouped.subscribe(suite, token, "Ana", f"Progres{run}", 2)
    bob = grouped.subscribe(suite, token, "Bob", f"Progres{run}", 1)
    grouped.pay(suite, token, ana)
    grouped.pay(suite, token, bob)
    in_register(suite, "grouped_order", n)
    in_register(suite, "sub_order", bob["number"])

    # Bob's sub-order cancelled from the desk: a reason on the confirmation page first
    r = progression(admin, suite, "sub_order", bob["number"], "cancelled", "registered",
                    "Doublon")
    assert r.status_code == 200 and 'name="confirmed"' in r.text
    r = progression(admin, suite, "sub_order", bob["number"], "cancelled", "registered",
                    confirmed=True, reason="")
    assert r.status_code == 400 and "motif" in r.text
    r = progression(admin, suite, "sub_order", bob["number"], "cancelled", "registered",
                    confirmed=True, reason="Inscrit deux fois")
    assert r.status_code == 302, r.text[:500]
    cancelled = reaches(suite, "sub_order", bob["number"], "cancelled")
    assert (cancelled["history"][-1]["by"], cancelled["history"][-1]["comment"]) == (
        ADMIN_EMAIL, "Inscrit deux fois")

    # the grouped order: validated (the owner's), made available (the owner's), then the
    # desk's own Livraison/retrait en cours, Erreur, back, Terminé
    grouped.pass_deadline(suite, n)
    wait_until(lambda: teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{n}")
               .json()["status"] == "awaiting_validation", timeout=30, message="deadline")
    kind = "grouped_order"
    done_too_soon = progression(admin, suite, kind, n, "done", "registered")
    assert done_too_soon.status_code == 409 and "abord passer par" in done_too_soon.text
    for to, current in (("processing", "registered"), ("ready", "processing")):
        r = progression(admin, suite, kind, n, to, current)
        assert r.status_code == 302, r.text[:500]
        reaches(suite, kind, n, to)
        # Ana's sub-order follows its grouped order (validated, made available); Bob's stays
        # cancelled
        assert reaches(suite, "sub_order", ana["number"], to)["history"][-1]["by"] == "système"
    assert progress(suite, "sub_order", bob["number"])["status"] == "cancelled"
    one_302_and_409s(at_once(lambda i: progression(admin, suite, kind, n, "delivering",
                                                   "ready", "Livré au collège")))
    assert progression(admin, suite, kind, n, "error", "delivering",
                       "Carton abîmé").status_code == 302
    errored = progress(suite, kind, n)
    # (not « Annulée »: made available, its owner no longer cancels it)
    assert [m["code"] for m in errored["moves"]] == ["delivering"]
    assert progression(admin, suite, kind, n, "delivering", "error",
                       "Carton remplacé").status_code == 302
    assert progression(admin, suite, kind, n, "done", "delivering").status_code == 302

    history = progress(suite, kind, n)["history"]
    assert [h["to_status"] for h in history] == [
        "registered", "processing", "ready", "delivering", "error", "delivering", "done"]
    assert len(history_rows(suite, kind, n)) == 6
    ours = [p for p in outbox(suite, "order_desk", "order_progressed")
            if p["order"] == {"kind": kind, "number": n}]
    assert [(p["to_status"], p["mail"]) for p in ours] == [
        ("processing", False), ("ready", False), ("delivering", True), ("error", False),
        ("delivering", True), ("done", True)]

    settle(suite)
    customer = customer_of(suite, kind, n)   # its initiator
    assert customer == people["other"]["email"]
    smtp.wait_for(customer, subject_contains=f"Terminé — votre commande groupée n° {n}")
    assert len(subjects(smtp, customer,
                        f"Livraison/retrait en cours — votre commande groupée n° {n}")) == 2
    assert len(subjects(smtp, customer, f"Terminé — votre commande groupée n° {n}")) == 1
    assert subjects(smtp, customer, f"Erreur — votre commande groupée n° {n}") == []
    assert len(subjects(smtp, customer, f"Commande groupée n° {n} validée")) == 1   # owner's
    assert len(subjects(smtp, customer, f"Votre commande groupée n° {n} est prête")) == 1   # owner's
    assert subjects(smtp, customer, f"Commande prête — votre commande groupée n° {n}") == []
    # Ana followed her grouped order on the desk: no progress mail for it
    assert subjects(smtp, f"ana.progres{run}@free.fr", "En cours de traitement —") == []
    assert subjects(smtp, f"ana.progres{run}@free.fr", "Commande prête —") == []
    # the sub-order's buyer: the owner's cancellation mail only, no progress mail
    bob_address = f"bob.progres{run}@free.fr"
    assert subjects(smtp, bob_address, "Annulée —") == []
    assert len(subjects(smtp, bob_address, f"Annulation de votre commande n° {bob['number']}")) == 1
