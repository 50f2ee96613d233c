import pytest
from sqlalchemy import func, select

from services.librisoft_bridge.adapters.feeds import parse
from services.librisoft_bridge.demo import demo_clients
from services.librisoft_bridge.models import clients
from services.librisoft_bridge.use_cases import imports
from tests.unit.librisoft_bridge.conftest import run


class Recorder:
    """Stands for the service's outbox: keeps the payloads it is given."""

    def __init__(self):
        self.payloads = []

    def __call__(self, session, payload):
        assert session is not None
        self.payloads.append(payload)


def stored(db, number):
    with db.transaction() as session:
        return session.execute(select(clients).where(clients.c.number == number)).mappings().one()


def test_demo_clients_only_collectivities_are_kept(db):
    events = Recorder()
    report = run(db, imports.import_clients, demo_clients(), events)
    assert report == {"received": 4, "created": 3, "updated": 0, "unchanged": 0,
                      "deactivated": 0, "skipped": 1, "rejected": []}
    assert sorted(e["number"] for e in events.payloads) == ["16", "21", "8010000696914"]
    assert stored(db, "8010000696914")["gencod"] == "3056021010006"
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(clients)) == 3


def test_reimport_is_unchanged_and_records_no_event(db):
    run(db, imports.import_clients, demo_clients(), Recorder())
    events = Recorder()
    report = run(db, imports.import_clients, demo_clients(), events)
    assert (report["unchanged"], report["skipped"], events.payloads) == (3, 1, [])


def test_change_bumps_revision_and_records_the_full_state(db, client_row):
    run(db, imports.import_clients, [client_row], Recorder())
    events = Recorder()
    client_row["discount_school"] = "5"
    report = run(db, imports.import_clients, [client_row], events)
    assert report["updated"] == 1
    assert stored(db, "16")["revision"] == 2
    (payload,) = events.payloads
    assert payload["revision"] == 2 and payload["active"] is True
    assert str(payload["discounts"]["school"]) == "5.00"
    assert payload["addresses"][0]["city"] == "NANCY"


def test_a_client_losing_the_flag_is_deactivated_not_deleted(db, client_row):
    run(db, imports.import_clients, [client_row], Recorder())
    events = Recorder()
    report = run(db, imports.import_clients, [dict(client_row, collectivity="non")], events)
    assert (report["deactivated"], report["updated"]) == (1, 0)
    row = stored(db, "16")
    assert (row["active"], row["revision"], row["name"]) == (False, 2, "ECOLE JULES FERRY")
    assert [(e["active"], e["revision"]) for e in events.payloads] == [(False, 2)]
    again = run(db, imports.import_clients, [dict(client_row, collectivity=False)], events)
    assert (again["unchanged"], len(events.payloads)) == (1, 1)
    back = run(db, imports.import_clients, [client_row], events)
    assert back["updated"] == 1
    assert (stored(db, "16")["active"], stored(db, "16")["revision"]) == (True, 3)
    assert events.payloads[-1]["active"] is True


def test_lang_law_flag_is_stored_and_sent(db, client_row):
    events = Recorder()
    run(db, imports.import_clients, [dict(client_row, discount_5_5="12")], events)
    assert stored(db, "16")["lang_law_warning"] is True
    assert events.payloads[0]["lang_law_warning"] is True


def test_bad_client_row_is_reported_others_kept(db, client_row):
    bad = dict(client_row, number="17", email="pas une adresse", discount_5_5="120")
    report = run(db, imports.import_clients, [bad, dict(client_row, number="18")], Recorder())
    assert report["created"] == 1
    assert report["rejected"] == [{"line": 1, "key": "17", "errors": {
        "email": ["adresse e-mail invalide : « pas une adresse »."],
        "discount_5_5": ["pourcentage entre 0 et 100 attendu, reçu 120."]}}]


def test_event_recording_failure_rolls_the_upsert_back(db, client_row):
    def broken(session, payload):
        raise RuntimeError("outbox unavailable")

    with pytest.raises(RuntimeError):
        run(db, imports.import_clients, [client_row], broken)
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(clients)) == 0


def test_duplicate_number_last_one_wins(db, client_row):
    events = Recorder()
    report = run(db, imports.import_clients, [dict(client_row, name="ANCIEN NOM"), client_row],
                 events)
    assert (report["created"], len(report["rejected"])) == (1, 1)
    assert stored(db, "16")["name"] == "ECOLE JULES FERRY"
    assert len(events.payloads) == 1


def test_csv_client_feed(db):
    rows = parse(b"number;name;collectivity;address_line1;postal_code;city;discount_5_5\n"
                 b"16;ECOLE JULES FERRY;oui;12 rue de Vic;54000;NANCY;9,00\n"
                 b"4711;DUPONT MARIE;non;8 rue Saint-Dizier;54000;NANCY;\n",
                 "text/csv", None, "clients")
    report = run(db, imports.import_clients, rows, Recorder())
    assert (report["created"], report["skipped"], report["rejected"]) == (1, 1, [])
    row = stored(db, "16")
    assert row["addresses"][0]["line1"] == "12 rue de Vic"
    assert str(row["discount_5_5"]) == "9.00"
