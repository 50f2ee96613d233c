"""Distribution day's phone page (issue 10 K5): the list with its search, a tick answered as
JSON to the page's script and as a redirect without it, a bad cheque number refused before
anything is asked, the validation's confirmation (Flask's test client, a fake RPC pool)."""
import html

import pytest

from services.common.errors import DomainError
from tests.unit.gateway.conftest import sign_in


def buyer(number, first, last, came=False, collected=False, status="paid"):
    return {"number": number, "first_name": first, "last_name": last, "email": "x@free.fr",
            "quantity": 1, "total": "14.90", "lines": [{"title": "WESTERN", "quantity": 1}],
            "status": status, "status_label": {"paid": "Payée",
                                               "awaiting_payment": "En attente de paiement"}[status],
            "awaiting_payment": status == "awaiting_payment", "payment_method": "online",
            "paid_by": "en ligne" if status == "paid" else "", "came": came,
            "collected_all": collected, "marked_by": "", "marked_at": None,
            "search": f"{first} {last}".lower().replace("é", "e"), "notes": []}


def view(buyers=None, distributed=False, absent=()):
    buyers = buyers if buyers is not None else [
        buyer(31, "Éloïse", "Durand", came=True), buyer(32, "Zoé", "Petit",
                                                        status="awaiting_payment")]
    return {"number": 7, "client_name": "COLLEGE", "status": "closed",
            "status_label": "Clôturée", "pickup_label": "À la librairie",
            "initiator_email": "i@x.fr", "made_available_at": "2026-12-06T10:00:00+00:00",
            "can_distribute": not distributed, "distributed": distributed,
            "validated_at": "2026-12-06T16:00:00+00:00" if distributed else None,
            "validated_by": "i@x.fr" if distributed else "", "query": "", "count": 2,
            "buyers": buyers,
            "recap": {"expected": 2, "came": 1, "collected_all": 0, "absent": 1,
                      "refunds": "0.00", "extra_payments": "0.00"},
            "absent": [{"number": n, "first_name": "Zoé", "last_name": "Petit",
                        "email": "z@x.fr"} for n in absent], "notes": []}


@pytest.mark.parametrize("who", ["collectivite", "admin"])
def test_the_page_lists_each_buyer_with_its_ticks(client, rpc, who):
    rpc.answers[("grouped_orders", "distribution")] = view()
    sign_in(client, who)
    page = html.unescape(client.get("/distribution/7?q=eloise").text)
    assert rpc.called("grouped_orders", "distribution")[-1][-1] == "eloise"
    assert 'id="sous-commande-31"' in page and 'aria-pressed="true"' in page
    assert "A payé : chèque ou espèces (14,90" in page  # Zoé pays at pickup
    assert page.count('class="tick-form"') == 4 and "Valider la distribution" in page
    assert 'type="search"' in page and "distribution.js" in page


