"""The pages of a reading list (issue 10), without the services: the creation page builds the
list (add by search, remove, optional), the public page asks a quantity per title, the
detail page shows the figures per title, the opening day."""
import re

import pytest

from services.common.errors import DomainError
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

TOKEN = "T" * 32
WESTERN, LIVRE, CEMETERY = "9791097284657", "9782362210419", "9782330150136"
ARTICLES = {WESTERN: samples.ARTICLE,
            LIVRE: {"ean": LIVRE, "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, "
                    "PAS LIRE !", "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION",
                    "price_ttc": "6.40", "vat_rate": "5.5"},
            CEMETERY: {"ean": CEMETERY, "title": "CEMETERY ROAD", "author": "ILES GREG",
                       "publisher": "ACTES SUD", "price_ttc": "25.00", "vat_rate": "5.5"}}
LIST_TITLES = [dict(samples.TITLE),
               dict(ARTICLES[LIVRE], id=2, position=2, required=False, collection=None)]
PUBLIC = dict(samples.PUBLIC, titles=LIST_TITLES)


def creation(rpc):
    rpc.answers[("librisoft_bridge", "get_article")] = lambda ean: ARTICLES[ean]
    rpc.answers[("grouped_orders", "pickup_options")] = {"bookshop": "À la librairie"}
    rpc.answers[("librisoft_bridge", "search_articles")] = {
        "total": 1, "page": 1, "per_page": 10, "items": [ARTICLES[CEMETERY]]}


