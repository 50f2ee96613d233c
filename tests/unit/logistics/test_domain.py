"""logistics' rules (reference 003, step 3): candidates, the batch's choice and rows, the file
formats, the signature and the retry schedule."""
import csv
import io
import json
from datetime import timedelta

import pytest

from services.common.errors import DomainError
from services.logistics.domain import batches, delivery, files
from services.logistics.domain import orders as rules
from services.logistics.domain.orders import Line, Order

GO = Order("grouped_order", 62, rules.READY, "ECOLE JULES FERRY",
           "Librairie des Collectivités\n12 rue Saint-Dizier\n54000 NANCY",
           (Line("9791097284657", "Western", 24),))
CO = Order("collectivity_order", 7, rules.READY, "COLLEGE VICTOR PROUVE",
           "Collège Victor Prouvé\n2 rue de la Paix\n54000 NANCY",
           (Line("9782330150136", "Le cimetière", 3), Line("9782070612758", "=HYPERLINK(1)", 1)))


def test_states_move_with_the_signals_and_a_hand_off_is_for_good():
    assert rules.next_state(None, rules.INFO) == rules.KNOWN
    assert rules.next_state(None, rules.SIGNAL_READY) == rules.READY
    assert rules.next_state(rules.KNOWN, rules.SIGNAL_READY) == rules.READY
    assert rules.next_state(rules.READY, rules.INFO) == rules.READY
    assert rules.next_state(rules.READY, rules.NOT_READY) == rules.KNOWN
    assert rules.next_state(rules.READY, rules.WITHDRAW) == rules.WITHDRAWN
    assert rules.next_state(rules.WITHDRAWN, rules.NOT_READY) == rules.WITHDRAWN
    for signal in (rules.INFO, rules.SIGNAL_READY, rules.NOT_READY, rules.WITHDRAW):
        assert rules.next_state(rules.HANDED_OFF, signal) == rules.HANDED_OFF


def test_the_owners_words_map_onto_the_signals():
    assert rules.COLLECTIVITY_ACTIONS["made_available"] == rules.SIGNAL_READY
    assert rules.COLLECTIVITY_ACTIONS["cancelled"] == rules.WITHDRAW
    assert rules.PROGRESS_SIGNALS["ready"] == rules.SIGNAL_READY
    assert rules.PROGRESS_SIGNALS["cancelled"] == rules.WITHDRAW
    from services.common.progress import PROGRESS_CODES
    assert set(rules.PROGRESS_SIGNALS) == set(PROGRESS_CODES)


def test_a_candidate_is_ready_with_its_lines():
    assert GO.is_candidate
    assert not Order("sub_order", 3, rules.READY).is_candidate  # lines not heard of yet
    assert not Order("sub_order", 3, rules.KNOWN, lines=GO.lines).is_candidate


def test_keys_are_parsed_or_refused_in_french():
    assert rules.parse_key("grouped_order:62") == ("grouped_order", 62)
    assert rules.format_key("quote", 5) == "quote:5"
    for bad in ("", "grouped_order", "truc:3", "grouped_order:-1", "grouped_order:1e3", None):
        with pytest.raises(DomainError) as exc:
            rules.parse_key(bad)
        assert exc.value.code == "invalid" and "Commande inconnue" in exc.value.message


def test_choosing_takes_the_ready_orders_or_refuses_the_whole_request():
    known = {GO.key: GO, CO.key: CO}
    assert batches.choose(known, [CO.key, GO.key, CO.key], False) == [CO, GO]
    assert batches.choose(known, [], True) == [GO, CO]
    handed = Order("grouped_order", 61, rules.HANDED_OFF, lines=GO.lines, batch_number=4)
    not_ready = Order("collectivity_order", 8, rules.KNOWN, lines=GO.lines)
    no_lines = Order("sub_order", 9, rules.READY)
    known.update({handed.key: handed, not_ready.key: not_ready, no_lines.key: no_lines})
    cases = [([GO.key, handed.key], "conflict", "La commande groupée n° 61 a déjà été mise à "
              "disposition du logisticien (lot n° 4)"),
             ([not_ready.key], "conflict", "n'est pas « Commande prête »"),
             ([no_lines.key], "conflict", "lignes ne sont pas encore connues"),
             ([("quote", 1)], "invalid", "inconnue"),
             ([], "invalid", "Cochez au moins une commande")]
    for keys, code, words in cases:
        with pytest.raises(DomainError) as exc:
            batches.choose(known, keys, False)
        assert exc.value.code == code and words in exc.value.message, exc.value.message
        assert code == "invalid" or "Rien n'a été changé" in exc.value.message
    with pytest.raises(DomainError) as exc:  # « Devis » is masculine: no « Devis n° 1 inconnue »
        batches.choose(known, [("quote", 1)], False)
    assert exc.value.details["commandes"] == ["Devis n° 1 : commande inconnue."]
    with pytest.raises(DomainError) as exc:
        batches.choose({handed.key: handed}, [], True)
    assert exc.value.code == "conflict" and "Aucune commande prête" in exc.value.message
    too_many = [("sub_order", i) for i in range(rules.MAX_SELECTION + 1)]
    with pytest.raises(DomainError):
        batches.choose({}, too_many, False)