def test_a_tick_answers_the_script_in_json_and_the_form_by_a_redirect(client, rpc):
    rpc.answers[("grouped_orders", "distribution_tick")] = {
        "sub_order_number": 31, "came": True, "collected_all": True, "changed": True}
    sign_in(client, "collectivite")
    r = client.post("/distribution/7/coche", data={"sub": "31", "field": "tout-retire",
                                                   "value": "1"},
                    headers={"X-Requested-With": "fetch", "Idempotency-Key": "k" * 32})
    assert r.status_code == 200 and r.json["ok"] and r.json["message"] == "Enregistré"
    assert rpc.called("grouped_orders", "distribution_tick")[-1][1:] == (
        7, 31, "collected_all", True)
    r = client.post("/distribution/7/coche", data={"sub": "31", "field": "venu", "value": "0"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/distribution/7#sous-commande-31")


@pytest.mark.parametrize("value", ["abc", "2", "on"])
def test_a_tick_that_is_neither_on_nor_off_is_a_french_400(client, rpc, value):
    sign_in(client, "collectivite")
    r = client.post("/distribution/7/coche", data={"sub": "31", "field": "venu",
                                                   "value": value})
    assert r.status_code == 400 and "Vérifiez les informations" in r.get_data(as_text=True)
    assert not rpc.called("grouped_orders", "distribution_tick")


def test_a_refused_tick_is_a_french_409_for_the_script(client, rpc):
    rpc.answers[("grouped_orders", "distribution_tick")] = DomainError(
        "La distribution de cette commande groupée est déjà validée.", code="conflict")
    sign_in(client, "collectivite")
    r = client.post("/distribution/7/coche", data={"sub": "31", "field": "venu", "value": "1"},
                    headers={"X-Requested-With": "fetch"})
    assert r.status_code == 409 and r.json == {"ok": False, "errors": {},
                                               "message": "La distribution de cette commande "
                                                          "groupée est déjà validée."}


def test_a_bad_cheque_number_is_a_400_on_the_page_and_nothing_is_asked(client, rpc):
    rpc.answers[("grouped_orders", "distribution")] = view()
    sign_in(client, "collectivite")
    r = client.post("/distribution/7/paiement", data={"sub": "32", "method": "cheque",
                                                      "cheque_number": "12AB"})
    assert r.status_code == 400 and "exactement 7 chiffres" in html.unescape(r.text)
    assert 'aria-invalid="true"' in r.text
    assert rpc.called("grouped_orders", "distribution_payment") == []


def test_the_validation_is_confirmed_first_naming_the_absent(client, rpc):
    rpc.answers[("grouped_orders", "distribution")] = view(absent=(32,))
    rpc.answers[("grouped_orders", "validate_distribution")] = view(distributed=True)
    sign_in(client, "admin")
    page = html.unescape(client.post("/distribution/7/valider").text)
    assert "1 acheteur n'a pas été vu : Zoé Petit" in page
    assert rpc.called("grouped_orders", "validate_distribution") == []
    done = client.post("/distribution/7/valider", data={"confirmed": "1"})
    assert done.status_code == 302 and len(rpc.called("grouped_orders",
                                                      "validate_distribution")) == 1


def test_after_the_validation_only_the_payment_of_who_still_owes_is_offered(client, rpc):
    """An absent buyer paying at pickup comes afterwards, as their mail says: « A payé » is
    still there for them, no tick, no note, no validation (found by the exploration)."""
    rpc.answers[("grouped_orders", "distribution")] = dict(
        view(distributed=True, absent=(32,)), can_record_payments=True)
    sign_in(client, "collectivite")
    page = html.unescape(client.get("/distribution/7").text)
    assert "Distribution validée le" in page
    assert "A payé : chèque ou espèces (14,90" in page and page.count("pickup-payment") == 1
    assert "Noter un remboursement" not in page and "Valider la distribution" not in page
    assert 'disabled' in page  # the ticks


def test_before_and_after_the_distribution_nobody_is_called_absent_too_early(client, rpc):
    """Before the books were made available (the teacher fixing the date), the page said in
    red, as an error, that the distribution had not begun, and counted every buyer
    « Absents »: they are « Pas encore venus » until the distribution is validated."""
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "distribution")] = dict(
        view(), status="processing", status_label="En attente de traitement",
        can_distribute=False)
    page = html.unescape(client.get("/distribution/7").text)
    assert "Pas encore venus : <strong id=\"recap-absent\">1</strong>" in page
    assert "Absents :" not in page and "flash-error" not in page
    assert '<p class="flash flash-info" role="status">La distribution commence une fois' in page
    rpc.answers[("grouped_orders", "distribution")] = view(distributed=True, absent=[32])
    page = html.unescape(client.get("/distribution/7").text)
    assert "Absents : <strong id=\"recap-absent\">1</strong>" in page
    # a parent paying at pickup, not come yet: « à encaisser », not « absent … non encaissé »
    owing = {"absent_owing": [{"number": 32, "first_name": "Zoé", "last_name": "Petit",
                               "total": "29.80"}]}
    during = view()
    during["recap"] = dict(during["recap"], **owing)
    rpc.answers[("grouped_orders", "distribution")] = during
    page = html.unescape(client.get("/distribution/7").text)
    assert "<h3>Pas encore venus, à payer au retrait</h3>" in page
    assert "Zoé Petit (n° 32) : 29,80\xa0€ à encaisser" in page
    assert "Absents qui devaient" not in page and "non encaissé" not in page
    after = view(distributed=True, absent=[32])
    after["recap"] = dict(after["recap"], **owing)
    rpc.answers[("grouped_orders", "distribution")] = after
    page = html.unescape(client.get("/distribution/7").text)
    assert "<h3>Absents qui devaient payer au retrait</h3>" in page
    assert "29,80\xa0€ non encaissé" in page


def test_before_its_day_the_page_says_when_the_distribution_can_be_validated(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "distribution")] = dict(
        view(), validation_waits_for="2026-12-10", distribution_date="2026-12-10",
        distribution_label="le jeudi 10 décembre 2026")
    page = html.unescape(client.get("/distribution/7").text)
    assert "Vous pourrez valider la distribution le 10 décembre 2026, jour de la " \
           "distribution" in page
    assert ">Valider la distribution</button>" not in page
    assert page.count('class="tick-form"') == 4  # the ticks are open
    rpc.answers[("grouped_orders", "distribution")] = view()
    assert ">Valider la distribution</button>" in client.get("/distribution/7").text
