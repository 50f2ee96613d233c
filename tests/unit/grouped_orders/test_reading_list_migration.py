"""The reading-list migration (e10a7b3c5d21) on a database holding grouped orders of one article
(the references' n°62 and n°65): after the upgrade each is a list of that one title, each
sub-order one line, and every figure is the same to the cent; the views and the rules work on
them; a downgrade gives the old shape back."""
from datetime import datetime, timezone
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from services.common.migrations import alembic_config
from services.grouped_orders.use_cases import bookshop

BEFORE = "c3d4e5f6a7b8"
NOW = datetime(2022, 4, 5, 8, 0, tzinfo=timezone.utc)
WESTERN = {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "author": "LE GUEN/XENARD",
           "publisher": "ORSO", "price_ttc": "14.90", "vat_rate": "5.5"}
LIVRE = {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, "
         "PAS LIRE !", "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION",
         "price_ttc": "6.40", "vat_rate": "5.5"}
# reference 000: n°62 (Leto 2 paid, Diaz 1 cancelled, Rourke 3 paid) and n°65 (Grandville 1,
# Benhattia 1 paid, Guidoni 2 awaiting payment)
OLD = {62: (WESTERN, "14.90", [(147, "Leto", 2, "paid"), (148, "Diaz", 1, "cancelled"),
                               (149, "Rourke", 3, "paid")]),
       65: (LIVRE, "6.40", [(153, "Grandville", 1, "paid"), (154, "Benhattia", 1, "paid"),
                            (155, "Guidoni", 2, "awaiting_payment")])}


def old_rows(connection):
    """Grouped orders and sub-orders as the previous revision stored them."""
    meta = sa.MetaData()
    meta.reflect(connection, only=("grouped_orders", "sub_orders"))
    go_t, sub_t = meta.tables["grouped_orders"], meta.tables["sub_orders"]
    for number, (article, price, subs) in OLD.items():
        connection.execute(go_t.insert().values(
            number=number, token=f"token-{number}", status="open", initiator_id=7,
            initiator_email="approbateur@victorprouve.org", client_number="21",
            client_name="COLLEGE VICTOR PROUVE", contact_email="", contact_phone="",
            article=article, unit_price=Decimal(price), deadline=datetime(2022, 4, 6).date(),
            closes_at=datetime(2022, 4, 6, 22, tzinfo=timezone.utc), pickup_kind="collectivity",
            pickup_label="COLLEGE Victor prouve", billing_label="", comment="",
            created_at=NOW, cancel_reason=""))
        for sub_number, name, quantity, status in subs:
            connection.execute(sub_t.insert().values(
                number=sub_number, grouped_order_number=number, buyer_token=f"b-{sub_number}",
                first_name="X", last_name=name, email=f"{name.lower()}@free.fr",
                quantity=quantity, unit_price=Decimal(price), status=status, created_at=NOW,
                paid_manually=False, cancel_reason=""))


def check_upgrade_keeps_the_figures(url):
    config = alembic_config("grouped_orders", url)
    command.upgrade(config, BEFORE)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            old_rows(connection)
        command.upgrade(config, "head")
        with Session(engine) as session:
            n62 = bookshop.get(session, 62, NOW, "http://x")
            n65 = bookshop.get(session, 65, NOW, "http://x")
        assert n62["summary"] == {
            "articles": {"cancelled": 1, "awaiting_payment": 0, "paid": 5},
            "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
            "total_awaiting": "0.00", "total_paid": "74.50",
            # issue 10 K5: nobody pays at pickup in these; what is ordered is what is paid
            "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
            "ordered_articles": 5, "total_ordered": "74.50"}
        assert [(s["last_name"], s["quantity"], s["unit_price"], s["total"])
                for s in n62["sub_orders"]] == [("Leto", 2, "14.90", "29.80"),
                                                ("Diaz", 1, "14.90", "14.90"),
                                                ("Rourke", 3, "14.90", "44.70")]
        assert (n65["summary"]["total_paid"], n65["summary"]["total_awaiting"]) == \
            ("12.80", "12.80")
        for view, article in ((n62, WESTERN), (n65, LIVRE)):
            (title,) = view["titles"]
            assert (title["ean"], title["title"], title["price_ttc"], title["required"]) == \
                (article["ean"], article["title"], article["price_ttc"], True)
            assert view["article"] == article and [len(s["lines"]) for s in view["sub_orders"]] \
                == [1, 1, 1]
            (by_title,) = view["by_title"]
            assert by_title["copies"] == {k: v for k, v in view["summary"]["articles"].items()}
            assert by_title["total_paid"] == view["summary"]["total_paid"]
        command.downgrade(config, BEFORE)
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT number, quantity, unit_price FROM sub_orders ORDER BY number")).all()
        assert [(n, q, Decimal(str(p)).quantize(Decimal("0.01"))) for n, q, p in rows][:3] == [
            (147, 2, Decimal("14.90")), (148, 1, Decimal("14.90")), (149, 3, Decimal("14.90"))]
    finally:
        engine.dispose()


def test_the_migration_keeps_every_single_title_figure(tmp_path):
    check_upgrade_keeps_the_figures(f"sqlite:///{tmp_path / 'grouped_orders.db'}")
