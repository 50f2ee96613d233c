import hashlib

import pytest
from sqlalchemy import select

from services.common.errors import DomainError
from services.librisoft_bridge import cli, keys
from services.librisoft_bridge.demo import demo_articles
from services.librisoft_bridge.domain import articles
from services.librisoft_bridge.models import Base, api_keys


def test_keys_are_stored_hashed(db):
    key = keys.create_key(db, "LIB54")
    with db.transaction() as session:
        (stored,) = session.execute(select(api_keys)).mappings().all()
    assert stored["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in stored.values()
    assert keys.authenticate(db, key) == "LIB54"
    assert keys.authenticate(db, "") is None
    with pytest.raises(DomainError):
        keys.create_key(db, " ")


def test_cli_creates_lists_and_revokes(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LIBRISOFT_BRIDGE_DATABASE_URL", url)
    from services.common.db import Database
    db = Database("librisoft_bridge", Base.metadata, url=url)
    Base.metadata.create_all(db.engine)

    assert cli.main(["create-api-key", "LIB54"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("lsb_") and keys.authenticate(db, key) == "LIB54"
    assert cli.main(["list-api-keys"]) == 0
    assert "LIB54" in capsys.readouterr().out
    assert cli.main(["revoke-api-key", "1"]) == 0
    assert keys.authenticate(db, key) is None
    assert cli.main(["revoke-api-key", "1"]) == 1
    db.dispose()


def test_demo_articles_are_valid_varied_and_deterministic():
    rows = demo_articles(300)
    assert rows == demo_articles(300)
    assert len({row["ean"] for row in rows}) == 300
    assert [row["ean"] for row in rows[:3]] == ["9782362210419", "9791097284657", "9782330150136"]
    assert all(articles.clean_article(row)[1] == {} for row in rows)
    rates = {row["vat_rate"] for row in rows}
    assert rates == {"2.1", "5.5", "20"}
    assert any(row.get("school_book") for row in rows)
    assert any(set(row["title"]) & set("ÉÈÀÎÔÇË") for row in rows[3:])
