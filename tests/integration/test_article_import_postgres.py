"""The article import's PostgreSQL path (COPY into a temporary table, then one merge) gives
exactly the reports and rows of the batched path: every article import test of the unit tier
runs again here on a throwaway PostgreSQL database."""
import os

import pytest

from services.librisoft_bridge.models import Base
from services.librisoft_bridge.use_cases import imports
from tests.support.suite import throwaway_db
from tests.unit.librisoft_bridge.conftest import article, run  # noqa: F401  (fixture)
from tests.unit.librisoft_bridge.test_bridge_import_articles import *  # noqa: F401,F403
from tests.unit.librisoft_bridge.test_bridge_import_articles import count, stored


@pytest.fixture
def db():
    with throwaway_db(f"lsbt_import_{os.getpid()}", "librisoft_bridge", Base.metadata) as database:
        assert database.is_postgres
        yield database


def test_text_with_tabs_backslashes_and_newlines_survives_the_copy(db, article):
    article.update(summary="Ligne 1\\nC:\\\\dossier\ttab « guillemets » \\N fin",
                   author="O'Brien \\ Backslash")
    report = run(db, imports.import_articles, [article])
    assert report["created"] == 1
    row = stored(db, article["ean"])
    assert row["author"] == "O'Brien \\ Backslash"
    assert row["summary"] == " ".join(article["summary"].split())
    assert run(db, imports.import_articles, [article])["unchanged"] == 1
    assert count(db) == 1


def test_a_nul_byte_rejects_the_row_not_the_feed(db, article):
    bad = dict(article, ean="9782330150136", title="CEMETERY\x00ROAD")
    report = run(db, imports.import_articles, [article, bad])
    assert report["created"] == 1 and report["rejected"][0]["key"] == "9782330150136"
    assert "nul" in report["rejected"][0]["errors"]["title"][0]


def test_under_a_green_wait_callback_the_batched_path_is_taken(db, article, monkeypatch):
    import psycopg2.extensions
    monkeypatch.setattr(psycopg2.extensions, "get_wait_callback", lambda: object())
    with db.transaction() as session:
        assert not imports._can_copy(session)
    assert run(db, imports.import_articles, [article])["created"] == 1
