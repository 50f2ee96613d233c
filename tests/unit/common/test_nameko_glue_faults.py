"""Why services exited when the broker went away, and what keeps them running now.

In nameko 2.14 an exception escaping a worker's result handling kills the container (and
`nameko run` exits). With the broker gone, the RPC answer's publish and the message's ack raise
socket errors there. These tests drive the result handling with such a broker."""
import time
from types import SimpleNamespace
from unittest import mock

import pytest
from nameko.messaging import QueueConsumer as NamekoQueueConsumer
from nameko.rpc import RpcConsumer as NamekoRpcConsumer

from services.common import nameko_glue
from services.common.errors import DomainError


class DeadMessage:
    """A delivered message whose connection died: ack/requeue raise a socket error."""

    def __init__(self, correlation_id="c-1", headers=None, redelivered=False):
        self.channel = SimpleNamespace(connection=object())
        self.properties = {"correlation_id": correlation_id, "reply_to": "r",
                           "content_type": "application/json"}
        self.headers = headers or {}
        self.delivery_info = {"routing_key": "svc.m", "redelivered": redelivered}
        self.delivery_tag = 7

    def ack(self):
        raise ConnectionResetError(104, "Connection reset by peer")

    requeue = ack


def test_nameko_alone_lets_a_dead_connection_ack_escape():
    """The cause: this exception would reach Container._run_worker and kill the service."""
    with pytest.raises(ConnectionResetError):
        NamekoQueueConsumer().ack_message(DeadMessage())


def test_an_ack_or_requeue_on_a_dead_connection_is_logged_not_raised(caplog):
    consumer = nameko_glue.QueueConsumer()
    consumer.ack_message(DeadMessage())
    consumer.requeue_message(DeadMessage())
    assert "deliver it again" in caplog.text


def rpc_consumer(cls):
    consumer = cls()
    consumer.container = SimpleNamespace(config={"AMQP_URI": "memory://"})
    consumer.queue_consumer = mock.Mock()
    return consumer


def test_an_rpc_answer_that_cannot_be_sent_does_not_kill_the_service():
    refused = ConnectionRefusedError(111, "Connection refused")
    with mock.patch("nameko.rpc.Responder.send_response", side_effect=refused):
        with pytest.raises(ConnectionRefusedError):  # nameko alone: the container dies
            rpc_consumer(NamekoRpcConsumer).handle_result(DeadMessage(), {"ok": 1}, None)
        consumer = rpc_consumer(nameko_glue.RpcConsumer)
        assert consumer.handle_result(DeadMessage(), {"ok": 1}, None) == ({"ok": 1}, None)
        consumer.queue_consumer.ack_message.assert_called_once()  # never run again


def test_a_redelivered_request_already_started_here_is_not_run_twice():
    from collections import OrderedDict
    consumer = nameko_glue.RpcConsumer()
    consumer._started = OrderedDict()
    assert consumer.seen(DeadMessage("c-9")) is False
    assert consumer.seen(DeadMessage("c-9", redelivered=True)) is True
    assert consumer.seen(DeadMessage("c-10")) is False


def test_a_request_past_its_deadline_is_dropped_before_a_worker_starts():
    entry = nameko_glue.Rpc()
    entry.method_name = "subscribe"
    entry.container = mock.Mock()
    entry.rpc_consumer = mock.Mock()
    late = DeadMessage(headers={"nameko.lsb_deadline": time.time() - 1})
    entry.handle_message({"args": [], "kwargs": {}}, late)
    entry.container.spawn_worker.assert_not_called()
    entry.rpc_consumer.queue_consumer.ack_message.assert_called_once_with(late)


def test_the_rpc_wrapper_refuses_expired_work_and_turns_a_dead_database_into_unavailable():
    import sqlalchemy.exc

    ran = []

    class Service:
        request_deadline = None

        @nameko_glue.rpc
        def create(self, x):
            ran.append(x)
            return x

        @nameko_glue.rpc
        def broken(self):
            raise sqlalchemy.exc.OperationalError("SELECT 1", {}, Exception("refused"))

    s = Service()
    assert s.create(1) == 1
    s.request_deadline = time.time() - 0.1
    with pytest.raises(DomainError) as refused:
        s.create(2)
    assert refused.value.code == "unavailable" and ran == [1]
    s.request_deadline = None
    with pytest.raises(DomainError) as down:
        s.broken()
    assert down.value.code == "unavailable"


def test_an_rpc_reply_goes_without_a_publisher_confirm_events_keep_theirs():
    """Issue 11: nameko waits for the broker's confirm of every RPC reply (a round trip per
    RPC); a lost reply only means the caller retries, so replies go unconfirmed. Events, through
    the outbox, keep their confirms and `mandatory`."""
    sent = []

    def publish(self, payload, **kwargs):
        sent.append((self.use_confirms, kwargs["correlation_id"], payload["result"]))

    consumer = rpc_consumer(nameko_glue.RpcConsumer)
    with mock.patch("nameko.amqp.publish.Publisher.publish", publish):
        consumer.handle_result(DeadMessage(), {"ok": 1}, None)
    assert sent == [(False, "c-1", {"ok": 1})]
    consumer.queue_consumer.ack_message.assert_called_once()
    events = nameko_glue.AmqpPublisher("memory://").publisher
    assert events.use_confirms is True and events.mandatory is True


def test_an_event_nobody_consumes_yet_does_not_stop_the_outbox():
    """`sub_order_placed` (no consumer until the order desk takes it) was refused as
    unroutable, again and again, and every later event of grouped_orders waited behind it: an
    event without consumers goes without `mandatory`; the others keep it."""
    from services.common.contracts.events import CONTRACTS
    sent = []

    def publish(self, payload, **kwargs):
        sent.append((kwargs["routing_key"], kwargs["mandatory"], len(kwargs["declare"])))

    publisher = nameko_glue.AmqpPublisher("memory://")
    with mock.patch("nameko.amqp.publish.Publisher.publish", publish):
        for name in ("sub_order_placed", "sub_order_paid"):
            publisher(name, {"payload": {}})
    consumed = len(CONTRACTS["sub_order_paid"].consumers)
    assert sent == [("sub_order_placed", bool(CONTRACTS["sub_order_placed"].consumers),
                     1 + len(CONTRACTS["sub_order_placed"].consumers)),
                    ("sub_order_paid", True, 1 + consumed)]
