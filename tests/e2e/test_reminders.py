"""Reminders before the deadline (issue 10, K1) on the real broker, PostgreSQL and the test SMTP
server, with two instances of grouped_orders and of notifications, each timer firing every
second: the initiator gets one mail with the figures so far, each buyer who has not paid one
mail with their own link, the paid buyer none."""
import time
from datetime import timedelta

from sqlalchemy import text

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session

WESTERN = "9791097284657"


def backdate(suite, number, days=7):
    """The grouped order and its sub-orders were made a week ago (before the reminder day)."""
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET created_at = created_at - :d "
                       "WHERE number = :n"), {"d": timedelta(days=days), "n": number})
        s.execute(text("UPDATE sub_orders SET created_at = created_at - :d "
                       "WHERE grouped_order_number = :n"), {"d": timedelta(days=days),
                                                            "n": number})
    db.dispose()


def test_one_reminder_each_with_two_instances_of_each_service(suite, people, smtp):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    email = people["collectivite"]["email"]
    go, token = grouped.create(teacher, suite, "16", WESTERN, days=2)
    n = go["number"]
    paid = grouped.subscribe(suite, token, "Rappel", "Payee", 2)
    grouped.pay(suite, token, paid)
    refused = grouped.subscribe(suite, token, "Rappel", "Refusee", 1)
    grouped.pay(suite, token, refused, action="refuse")
    silent = grouped.subscribe(suite, token, "Rappel", "Silencieux", 3)
    time.sleep(2)  # the timers ran: created today, nobody is reminded yet
    assert not [m for m in grouped.mails(suite, email) if f"n° {n} : la date limite approche"
                in m["subject"]]
    assert not [m for m in grouped.mails(suite, silent["email"]) if "Rappel" in m["subject"]]

    suite.start_services("grouped_orders", "notifications", instance="1")
    try:
        backdate(suite, n)
        subject = f"Commande groupée n° {n} : la date limite approche"
        (mail,) = smtp.wait_for(email, subject_contains=subject, timeout=30)
        body = mail.get_content()
        assert "Articles payés : 2" in body and "Total TTC payé : 29,80" in body
        assert "Articles en attente de paiement : 4" in body
        assert refused["email"] in body and silent["email"] in body
        assert paid["email"] not in body
        for sub in (refused, silent):
            (reminder,) = smtp.wait_for(sub["email"], subject_contains="Rappel :", timeout=30)
            assert f"/souscription/{token}/commande/{sub['buyer_token']}" in \
                reminder.get_content()
        time.sleep(4)  # both instances' timers fired again and again: still one mail each
        assert len([m for m in smtp.to(email) if subject in m["Subject"]]) == 1
        assert len([m for m in grouped.mails(suite, email) if subject in m["subject"]]) == 1
        for sub in (refused, silent):
            assert len([m for m in smtp.to(sub["email"]) if "Rappel :" in m["Subject"]]) == 1
        assert not [m for m in smtp.to(paid["email"]) if "Rappel :" in m["Subject"]]
        ids = [m["Message-ID"] for m in smtp.messages if "Rappel :" in m["Subject"]
               or subject in m["Subject"]]
        assert len(ids) == len(set(ids)) == 3
    finally:
        suite.stop_services("notifications", "grouped_orders", instance="1")


def test_the_initiator_moves_the_opening_day_before_it_comes(suite, people):
    """Through the gateway's page: a day after the deadline is refused (400, French), a good
    one is saved; on the public link, the buyers see the new day."""
    import re

    from tests.e2e.conftest import csrf_token
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    today = grouped.paris_today()
    r = teacher.post(suite.gateway_url + "/api/v1/grouped-orders", json={
        "client_number": "16", "ean": WESTERN, "pickup": "address-0",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "opens_on": (today + timedelta(days=3)).isoformat()})
    assert r.status_code == 201, r.text
    n = r.json()["number"]
    page = suite.gateway_url + f"/commandes-groupees/{n}"
    token = csrf_token(teacher, page)
    bad = teacher.post(page + "/ouverture", data={
        "csrf_token": token, "opens_on": (today + timedelta(days=11)).isoformat()})
    assert bad.status_code == 400
    assert "La date d&#39;ouverture doit précéder la date limite." in bad.text or \
        "La date d'ouverture doit précéder la date limite." in bad.text
    good = teacher.post(page + "/ouverture", data={
        "csrf_token": token, "opens_on": (today + timedelta(days=5)).isoformat()})
    assert good.status_code == 200 and "Les souscriptions ouvriront le" in good.text
    day = today + timedelta(days=5)
    assert re.search(day.strftime("%d/%m/%Y"), good.text)
    detail = teacher.get(suite.gateway_url + f"/api/v1/grouped-orders/{n}").json()
    assert detail["opens_on"] == day.isoformat() and detail["not_open_yet"] is True


def test_five_timers_at_once_on_postgresql_record_each_reminder_once(suite, people):
    """The claim itself: five transactions run the reminders at the same instant on the
    service's PostgreSQL database (and the running service's timer with them): one event per
    grouped order and per unpaid sub-order in the outbox."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from datetime import datetime, timezone

    from services.common import outbox as common_outbox
    from services.grouped_orders.models import Base
    from services.grouped_orders.use_cases import reminders
    from tests.e2e.test_once import outbox

    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN, days=1)
    n = go["number"]
    unpaid = [grouped.subscribe(suite, token, "Cinq", f"Fois{i}", 1) for i in range(3)]
    backdate(suite, n)
    def record(session, event_type, payload):  # what the service's Store.record does
        return common_outbox.record(session, Base.metadata, "grouped_orders", event_type,
                                    payload)
    barrier = threading.Barrier(5)

    def run(_):
        db = suite.db("grouped_orders")
        try:
            barrier.wait(timeout=20)
            with db.transaction() as s:
                return reminders.send_reminders(s, datetime.now(timezone.utc), record,
                                                suite.gateway_url, 3, 3)
        finally:
            db.dispose()

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(run, range(5), timeout=60))
    mine = [r for r in results if n in r["initiators"]]
    assert len(mine) <= 1  # the service's own timer may have been first
    time.sleep(2)
    assert len(outbox(suite, "grouped_orders", "grouped_order_deadline_approached",
                      number=n)) == 1
    reminded = [p["sub_order_number"] for p in
                outbox(suite, "grouped_orders", "sub_order_payment_reminded")]
    for sub in unpaid:
        assert reminded.count(sub["number"]) == 1
