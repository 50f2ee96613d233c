from decimal import Decimal

from sqlalchemy import func, select

from services.librisoft_bridge.adapters.feeds import parse
from services.librisoft_bridge.demo import demo_articles
from services.librisoft_bridge.models import articles
from services.librisoft_bridge.use_cases import imports
from tests.unit.librisoft_bridge.conftest import run


def count(db):
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(articles))


def stored(db, ean):
    with db.transaction() as session:
        return session.execute(select(articles).where(articles.c.ean == ean)).mappings().one()


def test_first_import_creates_then_reimport_changes_nothing(db):
    rows = demo_articles(120)
    assert run(db, imports.import_articles, rows) == {
        "received": 120, "created": 120, "updated": 0, "unchanged": 0, "rejected": []}
    before = stored(db, "9782330150136")
    assert run(db, imports.import_articles, rows) == {
        "received": 120, "created": 0, "updated": 0, "unchanged": 120, "rejected": []}
    assert stored(db, "9782330150136")["updated_at"] == before["updated_at"]
    assert count(db) == 120


def test_a_changed_article_is_updated_and_keeps_its_creation_date(db, article):
    run(db, imports.import_articles, [article])
    first = stored(db, article["ean"])
    article.update(price_ttc="6,90", availability="épuisé")
    report = run(db, imports.import_articles, [article])
    assert (report["updated"], report["unchanged"]) == (1, 0)
    row = stored(db, article["ean"])
    assert row["price_ttc"] == Decimal("6.90")
    assert row["availability"] == "epuise"
    assert row["created_at"] == first["created_at"]
    assert row["updated_at"] >= first["updated_at"]


def test_one_bad_row_does_not_reject_the_good_ones(db, article):
    good = dict(article, ean="9791097284657", title="WESTERN COQUILLETTES")
    bad = dict(article, ean="9782362210418", vat_rate="7")
    report = run(db, imports.import_articles, [article, bad, good, "oops"])
    assert (report["received"], report["created"]) == (4, 2)
    assert report["rejected"][0]["line"] == 2
    assert report["rejected"][0]["key"] == "9782362210418"
    assert set(report["rejected"][0]["errors"]) == {"ean", "vat_rate"}
    assert report["rejected"][1] == {"line": 4, "key": None, "errors": {
        "_row": ["ligne illisible : un objet (champ -> valeur) est attendu."]}}
    assert count(db) == 2


def test_duplicate_ean_in_one_feed_last_one_wins(db, article):
    report = run(db, imports.import_articles, [dict(article, price_ttc="1.00"), article])
    assert report["created"] == 1
    assert report["rejected"] == [{"line": 1, "key": article["ean"], "errors": {
        "ean": ["en double dans le flux : remplacé par la ligne 2."]}}]
    assert stored(db, article["ean"])["price_ttc"] == Decimal("6.40")


def test_csv_feed_with_a_misaligned_line(db):
    rows = parse(b"ean;title;price_ttc;vat_rate;school_book\n"
                 b"9782362210419;LE LIVRE;6,40;5,5;non\n"
                 b"9791097284657;WESTERN;14;90;5,5;non\n"
                 b"9782330150136;CEMETERY ROAD;25,00;5.5;oui\n",
                 "text/csv", None, "articles")
    report = run(db, imports.import_articles, rows)
    assert (report["created"], [r["line"] for r in report["rejected"]]) == (2, [3])
    assert "_row" in report["rejected"][0]["errors"]
    assert stored(db, "9782330150136")["school_book"] is True


def test_import_in_several_batches(db, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 7)
    rows = demo_articles(50)
    assert run(db, imports.import_articles, rows)["created"] == 50
    rows[20]["price_ttc"] = "99.00"
    report = run(db, imports.import_articles, rows)
    assert (report["updated"], report["unchanged"]) == (1, 49)
