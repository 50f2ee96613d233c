"""The distribution date (issue 10 K5): set from the distribution page by the initiator or the
bookshop (a day in the past: the page again, 400, the service's French message), shown on the
grouped order's page and the buyer's own page; the bookshop turns the buyers' mails off
(Flask's test client, a fake RPC pool)."""
import html

import pytest

from services.common.errors import DomainError
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

from .test_distribution_pages import view

LABEL = "le vendredi 18 décembre 2026, de 16 h 30 à 18 h (salle B)"
DATED = dict(distribution_date="2026-12-18", distribution_slot="de 16 h 30 à 18 h (salle B)",
             distribution_label=LABEL)


@pytest.mark.parametrize("who", ["collectivite", "admin"])
def test_the_date_is_set_from_the_distribution_page(client, rpc, who):
    rpc.answers[("grouped_orders", "distribution")] = dict(view(), can_set_date=True, **DATED)
    sign_in(client, who)
    page = html.unescape(client.get("/distribution/7").text)
    assert "Le vendredi 18 décembre 2026, de 16 h 30 à 18 h (salle B)" in page
    assert 'name="distribution_date" type="date" value="2026-12-18"' in page
    rpc.answers[("grouped_orders", "set_distribution_date")] = dict(
        samples.grouped("closed", made_available_at="2026-12-06T10:00:00+00:00"), **DATED)
    r = client.post("/distribution/7/date", data={
        "distribution_date": "2026-12-18", "distribution_slot": "de 16 h 30 à 18 h (salle B)",
        "idempotency_key": "d" * 32}, follow_redirects=True)
    assert rpc.called("grouped_orders", "set_distribution_date")[-1][1:4] == (
        7, "2026-12-18", "de 16 h 30 à 18 h (salle B)")
    assert (f"Date de distribution enregistrée : {LABEL}. Les acheteurs sont prévenus par "
            "e-mail.") in html.unescape(r.text)


def test_a_day_in_the_past_is_a_french_400(client, rpc):
    rpc.answers[("grouped_orders", "distribution")] = dict(view(), can_set_date=True,
                                                           distribution_date=None,
                                                           distribution_slot="",
                                                           distribution_label="")
    rpc.answers[("grouped_orders", "set_distribution_date")] = DomainError(
        "La date de distribution ne peut pas être dans le passé.",
        {"distribution_date": ["Aujourd'hui ou plus tard."]})
    sign_in(client, "collectivite")
    r = client.post("/distribution/7/date", data={"distribution_date": "2020-01-01",
                                                  "idempotency_key": "e" * 32})
    page = html.unescape(r.text)
    assert r.status_code == 400 and "ne peut pas être dans le passé" in page
    assert 'value="2020-01-01" aria-invalid="true"' in page


def test_an_empty_day_removes_a_date_set_and_is_asked_for_when_none_is(client, rpc):
    """Saving the form with no day, no date being set, said « Date de distribution retirée »."""
    rpc.answers[("grouped_orders", "distribution")] = dict(view(), can_set_date=True,
                                                           distribution_date=None,
                                                           distribution_slot="",
                                                           distribution_label="")
    sign_in(client, "collectivite")
    assert 'name="had_date"' not in client.get("/distribution/7").text
    r = client.post("/distribution/7/date", data={"distribution_date": "",
                                                  "idempotency_key": "f" * 32})
    page = html.unescape(r.text)
    assert r.status_code == 400 and "Indiquez le jour de la distribution." in page
    assert "retirée" not in page
    assert rpc.called("grouped_orders", "set_distribution_date") == []
    rpc.answers[("grouped_orders", "distribution")] = dict(view(), can_set_date=True, **DATED)
    assert 'name="had_date" value="1"' in client.get("/distribution/7").text
    rpc.answers[("grouped_orders", "set_distribution_date")] = dict(
        samples.grouped("processing"), distribution_date=None, distribution_label="")
    r = client.post("/distribution/7/date", data={"distribution_date": "", "had_date": "1",
                                                  "idempotency_key": "g" * 32},
                    follow_redirects=True)
    assert "Date de distribution retirée." in html.unescape(r.text)


def test_the_date_shows_on_the_grouped_order_and_the_bookshop_turns_mails_off(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = dict(
        samples.grouped("processing"), **DATED)
    page = html.unescape(client.get("/commandes-groupees/7").text)
    assert "Le vendredi 18 décembre 2026" in page and "Fixer la date de distribution" in page
    assert "Prévenir chaque acheteur" not in page  # the bookshop's switch
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped()
    assert "Prévenir chaque acheteur quand ses livres sont prêts" in html.unescape(
        client.get("/admin/commandes-groupees/7").text)
    rpc.answers[("grouped_orders", "admin_set_buyer_ready_mails")] = samples.grouped()
    r = client.post("/admin/commandes-groupees/7/mails-livres-prets",
                    data={"idempotency_key": "m" * 32})
    assert r.status_code == 302
    assert rpc.called("grouped_orders", "admin_set_buyer_ready_mails")[0][1:3] == (7, False)


def test_the_buyer_sees_the_distribution_date_on_their_own_page(client, rpc):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        "paid", grouped_order=dict(samples.PUBLIC, status="closed", **DATED))
    page = html.unescape(client.get(f"/souscription/{'T' * 32}/commande/{'B' * 32}").text)
    assert f'<dd id="distribution-date"><strong>{LABEL[0].upper()}{LABEL[1:]}</strong>' in page


def test_a_cancelled_grouped_order_shows_neither_the_date_nor_the_mail_switch(client, rpc):
    cancelled = dict(samples.grouped("cancelled"), **DATED)
    for who, answer, url in (("collectivite", "get_my_grouped_order", "/commandes-groupees/7"),
                             ("admin", "admin_get", "/admin/commandes-groupees/7")):
        sign_in(client, who)
        rpc.answers[("grouped_orders", answer)] = cancelled
        page = html.unescape(client.get(url).text)
        assert "Annulée" in page
        assert "Date de distribution" not in page and "18 décembre 2026" not in page
        assert "E-mails aux acheteurs quand les livres sont prêts" not in page
        assert "Prévenir chaque acheteur" not in page and "mails-livres-prets" not in page
