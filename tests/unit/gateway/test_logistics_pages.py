"""The « Logisticien » page (issue 9, reference 003 step 3): the ready orders with their check
boxes, « Toutes les commandes prêtes », the action and « Exécuter »; the batches, their files
and delivery state; a refusal is a French 4xx page; ADMIN only."""
from services.common.errors import conflict, invalid
from tests.unit.gateway.conftest import sign_in

CANDIDATE = {"kind": "grouped_order", "number": 62, "key": "grouped_order:62",
             "name": "Commande groupée n° 62", "kind_label": "Commande groupée",
             "status": "ready", "status_label": "Commande prête", "customer": "ECOLE JULES FERRY",
             "destination": "Librairie des Collectivités\n12 rue Saint-Dizier\n54000 NANCY",
             "ready_at": "2027-01-15T08:00:00+00:00", "batch_number": None, "candidate": True,
             "lines": [{"ean": "9791097284657", "title": "Western", "quantity": 24}],
             "quantity": 24}


def batch(number=3, delivery=None):
    return {"number": number, "created_at": "2027-01-15T09:00:00+00:00",
            "created_by": "admin@librairie.test", "order_count": 1, "line_count": 1,
            "quantity_total": 24, "orders": [{"kind": "grouped_order", "number": 61,
                                              "name": "Commande groupée n° 61",
                                              "customer": "ECOLE", "destination": "x",
                                              "lines": [{"ean": "1", "title": "Western",
                                                         "quantity": 24}]}],
            "files": {"csv": "lot-logisticien-000003.csv", "json": "lot-logisticien-000003.json"},
            "delivery": delivery or {"state": "acknowledged", "state_label": "Reçu",
                                     "attempts": 3, "sent_at": "2027-01-15T09:00:07+00:00",
                                     "first_sent_at": "2027-01-15T09:00:00+00:00",
                                     "acknowledged_at": "2027-01-15T09:00:07+00:00",
                                     "last_status": 200, "last_error": None,
                                     "next_attempt_at": None, "url": "http://l.test"}}


def answers(rpc, candidates=(CANDIDATE,), batches=None):
    rpc.answers[("logistics", "list_candidates")] = {"candidates": list(candidates),
                                                     "waiting": []}
    rpc.answers[("logistics", "list_batches")] = [batch()] if batches is None else batches


def test_the_page_lists_ready_orders_and_batches(client, rpc):
    answers(rpc, batches=[batch(4, {"state": "retrying", "state_label": "x", "attempts": 2,
                                    "sent_at": "2027-01-15T09:00:01+00:00",
                                    "first_sent_at": "2027-01-15T09:00:00+00:00",
                                    "acknowledged_at": None, "last_status": 503,
                                    "last_error": "HTTP 503 : indisponible",
                                    "next_attempt_at": "2027-01-15T09:00:05+00:00",
                                    "url": "http://l.test"}), batch()])
    sign_in(client, "admin")
    page = client.get("/admin/logisticien")
    assert page.status_code == 200
    text = page.text
    assert 'name="commandes" value="grouped_order:62"' in text
    assert "Toutes les commandes prêtes (1)" in text
    assert 'type="radio" id="action-logisticien" name="action" value="logisticien" checked> ' \
        "Mettre les commandes à disposition du logisticien</label>" in text
    assert ">Exécuter</button>" in text
    assert "24 × Western" in text and "ECOLE JULES FERRY" in text
    assert "Lot n° 3" in text and "/admin/logisticien/lots/3.csv" in text
    assert "/admin/logisticien/lots/3.json" in text
    assert "envoyé le 15 janvier 2027 à 10:00:00, accusé de réception le 15 janvier 2027 à " \
        "10:00:07" in text
    assert "dernier essai le 15 janvier 2027 à 10:00:01 (2 essai(s)) : HTTP 503 : " \
        "indisponible — nouvel essai le 15 janvier 2027 à 10:00:05" in text
    assert 'href="/admin/logisticien"' in text  # in the admin menu


def test_executing_makes_a_batch_and_says_so(client, rpc):
    answers(rpc)
    rpc.answers[("logistics", "hand_off")] = dict(batch(5), order_count=1)
    sign_in(client, "admin")
    done = client.post("/admin/logisticien", data={
        "commandes": ["grouped_order:62"], "action": "logisticien", "idempotency_key": "tok"})
    assert done.status_code == 303 and done.headers["Location"].endswith("/admin/logisticien#lot-5")
    ((actor, keys, take_all),) = rpc.called("logistics", "hand_off")
    assert (actor, keys, take_all) == ("admin@librairie.test", ["grouped_order:62"], False)
    with client.session_transaction() as session:
        assert ("success", "Lot n° 5 créé : 1 commande(s) mise(s) à disposition du "
                           "logisticien.") in session["_flashes"]
    client.post("/admin/logisticien", data={"toutes": "1", "action": "logisticien"})
    assert rpc.called("logistics", "hand_off")[1] == ("admin@librairie.test", [], True)


def test_a_refusal_is_a_french_4xx_page(client, rpc):
    answers(rpc)
    sign_in(client, "admin")
    rpc.answers[("logistics", "hand_off")] = conflict(
        "La commande groupée n° 62 a déjà été mise à disposition du logisticien (lot n° 3) : une "
        "commande n'est remise qu'une fois. Rien n'a été changé.")
    again = client.post("/admin/logisticien", data={"commandes": ["grouped_order:62"],
                                                    "action": "logisticien"})
    assert again.status_code == 409
    assert "a déjà été mise à disposition du logisticien (lot n° 3)" in again.text
    assert 'value="grouped_order:62" checked' in again.text  # the choice is kept
    rpc.answers[("logistics", "hand_off")] = invalid(
        "Cochez au moins une commande, ou « Toutes les commandes prêtes ».",
        {"commandes": ["Aucune commande choisie."]})
    empty = client.post("/admin/logisticien", data={"action": "logisticien"})
    assert empty.status_code == 400 and "Aucune commande choisie." in empty.text
    no_action = client.post("/admin/logisticien", data={"commandes": ["grouped_order:62"]})
    assert no_action.status_code == 400 and "Choisissez une action" in no_action.text
    assert len(rpc.called("logistics", "hand_off")) == 2


def test_the_files_are_downloaded(client, rpc):
    rpc.answers[("logistics", "batch_file")] = lambda number, fmt: {
        "filename": f"lot-logisticien-{number:06d}.{fmt}",
        "content_type": "text/csv; charset=utf-8", "content": "\ufefflot;type\r\n3;x\r\n"}
    sign_in(client, "admin")
    r = client.get("/admin/logisticien/lots/3.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="lot-logisticien-000003.csv"' in r.headers["Content-Disposition"]
    assert r.data.decode("utf-8-sig") == "lot;type\r\n3;x\r\n"
    assert client.get("/admin/logisticien/lots/3.xml").status_code == 404


def test_only_the_admin_hands_off(client, rpc):
    sign_in(client, "collectivite")
    assert client.get("/admin/logisticien").status_code == 403
    assert client.post("/admin/logisticien", data={"toutes": "1",
                                                   "action": "logisticien"}).status_code == 403
    assert client.get("/admin/logisticien/lots/3.csv").status_code == 403
    assert rpc.calls == [c for c in rpc.calls if c[0] != "logistics"]