def test_the_creation_page_adds_removes_and_marks_titles_optional(client, rpc):
    creation(rpc)
    sign_in(client, "collectivite")
    html = client.get(f"/commandes-groupees/nouvelle/{WESTERN}?titre={LIVRE}&q=cemetery").text
    assert "Liste de lecture : 2 titres" in html and "CEMETERY ROAD" in html
    add = re.search(r'<a class="button" href="([^"]+)">Ajouter<span class="visually-hidden">'
                    r' CEMETERY ROAD', html).group(1).replace("&amp;", "&")
    assert add.startswith(f"/commandes-groupees/nouvelle/{WESTERN}?")
    assert f"titre={LIVRE}" in add and f"titre={CEMETERY}" in add
    html = client.get(add).text
    assert "Liste de lecture : 3 titres" in html and "« CEMETERY ROAD » est facultatif" in html
    remove = re.search(r'<a href="([^"]+)">Retirer<span class="visually-hidden"> WESTERN',
                       html).group(1).replace("&amp;", "&")
    assert remove.startswith(f"/commandes-groupees/nouvelle/{LIVRE}?titre={CEMETERY}")
    created = []
    rpc.answers[("grouped_orders", "create_grouped_order")] = \
        lambda actor, data: created.append(data) or {"number": 9}
    r = client.post(f"/commandes-groupees/nouvelle/{WESTERN}", data={
        "step": "create", "titles": [WESTERN, LIVRE, CEMETERY], "optional": [CEMETERY],
        "deadline": "2026-12-20", "opens_on": "2026-12-10", "pickup": "bookshop",
        "client_number": "16"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/commandes-groupees/9")
    (data,) = created
    assert data["titles"] == [{"ean": WESTERN, "optional": False},
                              {"ean": LIVRE, "optional": False},
                              {"ean": CEMETERY, "optional": True}]
    assert (data["deadline"], data["opens_on"], data["pickup"]) == \
        ("2026-12-20", "2026-12-10", "bookshop")


def test_a_refused_creation_keeps_the_list_and_says_why(client, rpc):
    creation(rpc)
    rpc.answers[("grouped_orders", "create_grouped_order")] = DomainError(
        "La date d'ouverture doit précéder la date limite.",
        {"opens_on": ["Au plus tard le jour de la date limite."]})
    sign_in(client, "collectivite")
    r = client.post(f"/commandes-groupees/nouvelle/{WESTERN}", data={
        "step": "create", "titles": [WESTERN, LIVRE], "optional": [LIVRE],
        "deadline": "2026-12-20", "opens_on": "2026-12-21", "pickup": "bookshop"})
    assert r.status_code == 400 and "précéder la date limite" in r.text
    assert 'id="opens_on-errors"' in r.text and 'value="2026-12-21"' in r.text
    assert re.search(rf'name="optional" value="{LIVRE}" checked', r.text)
    assert "Liste de lecture : 2 titres" in r.text


def test_the_public_page_asks_a_quantity_per_title_with_the_running_total(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = PUBLIC
    html = client.get(f"/souscription/{TOKEN}").text
    assert "Liste de lecture : 2 titres" in html
    inputs = re.findall(r'<input id="quantity-(\d)" name="quantity" type="number" min="(\d)"'
                        r'[^>]*value="(\d)"[^>]*data-price="([\d.]+)"', html)
    assert inputs == [("1", "1", "1", "14.90"), ("2", "0", "0", "6.40")]
    assert re.findall(r'name="ean" value="(\d+)"', html) == [WESTERN, LIVRE]
    assert "obligatoire" in html and "facultatif" in html
    assert re.search(r'<strong id="total">14,90\s€</strong>', html)


def test_the_public_form_sends_a_line_per_title_and_shows_each_ones_mistake(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = PUBLIC
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = DomainError(
        "Vérifiez les informations saisies.",
        {f"quantity_{WESTERN}": ["Quantité : un nombre entier entre 1 et 30 (titre "
                                 "obligatoire)."]})
    r = client.post(f"/souscription/{TOKEN}", data={
        "first_name": "Jean", "last_name": "Dupont", "email": "jean@dupont.fr",
        "ean": [WESTERN, LIVRE], "quantity": ["0", "3"], "accepted_terms": "1"})
    assert r.status_code == 400 and "(titre obligatoire)" in r.text
    (call,) = rpc.called("grouped_orders", "subscribe_and_pay")
    assert call[1]["lines"] == [{"ean": WESTERN, "quantity": "0"},
                                {"ean": LIVRE, "quantity": "3"}]
    assert "quantity" not in call[1] and "quantities" not in call[1]
    assert re.search(r'id="quantity-2"[^>]*value="3"', r.text)  # what was typed is kept
    assert re.search(rf'aria-describedby="quantity_{WESTERN}-errors"', r.text)
    assert re.search(r'<strong id="line-total-2">19,20\s€</strong>', r.text)


def test_before_the_opening_day_the_page_says_when_and_has_no_form(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(
        PUBLIC, subscriptions_open=False, not_open_yet=True, opens_on="2026-12-10")
    html = client.get(f"/souscription/{TOKEN}").text
    assert "ouvriront le 10 décembre 2026" in html and 'name="quantity"' not in html
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = DomainError(
        "Les souscriptions à cette commande groupée ouvriront le 10/12/2026 : revenez à "
        "partir de cette date.", code="conflict")
    r = client.post(f"/souscription/{TOKEN}", data={"first_name": "Jean"})
    assert r.status_code == 409 and "ouvriront le 10/12/2026" in r.text


def test_the_detail_page_shows_each_buyers_titles_and_the_figures_per_title(client, rpc):
    line = {"author": "", "publisher": "", "vat_rate": "5.5", "required": True}
    sub = samples.sub("paid", quantity=3, total="36.20", unit_price=None, lines=[
        dict(line, ean=WESTERN, title="WESTERN COQUILLETTES", position=1, quantity=2,
             unit_price="14.90", total="29.80"),
        dict(line, ean=LIVRE, title=ARTICLES[LIVRE]["title"], position=2, quantity=1,
             unit_price="6.40", total="6.40")], cancelled_at=None, cancel_reason="",
        paid_at=None, refunded_at=None, automatic_refunds=[])
    figures = {"required": True, "total_cancelled": "0.00", "total_awaiting": "0.00"}
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        subs=[sub], titles=LIST_TITLES, by_title=[
            dict(figures, ean=WESTERN, title="WESTERN COQUILLETTES", position=1,
                 unit_price="14.90", copies={"cancelled": 0, "awaiting_payment": 0, "paid": 2},
                 total_paid="29.80"),
            dict(figures, ean=LIVRE, title=ARTICLES[LIVRE]["title"], position=2,
                 unit_price="6.40", copies={"cancelled": 0, "awaiting_payment": 0, "paid": 1},
                 total_paid="6.40")])
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/7").text
    assert "Titres (2)" in html and "2 × WESTERN COQUILLETTES, 1 × LE LIVRE" in html
    table = re.search(r'<table class="by-title".*?</table>', html, re.S).group(0)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr.*?</tr>", table,
                                                                        re.S)[1:]]
    norm = [[c.replace("\xa0", " ").replace("\u202f", " ") for c in row] for row in cells]
    assert norm == [["14,90 €", "0", "0", "2", "0,00 €", "29,80 €"],
                    ["6,40 €", "0", "0", "1", "0,00 €", "6,40 €"],
                    ["", "0", "0", "0", "0,00 €", "0,00 €"]]  # the sample's summary
    assert "Ensemble des titres" in table


def test_the_buyers_result_page_lists_the_titles_taken(client, rpc):
    lines = [{"ean": WESTERN, "title": "WESTERN COQUILLETTES", "quantity": 2,
              "unit_price": "14.90", "total": "29.80"},
             {"ean": CEMETERY, "title": "CEMETERY ROAD", "quantity": 0, "unit_price": "25.00",
              "total": "0.00"},
             {"ean": LIVRE, "title": "LE LIVRE", "quantity": 1, "unit_price": "6.40",
              "total": "6.40"}]
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        "paid", quantity=3, total="36.20", lines=lines, grouped_order=PUBLIC,
        last_payment_id=None)
    html = client.get(f"/souscription/{TOKEN}/commande/{'B' * 32}").text
    assert "Votre commande n°\xa0" in html.replace("&nbsp;", "\xa0") and ": 3 livres" in html
    assert "2 × WESTERN COQUILLETTES" in html and "1 × LE LIVRE" in html
    assert "CEMETERY ROAD" not in html  # an optional title not taken


def test_before_the_opening_day_the_initiator_can_share_the_link_and_reads_when_it_opens(
        client, rpc):
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        subscriptions_open=False, not_open_yet=True, opens_on="2026-12-10")
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/7").text
    assert "Souscriptions ouvertes à partir du 10 décembre 2026" in html
    assert "pas encore ouvertes" in html and "Copier le lien" in html
    assert "closes par la librairie" not in html


