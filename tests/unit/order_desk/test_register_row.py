"""The register row's upsert, one statement (use_cases/register_row), gives on SQLite the row
its rules give in plain Python (domain.register.merge), whatever the order of the events and
however often each comes (tests/integration/test_order_desk_postgres.py: the same on
PostgreSQL)."""
from services.order_desk.domain import register
from services.order_desk.models import Base
from tests.support.fakes import database_fixture
from tests.support.register_rules import expected, play, sequences

db = database_fixture("order_desk", Base)


def test_the_statement_follows_the_rules_in_any_order(db):
    cases = sequences(40)
    for number, names in enumerate(cases, start=1):
        assert (names, play(db, number, names)) == (names, expected(names))


def test_the_rules_themselves():
    row = expected(["processing", "placed"])  # the payment first: placed leaves it
    assert (row["payment_state"], row["payment_method"], row["search_key"]) == (
        "processing", "online", "elodie moenne elodie@free.fr college")
    row = expected(["placed", "succeeded_cheque", "refused_older", "placed_pickup_later"])
    assert (row["payment_state"], row["cheque_number"], row["customer_name"],
            row["placed_at"]) == ("succeeded", "0001234", "Ada Lovelace",
                                  register.parse_instant("2021-01-18T10:00:00+00:00"))
    assert expected(["placed", "invoiced"])["customer_name"] == "Élodie MOËNNE"  # kept
    assert expected(["invoiced"])["customer_name"] == "Facturé"


def test_an_invoice_credited_entirely_then_invoiced_again():
    """The later invoice number wins whatever the order of the events: invoiced, credited
    entirely (« annulée par avoir »), invoiced again (a live invoice once more)."""
    for names in (["invoiced", "credited"], ["credited", "invoiced"]):
        row = expected(names)
        assert register.fully_credited(row["invoice_number"], row["credited_invoice"]), names
    for names in (["invoiced", "credited", "invoiced_again"],
                  ["invoiced_again", "credited", "invoiced"],
                  ["credited", "invoiced_again", "invoiced"]):
        row = expected(names)
        assert row["invoice_number"] == "2021-02-000000003", names
        assert not register.fully_credited(row["invoice_number"], row["credited_invoice"])
    assert not register.fully_credited("2021-01-000000001", None)
    assert not register.fully_credited(None, None)
