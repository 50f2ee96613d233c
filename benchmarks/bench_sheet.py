"""P3: a school's sign-in sheet (1,000 buyers) exported through the gateway, against a naive
WeasyPrint rendering of the same rows as one plain HTML table, alternated in one run; and the
grouped_orders service's RPC latency while it renders. Figures printed, never asserted.

    .venv/bin/python -m benchmarks.bench_sheet [--rows 1000] [--rounds 3]

Goal (issue 11): the export ≤ 0.25× the naive time; grouped_orders' other RPCs p99 < 100 ms
meanwhile."""
import argparse
import statistics
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_grouped_orders import insert_paid_subs, setup  # noqa: E402
from benchmarks.common import Sampler, ms, running_suite, summary  # noqa: E402
from tests.e2e import grouped  # noqa: E402


def naive_html(view) -> str:
    """The same columns as the sheet, as the plainest HTML table."""
    head = "".join(f"<th>{h}</th>" for h in ("N°", "Nom", "Prénom", "Email", "Date d'achat",
                                              "Quantité", "Statut", "Total TTC", "Signature"))
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in (
            s["number"], s["last_name"], s["first_name"], s["email"], s["created_at"],
            s["quantity"], s["status_label"], s["total"], "")) + "</tr>"
        for s in view["sub_orders"])
    return (f"<html><body><h1>Commande groupée n° {view['number']}</h1><table><thead>"
            f"<tr>{head}</tr></thead><tbody>{rows}</tbody></table></body></html>")


def naive_render(view) -> float:
    from weasyprint import HTML
    t0 = time.perf_counter()
    HTML(string=naive_html(view)).write_pdf()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with running_suite() as (suite, _):
        admin, teacher, _key = setup(suite)
        go, _ = grouped.create(teacher, suite, "16", "9791097284657")
        insert_paid_subs(suite, go["number"], args.rows)
        view = admin.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{go['number']}").json()
        assert len(view["sub_orders"]) == args.rows, "the view should list every sub-order"
        url = f"{suite.gateway_url}/commandes-groupees/{go['number']}/pdf"
        ours, naive, latencies, per_publisher = [], [], [], []
        with suite.rpc() as rpc:
            idle = Sampler(rpc.grouped_orders.health)
            with idle:
                time.sleep(3)
        for _ in range(args.rounds):
            with suite.rpc() as rpc, Sampler(rpc.grouped_orders.health) as sampler:
                t0 = time.perf_counter()
                r = teacher.get(url, timeout=300)
                ours.append(time.perf_counter() - t0)
            assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.status_code
            latencies += sampler.latencies
            t0 = time.perf_counter()  # the sign-in sheet per publisher (issue 10 K4)
            assert teacher.get(url + "?par=editeur", timeout=300).content.startswith(b"%PDF")
            per_publisher.append(time.perf_counter() - t0)
            naive.append(naive_render(view))
        a, b = statistics.median(ours), statistics.median(naive)
        print(f"P3 sign-in sheet of {args.rows} buyers, {args.rounds} alternated rounds")
        print(f"  through the gateway     median {a:.2f} s  (each: "
              f"{', '.join(f'{t:.2f}' for t in ours)})  {len(r.content) // 1024} KiB")
        print(f"  per publisher (gateway) median {statistics.median(per_publisher):.2f} s")
        print(f"  naive WeasyPrint table  median {b:.2f} s  (each: "
              f"{', '.join(f'{t:.2f}' for t in naive)})")
        print(f"  ratio ours / naive      {a / b:.2f}×   (goal ≤ 0.25×)")
        print(f"  grouped_orders RPC idle:      {summary(idle.latencies)}")
        print(f"  grouped_orders RPC rendering: {summary(latencies)}   (goal p99 < {ms(0.1)})")


if __name__ == "__main__":
    main()
