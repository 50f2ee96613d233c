"""P5: Librisoft pushing a 50,000-article feed to the running bridge over HTTP, and the bridge's
RPC latency sampled meanwhile (against the same sampling while idle). Figures printed, never
asserted.

    .venv/bin/python -m benchmarks.bench_feed_import [--rows 50000]

Goal (issue 11): the import < 10 s; bridge RPC p99 < 100 ms during the import."""
import argparse
import json
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_article_import import changed, make_feed  # noqa: E402
from benchmarks.common import Sampler, running_suite, summary  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--invalid", type=int, default=500)
    args = parser.parse_args()
    feed = make_feed(args.rows, args.invalid)
    with running_suite() as (suite, _):
        from services.librisoft_bridge import keys
        key = keys.create_key(suite.db("librisoft_bridge"), "bench")
        url = f"{suite.bridge_url}/librisoft/v1/articles"
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        print(f"P5 article feed of {len(feed)} rows ({args.invalid} bad) over HTTP to the bridge")
        with suite.rpc() as rpc:
            def probe():  # a primary-key lookup: the RPC's own latency, not a table scan
                try:
                    rpc.librisoft_bridge.get_article(feed[0]["ean"])
                except Exception:  # not imported yet: "introuvable" is an answer too
                    pass
            with Sampler(probe) as idle:
                time.sleep(3)
            print(f"  bridge RPC idle:            {summary(idle.latencies)}")
            for label, rows in (("first import", feed), ("same feed again", feed),
                                ("10 % of prices changed", changed(feed))):
                body = json.dumps({"articles": rows}).encode()
                with Sampler(probe) as busy:
                    t0 = time.perf_counter()
                    r = requests.post(url, data=body, headers=headers, timeout=600)
                    seconds = time.perf_counter() - t0
                report = r.json()
                print(f"  {label:<24} {seconds:6.2f} s (HTTP {r.status_code}, {len(body) >> 20} "
                      f"MiB): created {report.get('created')}, updated {report.get('updated')}, "
                      f"unchanged {report.get('unchanged')}, rejected "
                      f"{len(report.get('rejected', []))}   (goal < 10 s)")
                print(f"    bridge RPC meanwhile:     {summary(busy.latencies)}   "
                      f"(goal p99 < 100 ms)")


if __name__ == "__main__":
    main()
