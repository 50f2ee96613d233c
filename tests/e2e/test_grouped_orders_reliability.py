"""Grouped orders when parts of the suite are down or doubled: nothing lost, nothing twice."""
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.support.suite import wait_until

WESTERN = "9791097284657"


def ready_to_validate(suite, teacher, buyers=(("Ana", "Lys", 1),)):
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    subs = [grouped.subscribe(suite, token, *b) for b in buyers]
    for sub in subs:
        grouped.pay(suite, token, sub)
    grouped.pass_deadline(suite, go["number"])
    return go, token, subs


def test_validating_while_the_bridge_and_notifications_are_down(suite, people, demo_feeds):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, _, _ = ready_to_validate(suite, teacher)
    n = go["number"]
    url = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}"
    wait_until(lambda: admin.get(url).json()["status"] == "awaiting_validation")
    suite.stop_services("librisoft_bridge", "notifications")
    try:
        assert admin.post(url + "/validation", json={}).status_code == 200
        with suite.rpc() as rpc:  # the event left grouped_orders' outbox for the broker
            wait_until(lambda: rpc.grouped_orders.health()["outbox_pending"] == 0)
    finally:
        suite.start_services("librisoft_bridge", "notifications")
    orders = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                 if o["source_kind"] == "grouped_order"
                                 and o["source_number"] == n], message="the classic order")
    mails = wait_until(lambda: [m for m in grouped.mails(suite, people["collectivite"]["email"])
                                if f"n° {n} validée" in m["subject"]], message="the mail")
    assert len(orders) == 1 and len(mails) == 1


def test_two_grouped_orders_instances_take_each_callback_and_deadline_once(suite, people,
                                                                            smtp):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    suite.start_service("grouped_orders", instance="1")
    try:
        made = []
        for i in range(3):
            go, token = grouped.create(teacher, suite, "16", WESTERN)
            subs = [grouped.subscribe(suite, token, f"Twin{i}", f"Buyer{j}", 1)
                    for j in range(3)]
            for sub in subs:
                grouped.pay(suite, token, sub)
            made.append((go, subs))
        for go, _ in made:
            grouped.pass_deadline(suite, go["number"])
        email = people["collectivite"]["email"]
        for go, subs in made:
            n = go["number"]
            wait_until(lambda n=n: [m for m in grouped.mails(suite, email)
                                    if f"n° {n} : la date limite" in m["subject"]],
                       message=f"deadline mail of {n}")
            for sub in subs:
                wait_until(lambda sub=sub: grouped.mails(suite, sub["email"]))
        # both timers ran for a while: still one transition and one mail each
        import time
        time.sleep(3)
        for go, subs in made:
            n = go["number"]
            assert len([m for m in grouped.mails(suite, email)
                        if f"n° {n} : la date limite" in m["subject"]]) == 1
            for sub in subs:
                assert len(grouped.mails(suite, sub["email"])) == 1
    finally:
        suite.stop_service("grouped_orders", instance="1")