def test_each_title_minimum_is_set_on_the_creation_page_and_a_mistake_kept(client, rpc):
    creation(rpc)
    sign_in(client, "collectivite")
    html = client.get(f"/commandes-groupees/nouvelle/{WESTERN}?titre={LIVRE}").text
    assert f'id="title-min-{LIVRE}" name="title_min"' in html
    created = []
    rpc.answers[("grouped_orders", "create_grouped_order")] = \
        lambda actor, data: created.append(data) or {"number": 9}
    form = {"step": "create", "titles": [WESTERN, LIVRE], "optional": [LIVRE],
            "title_min": ["", "6"], "deadline": "2026-12-20", "pickup": "bookshop"}
    assert client.post(f"/commandes-groupees/nouvelle/{WESTERN}", data=form).status_code == 302
    assert created[0]["titles"] == [{"ean": WESTERN, "optional": False},
                                    {"ean": LIVRE, "optional": True, "min_copies": "6"}]
    rpc.answers[("grouped_orders", "create_grouped_order")] = DomainError(
        "Vérifiez le minimum d'exemplaires de chaque titre.",
        {f"min_copies_{LIVRE}": ["Minimum du titre : un nombre entier entre 1 et 100000, "
                                 "ou vide."]})
    r = client.post(f"/commandes-groupees/nouvelle/{WESTERN}", data=dict(form, title_min=["",
                                                                                      "0"]))
    assert r.status_code == 400 and f'id="min_copies_{LIVRE}-errors"' in r.text
    assert re.search(rf'id="title-min-{LIVRE}" name="title_min" type="number" min="1" '
                     rf'inputmode="numeric" value="0"', r.text)


def test_a_title_twice_or_a_quantity_without_its_title_reaches_the_service_as_sent(client,
                                                                                    rpc):
    """Not the last value silently kept: the service refuses a title twice (its French 400)."""
    from services.grouped_orders import domain
    rpc.answers[("grouped_orders", "public_grouped_order")] = PUBLIC
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = DomainError(
        "Une quantité par titre, chaque titre une fois.", {"quantity": ["Titre en double."]})
    r = client.post(f"/souscription/{TOKEN}", data={
        "first_name": "Jean", "last_name": "Dupont", "email": "jean@dupont.fr",
        "ean": [WESTERN, WESTERN], "quantity": ["1", "3", "9"], "accepted_terms": "1"})
    assert r.status_code == 400 and "chaque titre une fois" in r.text
    (call,) = rpc.called("grouped_orders", "subscribe_and_pay")
    sent = call[1]["lines"]
    assert sent == [{"ean": WESTERN, "quantity": "1"}, {"ean": WESTERN, "quantity": "3"},
                    {"ean": "", "quantity": "9"}]
    with pytest.raises(DomainError):  # what the service then says
        domain.quantities_asked([], sent, None)


def test_the_api_creates_for_the_accounts_only_client_without_naming_it(client, rpc,
                                                                         monkeypatch):
    """POST /api/v1/grouped-orders without `client_number` was a 400 « Champ obligatoire » for
    an account of one client (the page and the baskets' API take that client): it is taken;
    an account of several clients is asked to choose, in French."""
    from tests.unit.gateway import conftest, samples
    created = []
    rpc.answers[("grouped_orders", "create_grouped_order")] = \
        lambda actor, data: created.append(data) or samples.grouped()
    sign_in(client, "collectivite")
    body = {"ean": WESTERN, "deadline": "2026-12-20", "pickup": "bookshop"}
    r = client.post("/api/v1/grouped-orders", json=body, headers={"Idempotency-Key": "k" * 32})
    assert r.status_code == 201, r.text
    assert created[0]["client_number"] == "16"
    monkeypatch.setitem(conftest.USERS["collectivite"], "clients", [
        {"number": "16", "name": "ECOLE JULES FERRY"}, {"number": "21", "name": "COLLEGE"}])
    r = client.post("/api/v1/grouped-orders", json=body, headers={"Idempotency-Key": "j" * 32})
    assert r.status_code == 400 and "client_number" in r.json["details"], r.text
    assert len(created) == 1
