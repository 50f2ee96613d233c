"""Issue 10's minimum and cap on the pages: the public page's progress (without script, and the
JSON its script polls), « complet », the initiator's form."""
import re

from services.common.errors import DomainError
from services.grouped_orders import domain
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

TOKEN = "T" * 32


def public(progress, **changes):
    return dict(samples.PUBLIC, progress=progress, full=progress["full"], **changes)


def test_the_public_page_shows_the_progress_toward_the_minimum_in_a_live_region(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = public(
        domain.progress(10, 20, paid=7, awaiting=2))
    html = client.get(f"/souscription/{TOKEN}").text
    assert "7 / 10 exemplaires" in html
    assert '<progress id="progress-bar" max="10" value="7"' in html
    live = re.search(r'<div aria-live="polite"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "il en faut encore 3 pour que la commande soit passée" in live
    assert "Il reste 11 exemplaires disponibles." in live
    assert "/static/progress.js" in html and '<form method="post"' in html
    assert client.get("/static/progress.js").status_code == 200


def test_a_grouped_order_without_limits_shows_no_progress(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = public(
        domain.progress(None, None, paid=7, awaiting=2))
    html = client.get(f"/souscription/{TOKEN}").text
    assert "copies-progress" not in html and "progress.js" not in html


def test_a_full_grouped_order_says_complet_and_shows_no_form(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = public(
        domain.progress(None, 10, paid=6, awaiting=4), subscriptions_open=False)
    html = client.get(f"/souscription/{TOKEN}").text
    assert "<strong>Complet</strong>" in html
    assert "Cette commande groupée est complète" in html
    assert '<form method="post"' not in html


def test_the_progress_json_is_what_the_script_shows(client, rpc):
    rpc.answers[("grouped_orders", "public_progress")] = {
        "number": 2, "status": "open", "status_label": "Commande ouverte",
        "subscriptions_open": True, "progress": domain.progress(10, None, paid=10, awaiting=0)}
    r = client.get(f"/souscription/{TOKEN}/progression")
    assert r.status_code == 200 and r.is_json
    body = r.get_json()
    assert (body["label"], body["minimum_reached"], body["full"]) == \
        ("10 / 10 exemplaires", True, False)
    assert body["texts"] == {"minimum": "10 / 10 exemplaires payés : minimum atteint, la "
                                        "commande sera passée."}
    assert "buyer" not in str(body) and "email" not in str(body)


def test_a_subscription_beyond_the_cap_is_a_french_409_on_the_form(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = public(
        domain.progress(None, 10, paid=8, awaiting=0))
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = DomainError(
        "Il ne reste que 2 exemplaires dans cette commande groupée : vous en demandez 3.",
        {"quantity": ["2 exemplaires au plus."]}, "conflict")
    r = client.post(f"/souscription/{TOKEN}", data={
        "first_name": "Ana", "last_name": "Lys", "email": "ana@lys.fr", "quantity": "3",
        "accepted_terms": "1"})
    assert r.status_code == 409
    assert "Il ne reste que 2 exemplaires" in r.text and "2 exemplaires au plus." in r.text


def test_the_initiator_sets_the_limits_and_sees_a_mistake_in_french(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "change_copy_limits")] = DomainError(
        "Vérifiez le minimum et le maximum d'exemplaires.",
        {"max_copies": ["3 exemplaires sont déjà souscrits : le maximum ne peut pas être "
                        "inférieur à 3."]}, "invalid")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    r = client.post("/commandes-groupees/7/exemplaires", data={"min_copies": "",
                                                                "max_copies": "2"})
    # the page again, the message above it and the « 2 » typed kept (it was a redirect that
    # showed the stored values)
    assert r.status_code == 400
    html = r.text
    assert "le maximum ne peut pas être inférieur à 3" in html
    assert re.search(r'<input id="max_copies"[^>]*value="2"', html)
    assert rpc.called("grouped_orders", "change_copy_limits")[0][1:4] == (7, "", "2")


def titled_progress(overall_min=None):
    """A reading list's progress with one title under its own minimum, one reached."""
    return dict(domain.progress(overall_min, None, paid=5, awaiting=0), titles=[
        domain.title_progress("111", "WESTERN", True, 5, 5),
        domain.title_progress("222", "LE LIVRE", False, 4, 1)])


def test_each_title_minimum_shows_on_the_public_page_and_in_the_polled_json(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = public(titled_progress())
    html = client.get(f"/souscription/{TOKEN}").text
    live = re.search(r'<div aria-live="polite"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert ('<li id="progress-title-222" data-ean="222" class="not-reached">LE LIVRE : 1 / 4 '
            'exemplaires payés : il en faut encore 3 (titre facultatif : sinon il est retiré '
            'de la commande).</li>') in live
    assert "WESTERN : 5 / 5 exemplaires payés : minimum du titre atteint." in live
    rpc.answers[("grouped_orders", "public_progress")] = {
        "number": 2, "status": "open", "status_label": "Commande ouverte",
        "subscriptions_open": True, "progress": titled_progress()}
    body = client.get(f"/souscription/{TOKEN}/progression").get_json()
    assert [(t["ean"], t["label"], t["minimum_reached"]) for t in body["titles"]] == [
        ("111", "WESTERN : 5 / 5 exemplaires payés", True),
        ("222", "LE LIVRE : 1 / 4 exemplaires payés", False)]
    assert [t["text"] for t in body["texts"]["titles"]][1].startswith("LE LIVRE : 1 / 4")
    assert "minimum" not in body["texts"]  # no overall minimum
    assert "progress-title-" in client.get("/static/progress.js").text


def test_the_initiator_sets_each_title_minimum_on_both_pages(client, rpc):
    sign_in(client, "collectivite")
    two = [dict(samples.TITLE, ean="111", title="WESTERN", min_copies=5),
           dict(samples.TITLE, ean="222", title="LE LIVRE", required=False, min_copies=4)]
    rpc.answers[("grouped_orders", "change_copy_limits")] = samples.grouped(titles=two)
    r = client.post("/commandes-groupees/7/exemplaires", data={
        "min_copies": "", "max_copies": "", "ean": ["111", "222"], "title_min": ["5", "4"]})
    assert r.status_code == 302
    assert rpc.keywords[("grouped_orders", "change_copy_limits")]["title_minimums"] == \
        {"111": "5", "222": "4"}
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        titles=two, progress=titled_progress())
    html = client.get("/commandes-groupees/7").text
    assert "minimum de « LE LIVRE » : 4" in html  # the flash
    assert re.search(r'id="title-min-222" type="number" min="1" name="title_min" value="4"', html)
    assert "LE LIVRE : 1 / 4 exemplaires payés (minimum du titre, facultatif)" in html
    assert "il en manque 3</strong> : sinon le titre est retiré" in html
    # the bookshop's page shows them too
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(titles=two,
                                                                    progress=titled_progress())
    html = client.get("/admin/commandes-groupees/7").text
    assert "WESTERN : 5 / 5 exemplaires payés (minimum du titre) — <strong>atteint</strong>" \
        in html
