"""Issue 11, P1: the floor the architecture itself sets under a parent's form POST. What one
RPC from the gateway's client to a nameko service costs in CPU, summed over the processes
(the client, the service, RabbitMQ), when the service does nothing; and the same RPC whose
service also tells one consumer by an event, as the POST tells the order desk. No database,
no Flask, no business rule: whatever the suite's own code does, a form POST costs at least
this much more than a monolith doing the same writes in one process. Figures printed, never
asserted.

    .venv/bin/python -m benchmarks.bench_rpc_floor [--calls 3000] [--rounds 2] [--threads 16]

- the client is the gateway's own (`gateway.rpc.RpcPool`: one proxy per thread, requests
  unconfirmed, a deadline per call) in this process, from `--threads` threads as the gateway's
  workers call it;
- the services run in one child process with nameko's containers and this project's glue
  (`services.common.nameko_glue`: its RPC entrypoint and its event handler; the event
  published by nameko's dispatcher with publisher confirms, as the outbox's relay publishes);
- a vhost of its own; RabbitMQ's CPU is its whole process (run it on a quiet machine).

The two kinds of call alternate (rounds); each round waits until the child is idle again (the
events consumed) before reading the CPU counters."""
import sys

if __name__ == "__main__" and "--serve" in sys.argv:
    import eventlet

    eventlet.monkey_patch()  # the child: nameko's containers need it, as `nameko run` does

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# what a subscription sends and gets back, in size: the buyer, the lines, the answer's tokens
PAYLOAD = {"token": "k" * 43, "first_name": "Élodie", "last_name": "Moënne",
           "email": "elodie.moenne@free.fr", "phone": "", "pupil": "Léa, CM2 B",
           "lines": [{"ean": "9791097284657", "quantity": 1}], "payment_method": "online",
           "idempotency_key": "i" * 43, "accepted_terms": True}
ANSWER = {"number": 1234, "buyer_token": "b" * 43, "status": "pending_payment",
          "total_ttc": "14.90", "payment_method": "online"}


def serve(amqp_uri):
    """The child: a service answering `ping` (and `ping_and_tell`, which also dispatches
    `pinged`) and a listener consuming `pinged`, until killed."""
    from nameko.containers import ServiceContainer
    from nameko.events import EventDispatcher

    from services.common import nameko_glue

    class Floor:
        name = "floor"
        dispatch = EventDispatcher()

        @nameko_glue.rpc
        def ping(self, payload):
            return ANSWER

        @nameko_glue.rpc
        def ping_and_tell(self, payload):
            self.dispatch("pinged", payload)
            return ANSWER

    class FloorListener:
        name = "floor_listener"

        @nameko_glue.event_handler("floor", "pinged")
        def on_pinged(self, payload):
            return None

    config = {"AMQP_URI": amqp_uri, "max_workers": 10}
    containers = [ServiceContainer(cls, config) for cls in (Floor, FloorListener)]
    for container in containers:
        container.start()
    print("ready", flush=True)
    import eventlet
    while True:
        eventlet.sleep(3600)


def main():
    from benchmarks.bench_subscription_form import cpu_seconds, named_pids
    from gateway.rpc import RpcPool
    from tests.support.suite import drop_vhost, make_vhost, require_infrastructure

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls per kind per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    require_infrastructure()
    amqp_uri, vhost = make_vhost()
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_rpc_floor", "--serve",
                              amqp_uri], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)))
    pool = RpcPool(amqp_uri, size=args.threads, timeout=30)
    try:
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("the floor's services did not start")
        for _ in range(200):  # warm up: every thread's proxy made, the queues declared
            pool.call("floor", "ping_and_tell", PAYLOAD)
        figures = {"ping": [], "ping_and_tell": []}
        for _ in range(args.rounds):
            for method in figures:
                figures[method].append(measure(pool, method, args, child.pid, cpu_seconds,
                                               named_pids))
        print(f"\nThe floor under a form POST (issue 11, P1): {args.calls} calls per kind per "
              f"round, {args.threads} client threads, {args.rounds} rounds")
        for method, label in (("ping", "one RPC, nothing done"),
                              ("ping_and_tell", "one RPC + one event to one consumer")):
            runs = figures[method]
            total = statistics.median(r["total"] for r in runs)
            print(f"- {label}: {statistics.median(r['rate'] for r in runs):.0f} calls/s, "
                  f"{total:.2f} ms of CPU per call (client "
                  f"{statistics.median(r['client'] for r in runs):.2f}, services "
                  f"{statistics.median(r['services'] for r in runs):.2f}, RabbitMQ "
                  f"{statistics.median(r['rabbitmq'] for r in runs):.2f})")
        print("A POST through the suite costs the monolith's own work (Flask, the session and "
              "CSRF, the SQL) plus at least the second figure: the throughput ratio on "
              "saturated cores is at most monolith / (monolith + floor).")
    finally:
        pool.close()
        child.kill()
        child.wait()
        drop_vhost(vhost)


def measure(pool, method, args, child_pid, cpu_seconds, named_pids):
    """`args.calls` calls from `args.threads` threads; CPU read once the child is idle again
    (the events consumed)."""
    counter = iter(range(args.calls))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            pool.call("floor", method, PAYLOAD)

    beam = named_pids("beam.smp")
    before = (time.process_time(), cpu_seconds([child_pid]), cpu_seconds(beam))
    threads = [threading.Thread(target=work) for _ in range(args.threads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    last = cpu_seconds([child_pid])
    while True:  # the consumer's backlog done: the child idle over 0.3 s
        time.sleep(0.3)
        now = cpu_seconds([child_pid])
        if now - last < 0.02:
            break
        last = now
    after = (time.process_time(), cpu_seconds([child_pid]), cpu_seconds(beam))
    per_call = [(a - b) * 1000 / args.calls for a, b in zip(after, before)]
    return {"rate": args.calls / elapsed, "client": per_call[0], "services": per_call[1],
            "rabbitmq": per_call[2], "total": sum(per_call)}


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve(sys.argv[sys.argv.index("--serve") + 1])
    else:
        main()
