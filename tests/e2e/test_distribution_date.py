"""The distribution date and the buyers told their books are ready (issue 10 K5, reference 004)
on the real broker, PostgreSQL and the test SMTP server, with two instances of grouped_orders
and of notifications: the initiator sets the date on the distribution page once validated (a
day in the past: a French 400), the bookshop makes the grouped order available five times at
once (one effect), each buyer gets one mail with the place, the date and « À payer au retrait »
or « déjà payée »; the bookshop moves the date five times at once: one more mail each.

The grouped order is validated by a shortcut in its database: today the bookshop's validation
waits for every payment, and a parent paying at pickup pays on distribution day."""
import html
import uuid

import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.e2e.test_cheque_payments import WESTERN
from tests.e2e.test_once import at_once, one_winner, outbox, poster, settled
from tests.e2e.test_pickup_payment import allow_pickup, subscribe_at_pickup


def validated(suite, number):
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET status = 'processing', validated_at = now() "
                       "WHERE number = :n"), {"n": number})
    db.dispose()


def told(suite, number):
    """The grouped order's `sub_order_made_available` events in grouped_orders' outbox."""
    return [p for p in outbox(suite, "grouped_orders", "sub_order_made_available")
            if p["grouped_order"]["number"] == number]


def test_each_buyer_told_once_where_when_and_how_much(suite, people, demo_feeds, smtp):
    run = uuid.uuid4().hex[:6]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN, pickup="bookshop")
    n = go["number"]
    allow_pickup(suite, admin, n)
    subscribe_at_pickup(suite, token, "Lou", f"Date{run}")
    alba = grouped.subscribe(suite, token, "Alba", f"Date{run}", 2)
    grouped.pay(suite, token, alba)
    lou_email, alba_email = f"lou.date{run}@free.fr", alba["email"]
    validated(suite, n)

    # the initiator sets the date on the distribution page: a day in the past is refused
    url = f"{suite.gateway_url}/distribution/{n}"
    today = grouped.paris_today()
    bad = teacher.post(f"{url}/date", data={"csrf_token": csrf_token(teacher, url),
                                            "distribution_date": "2020-01-01"})
    assert bad.status_code == 400 and "ne peut pas être dans le passé" in html.unescape(bad.text)
    day = today.replace(year=today.year + 1, month=1, day=15)  # a Friday in 2027
    r = teacher.post(f"{url}/date", data={
        "csrf_token": csrf_token(teacher, url), "distribution_date": day.isoformat(),
        "distribution_slot": "de 16 h 30 à 18 h"})
    assert r.status_code == 200 and "Date de distribution enregistrée" in html.unescape(r.text)
    label = admin.get(
        f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}").json()["distribution_label"]
    assert label.endswith(f" 15 janvier {day.year}, de 16 h 30 à 18 h"), label
    assert not told(suite, n)  # not made available yet: nobody told

    suite.start_services("grouped_orders", "notifications", instance="1")
    try:
        as_admin = poster(admin, suite)
        one_winner(at_once(lambda i: as_admin(f"/admin/grouped-orders/{n}/availability")))
        (lou,) = settled(suite, smtp, lou_email, "Vos livres sont prêts")
        (alba_mail,) = settled(suite, smtp, alba_email, "Vos livres sont prêts")
        body = lou.get_content()
        assert f"Date de distribution : {label}." in body
        assert "À payer au retrait : 14,90" in body and f"/souscription/{token}/commande/" in body
        assert "déjà payée" in alba_mail.get_content()

        # the bookshop moves the date, five times at once: one change, one more mail each
        cookies = admin.cookies.get_dict()
        later = day.replace(day=22)

        def move(i):
            return requests.put(f"{suite.gateway_url}/api/v1/grouped-orders/{n}/distribution/date",
                                json={"distribution_date": later.isoformat()}, cookies=cookies,
                                headers={"Idempotency-Key": f"date-{run}-{i}"}, timeout=45)
        answers = at_once(move)
        assert [a.status_code for a in answers] == [200] * 5, [a.text[:200] for a in answers]
        assert answers[0].json()["distribution_date"] == later.isoformat()
        for address in (lou_email, alba_email):
            (moved,) = settled(suite, smtp, address, "Nouvelle date de distribution")
            assert "a changé : vos livres seront remis le " in moved.get_content()
            assert f" 22 janvier {later.year}." in moved.get_content()
            assert len([m for m in smtp.to(address) if "Vos livres sont prêts" in m["Subject"]]) \
                == 1
        assert sorted(p["rescheduled"] for p in told(suite, n)) == [False, False, True, True]
    finally:
        suite.stop_services("notifications", "grouped_orders", instance="1")
