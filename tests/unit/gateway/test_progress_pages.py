"""The progress block of the desk's order page (references 002 §2, 003 step 2) and its route:
the history (who, when, from → to, comment), the next states as a form, Annulée through a
confirmation with a reason, bad input a French 400 and a stale move a French 409, ADMIN only."""
import html

import pytest

from services.common.errors import DomainError, conflict, invalid
from tests.unit.gateway.conftest import sign_in
from tests.unit.gateway.test_desk_pages import ORDER

URL = "/admin/commandes/collectivity_order/7/progression"


def progress(status="processing", label="En cours de traitement", moves=None, pending=()):
    return {"kind": "collectivity_order", "kind_label": "Commande collectivité", "number": 7,
            "status": status, "label": label, "at": "2021-01-20T09:00:00+00:00",
            "history": [
                {"from_status": None, "from_label": "", "to_status": "registered",
                 "to_label": "Commande enregistrée", "by": "système",
                 "at": "2021-01-19T08:00:00+00:00", "comment": ""},
                {"from_status": "registered", "from_label": "Commande enregistrée",
                 "to_status": "processing", "to_label": "En cours de traitement",
                 "by": "admin@librairie.test", "at": "2021-01-20T09:00:00+00:00",
                 "comment": "Stock vérifié"}],
            "moves": [{"code": "ready", "label": "Commande prête", "owner": True,
                       "needs_reason": False},
                      {"code": "done", "label": "Terminé", "owner": True, "needs_reason": False},
                      {"code": "cancelled", "label": "Annulée", "owner": True,
                       "needs_reason": True},
                      {"code": "error", "label": "Erreur", "owner": False,
                       "needs_reason": False}] if moves is None else moves,
            "pending": list(pending)}


def answer(rpc, view=None):
    rpc.answers[("order_desk", "get_order")] = lambda kind, number: dict(
        ORDER, kind=kind, number=number, kind_label="Commande collectivité")
    rpc.answers[("order_desk", "progress_history")] = lambda kind, number: view or progress()


def test_the_order_page_shows_the_history_and_the_next_states(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    page = client.get("/admin/commandes/collectivity_order/7")
    assert page.status_code == 200
    text = page.text
    assert "Avancement : En cours de traitement" in text
    assert "Commande enregistrée → <strong>En cours de traitement</strong>" in text
    assert "admin@librairie.test" in text and "Stock vérifié" in text
    assert "20 janvier 2021 à 10:00" in text                     # Paris time
    assert text.index("Stock vérifié") < text.index("système")   # most recent first
    assert 'action="/admin/commandes/collectivity_order/7/progression"' in text
    assert 'name="current" value="processing"' in text
    for code in ("ready", "done", "cancelled", "error"):
        assert f'name="to" value="{code}"' in text
    assert "motif obligatoire, confirmation demandée" in text
    assert rpc.called("order_desk", "progress_history") == [("collectivity_order", 7)]


def test_a_final_state_offers_no_move(client, rpc):
    answer(rpc, progress("done", "Terminé", moves=[]))
    sign_in(client, "admin")
    text = client.get("/admin/commandes/collectivity_order/7").text
    assert "état définitif" in text and 'name="to"' not in text


def test_a_move_goes_to_order_desk_with_who_and_the_state_seen(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = lambda *args: progress("error", "Erreur")
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "error", "current": "processing",
                               "comment": "Paiement en double"})
    assert r.status_code == 302 and r.headers["Location"].endswith(
        "/admin/commandes/collectivity_order/7#avancement")
    assert rpc.called("order_desk", "move_progress") == [
        ("collectivity_order", 7, "error", "Paiement en double", "admin@librairie.test", 1,
         "processing")]
    page = client.get("/admin/commandes/collectivity_order/7")
    assert "Avancement : « Erreur »." in page.text and "prévenu" not in page.text


def test_a_comment_too_long_reaches_the_service_to_be_refused_not_cut(client, rpc):
    """1,001 characters were cut to 1,000 and stored: the service refuses them in French."""
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = lambda *args: progress("error", "Erreur")
    sign_in(client, "admin")
    client.post(URL, data={"to": "error", "current": "processing", "comment": "x" * 1001})
    assert len(rpc.called("order_desk", "move_progress")[0][3]) == 1001

    from services.order_desk.domain import progress as rules
    with pytest.raises(DomainError) as err:  # which says so
        rules.clean_comment("x" * 1001, "error")
    assert err.value.code == "invalid" and "1000 caractères au plus" in err.value.message


def test_an_owners_move_says_it_is_on_its_way(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = lambda *args: progress(pending=[{
        "to_status": "ready", "to_label": "Commande prête", "by": "admin@librairie.test",
        "asked_at": "2021-01-21T09:00:00+00:00"}])
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "ready", "current": "processing"}, follow_redirects=True)
    assert "passe à « Commande prête » dans un instant" in r.text


