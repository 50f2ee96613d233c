"""The reading-list migration on PostgreSQL, with old rows (tests/unit/grouped_orders/
test_reading_list_migration.py on SQLite): upgrade, the figures unchanged, downgrade."""
import os

from tests.support.suite import require_infrastructure, throwaway_database
from tests.unit.grouped_orders.test_reading_list_migration import check_upgrade_keeps_the_figures


def test_the_migration_keeps_every_single_title_figure_on_postgresql():
    require_infrastructure()
    with throwaway_database(f"rl_migration_{os.getpid()}") as url:
        check_upgrade_keeps_the_figures(url)
