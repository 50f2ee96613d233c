"""The gateway's RPC pool under faults: each request carries its deadline, a broker fault or a
service's unavailable database is a ServiceUnavailable (503), never a crash."""
import time

import kombu.exceptions
import pytest

from gateway import rpc as gateway_rpc
from services.common.errors import DomainError, invalid, unavailable
from services.common.wire import DEADLINE_KEY


class FakeRunner:
    def __init__(self):
        self._worker_ctx = type("Ctx", (), {"data": {}})()
        self._reply_listener = object()

    def stop(self):
        pass


def pool_with(monkeypatch, outcome):
    sent = []

    class FakeMethodProxy:
        def __init__(self, worker_ctx, service, method, reply_listener, **options):
            self.publisher = type("Pub", (), {})()
            sent.append({"service": service, "method": method, "options": options,
                         "deadline": worker_ctx.data.get(DEADLINE_KEY)})

        def __call__(self, *args, **kwargs):
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

    monkeypatch.setattr(gateway_rpc, "MethodProxy", FakeMethodProxy)
    pool = gateway_rpc.RpcPool("memory://", timeout=10)
    monkeypatch.setattr(pool, "_new", FakeRunner)
    monkeypatch.setattr(pool, "_alive", lambda runner: True)
    return pool, sent


def test_a_request_carries_its_deadline_and_expires_with_it(monkeypatch):
    pool, sent = pool_with(monkeypatch, {"ok": True})
    before = time.time()
    assert pool.call("grouped_orders", "subscribe", "t", {}) == {"ok": True}
    (call,) = sent
    assert call["options"]["expiration"] == pytest.approx(9.0)
    # the service must start before the gateway gives up
    assert before + 8.5 <= call["deadline"] <= time.time() + 9.0


@pytest.mark.parametrize("fault", [ConnectionRefusedError(111, "refused"),
                                   kombu.exceptions.OperationalError("broker down"),
                                   unavailable()])
def test_a_broker_or_database_fault_is_service_unavailable(monkeypatch, fault):
    pool, _ = pool_with(monkeypatch, fault)
    with pytest.raises(gateway_rpc.ServiceUnavailable):
        pool.call("payments", "start_payment", {})


def test_a_refusal_stays_a_domain_error(monkeypatch):
    pool, _ = pool_with(monkeypatch, invalid("Quantité incorrecte."))
    with pytest.raises(DomainError) as refused:
        pool.call("grouped_orders", "subscribe", "t", {})
    assert refused.value.code == "invalid"
