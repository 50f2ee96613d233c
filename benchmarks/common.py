"""What the benchmarks share: the whole suite running for real, figures and ratios printed
(never asserted), latency percentiles, a latency sampler running beside the measured work."""
import argparse
import statistics
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from services.common.db import Database
from tests.support.smtp import start_smtp
from tests.support.suite import Suite, free_port


def pct(values, p):
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def summary(values):
    return (f"{len(values)} calls, p50 {ms(statistics.median(values))}, p99 {ms(pct(values, 99))}"
            f", max {ms(max(values))}")


@contextmanager
def running_suite():
    port = free_port()
    controller, collector = start_smtp(port)
    suite = Suite(smtp_port=port)
    try:
        suite.start_all()
        yield suite, collector
    finally:
        suite.shutdown()
        controller.stop()


class Sampler:
    """Calls `probe()` every `interval` s in a thread until stopped; keeps each call's time."""

    def __init__(self, probe, interval=0.02):
        self.probe, self.interval = probe, interval
        self.latencies = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            t0 = time.perf_counter()
            self.probe()
            self.latencies.append(time.perf_counter() - t0)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(30)


@contextmanager
def fresh_database(name, url, service, metadata):
    """`service`'s tables, dropped and created again on `url`; the benchmark's side announced
    under `name`; the engine disposed afterwards."""
    db = Database(service, metadata, url=url)
    try:
        metadata.drop_all(db.engine)
        metadata.create_all(db.engine)
        print(f"{name} ({db.engine.dialect.name})")
        yield db
    finally:
        db.dispose()


def sqlite_and_postgres_parser(doc):
    """The command line of a benchmark run by `on_sqlite_and_postgres`, with its --pg option."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--pg", metavar="URL", help="also a throwaway PostgreSQL database")
    return parser


def on_sqlite_and_postgres(run, pg_url, *args):
    """`run(name, url, *args)` on a throwaway SQLite file, then on `pg_url` (--pg) if given."""
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", *args)
    if pg_url:
        run("PostgreSQL", pg_url, *args)
