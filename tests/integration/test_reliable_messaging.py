"""Events over the real RabbitMQ between real service processes: nothing lost, nothing twice."""
import re
import uuid

import requests
from kombu import Connection
from sqlalchemy import text

from services.common.contracts.events import make_envelope
from services.common.nameko_glue import AmqpPublisher, consumer_queues
from tests.support.suite import drop_vhost, make_vhost, wait_until


def client_row(number, name, collectivity=True):
    return {"number": number, "name": name, "collectivity": collectivity,
            "address_line1": "1 place Stanislas", "postal_code": "54000", "city": "NANCY",
            "discount_2_1": "0", "discount_5_5": "5", "discount_20": "0", "discount_school": "0"}


def push_clients(suite, api_key, rows):
    response = requests.post(f"{suite.bridge_url}/librisoft/v1/clients", json={"clients": rows},
                             headers={"X-Api-Key": api_key}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def accounts_client(suite, number):
    with suite.rpc() as rpc:
        admin = rpc.accounts.authenticate("admin@librairie.test", "admin-password-2026", "t")
        clients = rpc.accounts.clients_overview(admin["id"])["clients"]
    return next((c for c in clients if c["number"] == number), None)


def test_a_client_feed_reaches_accounts_and_a_lost_flag_deactivates(suite, api_key):
    report = push_clients(suite, api_key, [client_row("801", "ECOLE DES TILLEULS")])
    assert report["created"] == 1
    wait_until(lambda: accounts_client(suite, "801"), message="client 801 in accounts")
    push_clients(suite, api_key, [client_row("801", "ECOLE DES TILLEULS", collectivity=False)])
    wait_until(lambda: accounts_client(suite, "801")["active"] is False,
               message="client 801 deactivated in accounts")


def test_an_event_survives_its_consumer_being_down(suite, api_key):
    suite.stop_service("accounts")
    try:
        push_clients(suite, api_key, [client_row("802", "MEDIATHEQUE DU PARC")])
        # the bridge's outbox is relayed (the queue exists even with no consumer running)
        with suite.rpc() as rpc:
            wait_until(lambda: rpc.librisoft_bridge.health()["outbox_pending"] == 0,
                       message="bridge outbox relayed")
    finally:
        suite.start_service("accounts")
    wait_until(lambda: accounts_client(suite, "802"), message="client 802 after restart")
    db = suite.db("accounts")
    with db.transaction() as s:
        assert s.scalar(text("SELECT count(*) FROM clients WHERE number = '802'")) == 1
        assert s.scalar(text("SELECT count(*) FROM processed_events WHERE consumer = "
                             "'on_collectivity_client_updated'")) >= 1
    db.dispose()


def test_an_event_published_before_its_consumer_ever_started_is_kept():
    """On a broker that never saw the consumer, the publisher declares its durable queue."""
    uri, vhost = make_vhost()
    try:
        body = make_envelope("password_reset_requested", {
            "account_id": 1, "email": "a@b.fr", "token": "t", "expires_at": "2026-12-01T10:00"},
            "accounts")
        AmqpPublisher(uri)("password_reset_requested", body)
        (queue,) = consumer_queues("password_reset_requested")
        with Connection(uri) as conn:
            bound = queue(conn.default_channel)
            _, count, _ = bound.queue_declare(passive=True)
            message = bound.get(no_ack=True)
        assert count == 1
        assert message.payload["event_id"] == body["event_id"]
    finally:
        drop_vhost(vhost)


def mails_to(suite, address):
    with suite.rpc() as rpc:
        return rpc.notifications.list_mails(500, address)["mails"]


def test_a_duplicated_event_is_handled_once(suite, publish):
    address = f"dup-{uuid.uuid4().hex[:6]}@ecole.fr"
    body = publish("account_created", {"account_id": 99, "email": address,
                                       "role": "utilisateur", "client_names": []})
    publish("account_created", body=body)
    publish("account_created", body=body)
    wait_until(lambda: mails_to(suite, address), message="the mail")
    other = f"after-{uuid.uuid4().hex[:6]}@ecole.fr"  # a later event: the queue is drained
    publish("account_created", {"account_id": 100, "email": other, "role": "utilisateur"})
    wait_until(lambda: mails_to(suite, other), message="the later mail")
    assert len(mails_to(suite, address)) == 1


def test_a_failing_handler_does_not_drop_its_event(suite, publish):
    """A handler that keeps failing (here: an address longer than the column) is retried,
    then dead-lettered, visible and replayable; it is not acked away."""
    address = "x" * 300 + "@ecole.fr"
    body = publish("account_created", {"account_id": 7, "email": address, "role": "utilisateur"})

    def letter():
        with suite.rpc() as rpc:
            return next((d for d in rpc.notifications.list_dead_letters()
                         if d["event_id"] == body["event_id"]), None)

    found = wait_until(letter, timeout=30, message="the dead letter")
    assert found["consumer"] == "on_account_created" and found["attempts"] >= 3
    with suite.rpc() as rpc:
        assert rpc.notifications.replay_dead_letter(found["id"]) == "failed"
    assert letter()["status"] == "parked"


def test_an_event_breaking_its_contract_is_parked_not_lost(suite, publish):
    body = make_envelope("account_created", {"account_id": 8, "email": "c@ecole.fr",
                                             "role": "utilisateur"}, "accounts")
    del body["payload"]["email"]
    publish("account_created", body=body)

    def parked():
        with suite.rpc() as rpc:
            return [d for d in rpc.notifications.list_dead_letters()
                    if d["event_id"] == body["event_id"] and d["status"] == "parked"]

    (letter,) = wait_until(parked, message="the parked letter")
    assert "contrat" in letter["error"]


def test_two_instances_of_a_consumer_process_each_event_once(suite, publish):
    suite.start_service("notifications", instance="1")
    try:
        addresses = [f"pair-{i}-{uuid.uuid4().hex[:6]}@ecole.fr" for i in range(20)]
        bodies = [publish("account_created", {"account_id": i, "email": a,
                                              "role": "utilisateur"})
                  for i, a in enumerate(addresses)]
        for body in bodies:  # every event delivered twice, to whichever instance
            publish("account_created", body=body)
        wait_until(lambda: all(mails_to(suite, a) for a in addresses), timeout=30,
                   message="every mail")
    finally:
        suite.stop_service("notifications", instance="1")
    db = suite.db("notifications")
    with db.transaction() as s:
        counts = s.execute(text("SELECT to_addr, count(*) FROM mails WHERE to_addr LIKE 'pair-%'"
                                " GROUP BY to_addr")).all()
    db.dispose()
    assert len(counts) == 20 and all(n == 1 for _, n in counts)




def test_events_waiting_for_their_consumer_go_in_batches_each_once_a_poison_alone(suite,
                                                                                  publish):
    """Issue 11: events that waited (their consumer down) are handed to a few workers, many per
    transaction; an event delivered twice among them is handled once, a poison event among them
    (an address longer than the column) is dead-lettered alone and the others are processed."""
    tag = uuid.uuid4().hex[:6]
    addresses = [f"burst-{i}-{tag}@ecole.fr" for i in range(30)]
    suite.stop_service("notifications")
    try:
        bodies = [publish("account_created", {"account_id": 1000 + i, "email": a,
                                              "role": "utilisateur"})
                  for i, a in enumerate(addresses[:15])]
        poison = publish("account_created", {"account_id": 999, "email": "y" * 300 + "@ecole.fr",
                                             "role": "utilisateur"})
        bodies += [publish("account_created", {"account_id": 1015 + i, "email": a,
                                               "role": "utilisateur"})
                   for i, a in enumerate(addresses[15:])]
        for body in bodies[:10]:  # delivered twice, in the same backlog
            publish("account_created", body=body)
    finally:
        suite.start_service("notifications")

    def letter():
        with suite.rpc() as rpc:
            return next((d for d in rpc.notifications.list_dead_letters()
                         if d["event_id"] == poison["event_id"]), None)

    wait_until(lambda: all(mails_to(suite, a) for a in addresses), timeout=60,
               message="every mail of the backlog")
    assert wait_until(letter, timeout=30, message="the poison's dead letter")["attempts"] >= 3
    db = suite.db("notifications")
    with db.transaction() as s:
        counts = s.execute(text("SELECT to_addr, count(*) FROM mails WHERE to_addr LIKE :a "
                                "GROUP BY to_addr"), {"a": f"burst-%-{tag}@ecole.fr"}).all()
    db.dispose()
    assert len(counts) == 30 and all(n == 1 for _, n in counts)
    # the instance says, when it stops, how many workers its 41 deliveries took
    suite.stop_service("notifications")
    suite.start_service("notifications")
    (events, workers), = [tuple(map(int, m)) for m in re.findall(
        r"handled \d+ RPC requests, (\d+) events \((\d+) event workers\)",
        suite.tail("notifications#0", 400))][-1:]
    assert events >= 41 and workers < events / 2


def test_a_retired_consumers_queue_is_deleted_by_the_producer():
    """logistics no longer consumes `sub_order_placed`: on a broker that ran the older version
    its durable queue was still bound and would keep every subscription's event for good. The
    producer deletes it at its first publish; the current consumers' queues get the event."""
    from kombu import Exchange, Queue

    from services.common.contracts.events import RETIRED_CONSUMERS
    from services.common.nameko_glue import event_exchange, event_queue_name
    uri, vhost = make_vhost()
    try:
        ((service, method),) = RETIRED_CONSUMERS["sub_order_placed"]
        old = event_queue_name("grouped_orders", "sub_order_placed", service, method)
        with Connection(uri) as conn:  # what the older version declared
            Queue(old, exchange=event_exchange("grouped_orders"),
                  routing_key="sub_order_placed.#", durable=True)(conn.default_channel).declare()
        body = make_envelope("sub_order_placed", {
            "sub_order_number": 1, "grouped_order": {
                "number": 1, "token": "t" * 20, "client_name": "ECOLE", "client_number": "16",
                "initiator_email": "a@b.fr", "contact_email":
                "a@b.fr", "pickup_label": "Librairie", "deadline": "2026-12-20",
                "article": {"ean": "9791097284657", "title": "WESTERN", "price_ttc": "14.90",
                            "vat_rate": "5.5"}},
            "buyer": {"first_name": "A", "last_name": "B", "email": "a@b.fr"},
            "quantity": 1, "total_ttc": "14.90", "subscribed_at": "2026-12-07T10:00:00+00:00"},
            "grouped_orders")
        AmqpPublisher(uri)("sub_order_placed", body)
        with Connection(uri) as conn:
            channel = conn.default_channel
            try:
                Queue(old, exchange=Exchange("x"))(channel).queue_declare(passive=True)
                gone = False
            except Exception:  # NOT_FOUND: deleted
                gone = True
        assert gone
        with Connection(uri) as conn:
            for queue in consumer_queues("sub_order_placed"):
                if queue.name.endswith("order_desk.on_sub_order_placed"):
                    _, count, _ = queue(conn.default_channel).queue_declare(passive=True)
                    assert count == 1
    finally:
        drop_vhost(vhost)
