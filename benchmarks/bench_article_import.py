"""How fast the Librisoft bridge imports an article feed, through its use case.

    python -m benchmarks.bench_article_import                       # SQLite in a temp dir
    python -m benchmarks.bench_article_import --pg postgresql://postgres@127.0.0.1/bench_bridge

Generates --rows valid articles (the demo generator) plus --invalid bad ones, then times a
first import (every row new), a re-import of the same feed (every row unchanged) and an import
where one row in ten changed price. The PostgreSQL database must be a throwaway one: the
bridge's tables are dropped and created there. No assertion on the times."""
import random
import sys
import time

from benchmarks.common import (
    fresh_database,
    on_sqlite_and_postgres,
    sqlite_and_postgres_parser,
)
from services.librisoft_bridge.demo import demo_articles
from services.librisoft_bridge.models import Base
from services.librisoft_bridge.use_cases import imports


def make_feed(rows: int, invalid: int) -> list:
    feed = demo_articles(rows)
    rng = random.Random(7)
    breakages = (("ean", "9782362210418"), ("vat_rate", "7"), ("title", ""),
                 ("price_ttc", "gratuit"), ("publication_date", "29/04/2011"))
    for index in range(invalid):
        field, value = breakages[index % len(breakages)]
        feed.insert(rng.randrange(len(feed)), dict(feed[rng.randrange(rows)], **{field: value}))
    return feed


def changed(feed: list) -> list:
    return [dict(row, price_ttc="99.90") if index % 10 == 0 else row
            for index, row in enumerate(feed)]


def timed(db, label: str, feed: list) -> dict:
    start = time.perf_counter()
    with db.transaction() as session:
        report = imports.import_articles(session, feed)
    seconds = time.perf_counter() - start
    print(f"  {label:<26} {len(feed):>7} rows {seconds:>8.2f} s {len(feed) / seconds:>9.0f} rows/s"
          f"   created {report['created']}, updated {report['updated']}, unchanged "
          f"{report['unchanged']}, rejected {len(report['rejected'])}")
    return report


def run(name: str, url: str, feed: list):
    with fresh_database(name, url, "librisoft_bridge", Base.metadata) as db:
        timed(db, "first import", feed)
        timed(db, "re-import, unchanged", feed)
        timed(db, "re-import, 10 % changed", changed(feed))


def main(argv=None) -> int:
    parser = sqlite_and_postgres_parser(__doc__)
    parser.add_argument("--rows", type=int, default=50_000, help="valid articles (50000)")
    parser.add_argument("--invalid", type=int, default=500, help="bad rows mixed in (500)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    feed = make_feed(args.rows, args.invalid)
    print(f"feed: {len(feed)} rows generated in {time.perf_counter() - start:.1f} s")
    on_sqlite_and_postgres(run, args.pg, feed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