def test_cancelling_asks_a_reason_on_a_confirmation_page_first(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = lambda *args: progress(
        "cancelled", "Annulée", moves=[])
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "cancelled", "current": "processing", "comment": "Épuisé"})
    assert r.status_code == 200 and "Motif de l&#39;annulation" in r.text
    assert "Épuisé</textarea>" in r.text and 'name="confirmed" value="1"' in r.text
    assert rpc.called("order_desk", "move_progress") == []         # nothing yet
    r = client.post(URL, data={"to": "cancelled", "current": "processing", "confirmed": "1",
                               "reason": "Titre épuisé chez l'éditeur"})
    assert r.status_code == 302
    assert rpc.called("order_desk", "move_progress")[0][2:4] == (
        "cancelled", "Titre épuisé chez l'éditeur")


def test_a_cancellation_without_reason_is_a_400_on_its_confirmation_page(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = invalid(
        "Indiquez le motif de l'annulation.", {"comment": ["Le motif est obligatoire."]})
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "cancelled", "current": "processing", "confirmed": "1",
                               "reason": ""})
    assert r.status_code == 400 and "Indiquez le motif" in r.text
    assert 'id="reason-errors"' in r.text


def test_bad_input_is_a_french_400_on_the_order_page(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    for data in ({}, {"to": "fini"}, {"to": "x" * 500}):
        r = client.post(URL, data=data)
        assert r.status_code == 400 and "Choisissez le nouvel état" in r.text
        assert 'id="to-errors"' in r.text and "Avancement : En cours" in r.text
    assert rpc.called("order_desk", "move_progress") == []
    assert client.post("/admin/commandes/panier/7/progression",
                       data={"to": "done"}).status_code == 404


def test_a_stale_move_is_a_french_409_on_the_order_page(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = conflict(
        "Cette commande est passée à « Commande prête » entre-temps : rechargez la page pour "
        "voir son état actuel.")
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "ready", "current": "processing", "comment": "Prête"})
    assert r.status_code == 409 and "entre-temps" in r.text and 'id="progress-error"' in r.text
    assert "Prête</textarea>" in r.text                            # what was typed is kept


def test_only_the_bookshop_moves_an_order(client, rpc):
    answer(rpc)
    for who in ("collectivite", "approbateur", "utilisateur"):
        sign_in(client, who)
        assert client.post(URL, data={"to": "done"}).status_code == 403
    assert rpc.called("order_desk", "move_progress") == []


API = "/api/v1/admin/desk/orders/collectivity_order/7/progress"


def test_the_api_reads_and_moves_the_progress(client, rpc):
    answer(rpc)
    rpc.answers[("order_desk", "move_progress")] = lambda *args: progress("ready",
                                                                          "Commande prête")
    sign_in(client, "admin")
    r = client.get(API)
    assert r.status_code == 200 and r.get_json()["history"][1]["comment"] == "Stock vérifié"
    r = client.post(API, json={"to": "ready", "current": "processing", "comment": "Prête"},
                    headers={"Idempotency-Key": "k-1"})
    assert r.status_code == 200 and r.get_json()["status"] == "ready"
    args = rpc.called("order_desk", "move_progress")[0]
    assert args == ("collectivity_order", 7, "ready", "Prête", "admin@librairie.test", 1,
                    "processing")


def test_the_api_refuses_bad_input_in_french_and_says_a_stale_move_is_a_409(client, rpc):
    answer(rpc)
    sign_in(client, "admin")
    for body in ({}, {"to": "fini"}, {"to": "done", "current": "x"}, {"to": "done", "x": 1},
                 {"to": "done", "comment": "x" * 1001}):
        r = client.post(API, json=body)
        assert r.status_code == 400 and r.get_json()["error"] == "invalid", body
    assert rpc.called("order_desk", "move_progress") == []
    rpc.answers[("order_desk", "move_progress")] = conflict("Cette commande est passée à « "
                                                            "Commande prête » entre-temps.")
    r = client.post(API, json={"to": "ready", "current": "processing"})
    assert r.status_code == 409 and "entre-temps" in r.get_json()["message"]
    sign_in(client, "collectivite")
    assert client.get(API).status_code == 403
    assert client.post(API, json={"to": "done"}).status_code == 403


def test_no_confirmation_page_for_a_cancellation_the_desk_does_not_offer(client, rpc):
    """A sub-order past its last cancellable state showed « Annuler : … » and was then refused
    (409): the refusal comes first now, on the order's page."""
    answer(rpc, progress("done", "Terminé", moves=[]))
    sign_in(client, "admin")
    r = client.post(URL, data={"to": "cancelled", "current": "done", "comment": "x"})
    assert r.status_code == 409 and "ne peut plus être annulée" in html.unescape(r.text)
    assert rpc.called("order_desk", "move_progress") == []
