"""How long the bridge's handler takes to turn a validated grouped order into its classic order.

    python -m benchmarks.bench_validation_to_bridge                 # SQLite in a temp dir
    python -m benchmarks.bench_validation_to_bridge --pg postgresql://postgres@127.0.0.1/bench

A small measurement of the handler only: `use_cases.classic_orders.take_grouped_order` in its own
transaction, as the consumer runs it, on a grouped_order_validated payload already loaded
through its contract. Not measured: RabbitMQ, nameko, the contract loading, the inbox's event-id
bookkeeping, the outbox relay; an end-to-end figure would be larger.

The payload is WESTERN COQUILLETTES x 10,000 paid copies (--quantity). A grouped order is one
line whatever its quantity, so the quantity does not change the work; the printed total shows
the money stays exact (14.90 x 10,000 = 149000.00). --orders payloads with distinct grouped order
numbers are taken one by one (first arrival: a lookup and two inserts), then each is taken
again (a re-delivered event with a new id: a lookup, no write). Times per order: median, 95th
percentile, max. The PostgreSQL database must be a throwaway one: the bridge's tables are
dropped and created there. No assertion on the times."""
import statistics
import sys
import time
from decimal import Decimal

from benchmarks.common import (
    fresh_database,
    on_sqlite_and_postgres,
    sqlite_and_postgres_parser,
)
from services.common.contracts.payloads import GroupedOrderValidatedV1
from services.librisoft_bridge.models import Base
from services.librisoft_bridge.use_cases import classic_orders

PRICE = Decimal("14.90")


def payload(number: int, quantity: int) -> dict:
    total = str(PRICE * quantity)
    return GroupedOrderValidatedV1().load({
        "number": number, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
        "initiator_email": "approbateur@victorprouve.org",
        "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                    "price_ttc": str(PRICE), "vat_rate": "5.5"},
        "deadline": "2022-03-29", "pickup_label": "COLLEGE Victor prouve\n2, rue des jonquilles",
        "billing_label": "13 RUE EMILE BOILVIN\n57000 METZ", "quantity": quantity,
        "unit_price_ttc": str(PRICE), "total_ttc": total,
        "validated_at": "2022-03-30T09:26:59+02:00"})


def timed_takes(db, payloads) -> tuple:
    seconds, outcomes = [], []
    for one in payloads:
        start = time.perf_counter()
        with db.transaction() as session:
            outcomes.append(classic_orders.take_grouped_order(session, one))
        seconds.append(time.perf_counter() - start)
    return seconds, outcomes


def report(label: str, seconds: list):
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"  {label:<34} {len(ms):>5} orders   median {statistics.median(ms):7.2f} ms"
          f"   p95 {p95:7.2f} ms   max {ms[-1]:7.2f} ms")


def run(name: str, url: str, orders: int, quantity: int):
    with fresh_database(name, url, "librisoft_bridge", Base.metadata) as db:
        payloads = [payload(1000 + index, quantity) for index in range(orders)]
        first, outcomes = timed_takes(db, payloads)
        assert all(created for _, created in outcomes)
        report("first arrival (order created)", first)
        again, outcomes = timed_takes(db, payloads)
        assert not any(created for _, created in outcomes)
        report("arrives again (nothing written)", again)
        with db.transaction() as session:
            order = classic_orders.get_order(session, outcomes[0][0])
        print(f"  order {order['number']}: {order['lines'][0]['quantity']} x "
              f"{order['lines'][0]['unit_price_ttc']} = {order['total_ttc']} TTC")


def main(argv=None) -> int:
    parser = sqlite_and_postgres_parser(__doc__)
    parser.add_argument("--orders", type=int, default=500, help="grouped orders taken (500)")
    parser.add_argument("--quantity", type=int, default=10_000, help="paid copies (10000)")
    args = parser.parse_args(argv)
    on_sqlite_and_postgres(run, args.pg, args.orders, args.quantity)
    return 0


if __name__ == "__main__":
    sys.exit(main())