def test_a_batch_has_one_row_per_line():
    rows = batches.rows(12, [GO, CO])
    assert [(r.batch_number, r.reference, r.ean, r.quantity) for r in rows] == [
        (12, "Commande groupée n° 62", "9791097284657", 24),
        (12, "Commande collectivité n° 7", "9782330150136", 3),
        (12, "Commande collectivité n° 7", "9782070612758", 1)]
    assert batches.summary([GO, CO]) == {"orders": 2, "lines": 3, "quantity": 28}


def test_the_csv_file_format():
    data = files.to_csv(batches.rows(12, [GO, CO]))
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with its byte order mark
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0] == list(files.CSV_COLUMNS) == [
        "lot", "type", "commande", "reference", "client", "adresse_livraison_ou_retrait", "ean",
        "titre", "quantite"]
    assert lines[1] == ["12", "grouped_order", "62", "Commande groupée n° 62", "ECOLE JULES FERRY",
                        "Librairie des Collectivités, 12 rue Saint-Dizier, 54000 NANCY",
                        "9791097284657", "Western", "24"]
    assert lines[3][7] == "'=HYPERLINK(1)"  # a formula is never run by a spreadsheet
    assert len(lines) == 4


def test_the_json_file_format():
    rows = batches.rows(12, [GO, CO])
    document = files.to_document(12, "2027-01-15T08:00:00+00:00", "admin@librairie.test", rows)
    back = json.loads(files.to_json(document).decode("utf-8"))
    assert back["format"] == "librairie-logistique/1" and back["batch_number"] == 12
    assert (back["order_count"], back["line_count"], back["quantity_total"]) == (2, 3, 28)
    first = back["orders"][0]
    assert first["kind"] == "grouped_order" and first["number"] == 62
    assert first["destination"]["lines"] == ["Librairie des Collectivités",
                                             "12 rue Saint-Dizier", "54000 NANCY"]
    assert back["orders"][1]["lines"] == [
        {"ean": "9782330150136", "title": "Le cimetière", "quantity": 3},
        {"ean": "9782070612758", "title": "=HYPERLINK(1)", "quantity": 1}]
    assert "é" in files.to_json(document).decode("utf-8")  # UTF-8, not \u escapes
    assert files.filename(12, "csv") == "lot-logisticien-000012.csv"


def test_the_signature_covers_the_timestamp_and_the_body():
    body = b'{"batch_number": 1}'
    headers = delivery.headers("s3cret", 1_800_000_000, body, 1)
    sig = headers["X-Logistique-Signature"]
    assert sig.startswith("sha256=") and len(sig) == 7 + 64
    assert headers["X-Logistique-Horodatage"] == "1800000000"
    assert headers["X-Logistique-Lot"] == "1"
    import hashlib
    import hmac
    assert sig[7:] == hmac.new(b"s3cret", b"1800000000." + body, hashlib.sha256).hexdigest()
    assert delivery.verify("s3cret", "1800000000", sig, body, 1_800_000_100)
    assert not delivery.verify("other", "1800000000", sig, body, 1_800_000_100)
    assert not delivery.verify("s3cret", "1800000000", sig, body + b" ", 1_800_000_100)
    assert not delivery.verify("s3cret", "1800000001", sig, body, 1_800_000_100)
    assert not delivery.verify("s3cret", "1800000000", sig, body, 1_800_000_000 + 301)
    assert not delivery.verify("s3cret", "abc", sig, body, 1_800_000_000)


def test_the_retry_schedule_grows_then_stays_at_ten_minutes():
    assert [delivery.retry_delay(n).total_seconds() for n in range(1, 7)] == [1, 2, 4, 8, 16, 32]
    assert delivery.retry_delay(30) == timedelta(minutes=10)
    assert delivery.LEASE > timedelta(seconds=10)  # longer than the HTTP timeout
    assert delivery.acknowledged(200) and delivery.acknowledged(204)
    assert not delivery.acknowledged(302) and not delivery.acknowledged(503)


def test_the_adapter_reports_an_unreachable_logistician_as_an_error_to_retry():
    import socket

    from services.logistics.adapters.logistician import Logistician
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = Logistician(f"http://127.0.0.1:{port}/lots", "s3cret", timeout=2)
    status, error = client.post(client.url, b"{}", 1)
    assert status is None and error.startswith("Pas de réponse du logisticien")
    assert client.configured and not Logistician(None).configured


def test_the_logistician_comes_from_the_environment(monkeypatch):
    from services.logistics.adapters.logistician import from_environment
    monkeypatch.delenv("LOGISTICIAN_URL", raising=False)
    assert not from_environment().configured
    monkeypatch.setenv("LOGISTICIAN_URL", "https://logisticien.example/lots")
    monkeypatch.setenv("LOGISTICIAN_SECRET", "s3cret")
    client = from_environment()
    assert (client.url, client.secret, client.timeout) == (
        "https://logisticien.example/lots", "s3cret", 10.0)
