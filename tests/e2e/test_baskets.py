"""Collectivity baskets end to end through the gateway's API: the reference's CEMETERY ROAD line
to the cent with a title at each VAT rate and a school book, the approval chain (send, return
with a comment, resend, transmit), the order and the quote request made from it, a simulated
Librisoft picking them up over the bridge's webservice, the bookshop's actions, the mails in a
real SMTP server, and another collectivity kept out of all of it."""
import re
import time
from decimal import Decimal

import pytest
import requests

from services.baskets.domain import prices as pricing
from services.baskets.presenters.baskets import totals_view
from services.common.money import money
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.suite import wait_until

CEMETERY = "9782330150136"
WESTERN = "9791097284657"
# ECOLE JULES FERRY (client 16): 9 % on books (VAT 5.5), nothing on the other rates or school
DISCOUNTS = pricing.Discounts.of({"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0",
                                  "school": "0"})


@pytest.fixture(scope="module")
def s(suite, people):
    """The API sessions of the four collectivity accounts and the bookshop."""
    made = {key: api_session(suite, people[key]["email"], PASSWORD)
            for key in ("utilisateur", "approbateur", "collectivite", "other")}
    made["admin"] = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    return made


@pytest.fixture(scope="module")
def articles(suite, s):
    """One demo article of each kind the prices depend on, found through the API."""
    found = []
    for page in (1, 2, 3, 4):
        r = s["utilisateur"].get(suite.gateway_url + "/api/v1/articles",
                                 params={"q": "", "page": page, "per_page": 100})
        assert r.status_code == 200, r.text
        found += r.json()["items"]
    def first(test):
        return next(a for a in found if test(a))
    return {
        "cemetery": first(lambda a: a["ean"] == CEMETERY),
        "western": first(lambda a: a["ean"] == WESTERN),
        "vat20": first(lambda a: Decimal(a["vat_rate"]) == 20 and not a["school_book"]),
        "vat2_1": first(lambda a: Decimal(a["vat_rate"]) == Decimal("2.1")),
        "school": first(lambda a: a["school_book"]),
    }


def expected_line(article, quantity):
    return pricing.line(article["ean"], article["title"], quantity,
                        money(article["price_ttc"]), article["vat_rate"],
                        bool(article["school_book"]), DISCOUNTS)


def url(suite, path):
    return suite.gateway_url + "/api/v1" + path


@pytest.fixture(scope="module")
def state():
    return {}


def told(smtp, address, title, basket_id, timeout=20):
    """The body of the mail titled `title` telling `address` of basket `basket_id`."""
    link = re.compile(rf"/paniers/{basket_id}\s")
    deadline = time.time() + timeout
    while time.time() < deadline:
        for mail in smtp.to(address):
            body = mail.get_body(("plain",)).get_content()
            if mail["Subject"].startswith(title) and link.search(body):
                return body
        time.sleep(0.1)
    seen = [(m["Subject"], m.get_body(("plain",)).get_content()[-200:])
            for m in smtp.to(address)]
    raise AssertionError(f"no « {title} » mail to {address} for basket {basket_id}: {seen}")


def test_a_basket_priced_to_the_cent_along_the_chain(suite, s, people, articles, smtp, state):
    user, approver, coll = s["utilisateur"], s["approbateur"], s["collectivite"]
    r = user.post(url(suite, "/baskets"), json={"name": "Sélection CDI"})
    assert r.status_code == 201, r.text
    basket = r.json()
    bid = basket["id"]
    assert (basket["state"], basket["client_number"], basket["owner_email"]) == \
        ("draft", "16", people["utilisateur"]["email"])

    quantities = {"cemetery": 1, "western": 28, "vat20": 2, "vat2_1": 4, "school": 1}
    for key, quantity in quantities.items():
        r = user.post(url(suite, f"/baskets/{bid}/lines"),
                      json={"ean": articles[key]["ean"], "quantity": quantity})
        assert r.status_code == 201, r.text
    empty = user.post(url(suite, f"/baskets/{bid}/lines"), json={"ean": " ", "quantity": 1})
    assert empty.status_code == 400 and "Indiquez le code EAN" in empty.json()["message"]
    basket = user.get(url(suite, f"/baskets/{bid}")).json()
    lines = {line["ean"]: line for line in basket["lines"]}

    # the reference's line, literally
    cem = lines[CEMETERY]
    assert (cem["quantity"], cem["public_price_ht"], cem["public_price_ttc"],
            cem["discount_percent"], cem["discount_amount"], cem["total_ttc"],
            cem["unit_price_ttc"], cem["author"], cem["publisher"]) == \
        (1, "23.70", "25.00", "9.00", "2.25", "22.75", "22.75", "ILES GREG", "ACTES SUD")

    # every line and total, as the pricing rules give them
    # (each VAT rate's HT: its TTC / (1 + rate) rounded, shared out by the lines: docs/invoicing.md)
    expected = {x.ean: x for x in pricing.balanced(expected_line(articles[k], q)
                                                   for k, q in quantities.items())}
    for ean, x in expected.items():
        line = lines[ean]
        assert (line["quantity"], line["public_price_ttc"], line["unit_price_ttc"],
                line["discount_percent"], line["discount_amount"], line["total_ttc"],
                line["total_ht"], line["vat_amount"]) == \
            (x.quantity, str(x.public_price_ttc), str(x.unit_price_ttc),
             str(money(x.discount_percent)), str(x.discount_amount),
             str(x.total_ttc), str(x.total_ht), str(x.vat_amount)), ean
    assert lines[articles["vat20"]["ean"]]["discount_percent"] == "0.00"
    assert lines[articles["vat2_1"]["ean"]]["discount_percent"] == "0.00"
    assert lines[articles["school"]["ean"]]["discount_percent"] == "0.00"
    assert lines[WESTERN]["discount_percent"] == "9.00"
    # what is printed multiplies out: 13.56 × 28 = 379.68 (once shown as 379.65)
    assert (lines[WESTERN]["unit_price_ttc"], lines[WESTERN]["total_ttc"]) == \
        ("13.56", "379.68")
    for line in lines.values():
        assert Decimal(line["unit_price_ttc"]) * line["quantity"] == \
            Decimal(line["total_ttc"]), line["title"]
    totals = pricing.totals(expected.values())
    assert basket["totals"] == totals_view(totals)
    assert Decimal(basket["totals"]["subtotal_ht"]) + Decimal(basket["totals"]["vat_total"]) \
        == Decimal(basket["totals"]["total_ttc"])
    assert basket["article_count"] == sum(quantities.values())
    assert set(basket["actions"]) >= {"edit", "submit", "rename", "delete"}
    assert basket["action_labels"]["submit"] == "Envoyer ce panier à l'approbateur"

    # the own price on the article sheet matches the line's
    price = user.get(url(suite, f"/articles/{CEMETERY}/price")).json()
    assert (price["public_price_ttc"], price["unit_price_ttc"], price["discount_percent"]) == \
        ("25.00", "22.75", "9.00")

    # not the Approbateur's before it is sent
    assert approver.get(url(suite, f"/baskets/{bid}")).status_code == 404

    # sent by mistake, taken back at once (« Reprendre ce panier », over the API too), sent
    r = user.post(url(suite, f"/baskets/{bid}/submission"), json={})
    assert r.status_code == 200 and r.json()["state"] == "at_approver", r.text
    assert approver.post(url(suite, f"/baskets/{bid}/recall"), json={}).status_code in (403,
                                                                                       404)
    r = user.post(url(suite, f"/baskets/{bid}/recall"), json={})
    assert r.status_code == 200 and r.json()["state"] == "draft", r.text

    # sent: locked at the Approbateur's, no longer the Utilisateur's to edit
    r = user.post(url(suite, f"/baskets/{bid}/submission"), json={})
    assert r.status_code == 200 and r.json()["state"] == "at_approver", r.text
    assert user.post(url(suite, f"/baskets/{bid}/lines"),
                     json={"ean": WESTERN, "quantity": 1}).status_code == 403
    waiting = approver.get(url(suite, "/baskets"), params={"view": "to_validate"}).json()
    assert bid in [b["id"] for b in waiting]
    menus = {m["key"]: m for m in approver.get(url(suite, "/basket-menus")).json()}
    assert menus["to_validate"]["label"] == "Paniers à valider" and \
        menus["to_validate"]["count"] >= 1
    seen = approver.get(url(suite, f"/baskets/{bid}")).json()
    assert seen["locked"] and {"submit", "unlock", "return"} <= set(seen["actions"])
    assert seen["action_labels"]["submit"] == "Transmettre ce panier à la collectivité"
    assert seen["totals"] == basket["totals"]

    # returned with a comment, which the Utilisateur sees (API and page)
    comment = "Vingt-huit WESTERN COQUILLETTES, c'est trop : douze suffisent."
    r = approver.post(url(suite, f"/baskets/{bid}/return"), json={"comment": comment})
    assert r.status_code == 200 and r.json()["state"] == "draft", r.text
    back = user.get(url(suite, f"/baskets/{bid}")).json()
    assert back["last_return"]["comment"] == comment
    assert back["last_return"]["actor_email"] == people["approbateur"]["email"]
    page = user.get(suite.gateway_url + f"/paniers/{bid}")
    assert page.status_code == 200 and "Ce panier vous a été retourné" in page.text
    assert "douze suffisent" in page.text
    # mailed: the Approbateur that it waited for them, the Utilisateur that it came back
    waited = told(smtp, people["approbateur"]["email"], "Panier à valider", bid)
    assert people["utilisateur"]["email"] in waited
    returned = told(smtp, people["utilisateur"]["email"], "Panier retourné", bid)
    assert comment in returned and "Vous pouvez le modifier" in returned

    # fixed and sent again; the Approbateur unlocks, looks, locks and transmits it
    r = user.put(url(suite, f"/baskets/{bid}/lines/{WESTERN}"), json={"quantity": 12})
    assert r.status_code == 200, r.text
    quantities["western"] = 12
    assert user.post(url(suite, f"/baskets/{bid}/submission"), json={}).status_code == 200
    assert approver.post(url(suite, f"/baskets/{bid}/unlock"), json={}).status_code == 200
    assert approver.post(url(suite, f"/baskets/{bid}/lock"), json={}).status_code == 200
    r = approver.post(url(suite, f"/baskets/{bid}/submission"), json={})
    assert r.status_code == 200 and r.json()["state"] == "at_collectivity", r.text
    assert "à valider par la collectivité" in told(smtp, people["collectivite"]["email"],
                                                   "Panier à valider", bid)

    # the Collectivité transforms it into an order with its reference
    at_coll = coll.get(url(suite, f"/baskets/{bid}")).json()
    assert "transform" in at_coll["actions"]
    assert at_coll["action_labels"]["transform_order"] == "Transformer ce panier en commande"
    assert at_coll["client"]["name"] == "ECOLE JULES FERRY"
    r = coll.post(url(suite, f"/baskets/{bid}/transformation"),
                  json={"kind": "order", "reference": ""})
    assert r.status_code == 400, r.text  # the Référence collectivité is required
    r = coll.post(url(suite, f"/baskets/{bid}/transformation"),
                  json={"kind": "order", "reference": "123456",
                        "comment": "Livraison au CDI, merci."})
    assert r.status_code == 200, r.text
    order = r.json()
    expected = [expected_line(articles[k], q) for k, q in quantities.items()]
    totals = pricing.totals(expected)
    assert (order["kind"], order["reference"], order["status_label"], order["client_name"]) == \
        ("order", "123456", "En attente de traitement", "ECOLE JULES FERRY")
    assert order["totals"] == {k: v for k, v in totals_view(totals).items()
                               if k in order["totals"]}
    assert order["total_ttc"] == str(totals.total_ttc)
    assert order["basket_creator_email"] == people["utilisateur"]["email"]
    assert order["detail_url"].endswith(f"/mes-commandes-collectivite/{order['number']}")
    n = order["number"]
    done = user.get(url(suite, f"/baskets/{bid}")).json()
    assert done["state"] == "transformed" and done["document"] == {"kind": "order", "number": n}
    assert done["actions"] == []
    assert coll.post(url(suite, f"/baskets/{bid}/transformation"),
                     json={"kind": "order", "reference": "123456"}).status_code == 409

    # every account of the client sees it; the mails to the one who placed it and its creator
    for who in ("utilisateur", "approbateur", "collectivite"):
        r = s[who].get(url(suite, f"/documents/order/{n}"))
        assert r.status_code == 200 and r.json()["reference"] == "123456", who
    assert n in [d["number"] for d in user.get(url(suite, "/documents/order")).json()]
    for address in (people["collectivite"]["email"], people["utilisateur"]["email"]):
        smtp.wait_for(address, subject_contains=f"Commande collectivité n° {n} enregistrée")
    page = coll.get(suite.gateway_url + f"/mes-commandes-collectivite/{n}")
    assert page.status_code == 200 and "123456" in page.text
    state.update(basket_id=bid, order=n, order_total=str(totals.total_ttc))


def librisoft_order(suite, demo_feeds, source_kind, number):
    """The bridge's classic order made from a quote or collectivity order, or None while the
    bridge has not made it yet. The bridge's webservice not answering 200 is a failure."""
    r = requests.get(f"{suite.bridge_url}/librisoft/v1/orders",
                     params={"status": "all", "source_kind": source_kind, "per_page": 200},
                     headers={"X-Api-Key": demo_feeds}, timeout=10)
    assert r.status_code == 200, f"GET /librisoft/v1/orders answered {r.status_code}: {r.text}"
    found = [o for o in r.json()["orders"] if o.get("source_kind") == source_kind
             and str(o.get("source_number")) == str(number)]
    return found[0] if found else None


def picked_up(suite, demo_feeds, source_kind, number, timeout=60):
    """The bridge's classic order for the document; a timeout FAILS the test (never a skip):
    the librisoft_bridge consumer of the event must have offered it to Librisoft."""
    event = "quote_requested" if source_kind == "quote" else "collectivity_order_placed"
    return wait_until(lambda: librisoft_order(suite, demo_feeds, source_kind, number),
                      timeout=timeout,
                      message=f"the librisoft_bridge consumer of {event} events to offer "
                              f"{source_kind} {number} on GET /librisoft/v1/orders")


def test_librisoft_picks_the_order_up(suite, s, demo_feeds, state):
    assert "order" in state, "the chain test did not get as far as the order"
    n = state["order"]
    order = picked_up(suite, demo_feeds, "collectivity_order", n)
    assert order["total_ttc"] == state["order_total"]
    assert order["client_number"] == "16"
    # the export multiplies out too: 13.56 × 12 = 162.72 (once 162.71)
    western = next(line for line in order["lines"] if line["ean"] == WESTERN)
    assert (western["quantity"], western["unit_price_ttc"], western["total_ttc"]) == \
        (12, "13.56", "162.72")
    for line in order["lines"]:
        assert Decimal(line["unit_price_ttc"]) * line["quantity"] == \
            Decimal(line["total_ttc"]), line["title"]
        assert Decimal(line["total_ht"]) + Decimal(line["vat_amount"]) == \
            Decimal(line["total_ttc"])
    key = {"X-Api-Key": demo_feeds}
    base = f"{suite.bridge_url}/librisoft/v1/orders/{order['number']}"
    assert requests.post(base + "/ack", headers=key, timeout=10).status_code == 200
    r = requests.post(base + "/status", headers=key, timeout=10,
                      json={"librisoft_number": "L-123456", "status": "Préparation commande"})
    assert r.status_code == 200, r.text
    admin = s["admin"]
    doc = wait_until(lambda: (lambda d: d if d["librisoft_number"] == "L-123456" else None)(
        admin.get(url(suite, f"/admin/orders/{n}")).json()), message="Librisoft's number")
    assert doc["status_label"] == "En cours de traitement"
    listed = admin.get(url(suite, "/admin/orders"),
                       params={"tab": "processing", "number": "L-123456"}).json()
    assert [o["number"] for o in listed["orders"]] == [n]


def test_the_bookshop_ships_and_closes_the_order(suite, s, people, smtp, state):
    assert "order" in state, "the chain test did not get as far as the order"
    n, admin = state["order"], s["admin"]
    doc = admin.get(url(suite, f"/admin/orders/{n}")).json()
    tab = doc["status"]
    listed = admin.get(url(suite, "/admin/orders"),
                       params={"tab": tab, "eans": f"{CEMETERY},{WESTERN}"}).json()
    assert n in [o["number"] for o in listed["orders"]]
    assert [t["label"] for t in listed["tabs"]] == \
        ["En attente de traitement", "En cours de traitement", "Clôturée", "Annulée"]
    none = admin.get(url(suite, "/admin/orders"), params={"tab": tab, "eans": "0000000000000"})
    assert n not in [o["number"] for o in none.json()["orders"]]
    r = admin.post(url(suite, f"/admin/orders/{n}/cancelled"), json={})
    assert r.status_code == 400, r.text  # a cancellation needs its reason
    r = admin.post(url(suite, f"/admin/orders/{n}/shipped"), json={})
    assert r.status_code == 200 and r.json()["shipped_at"], r.text
    smtp.wait_for(people["collectivite"]["email"], subject_contains=f"Votre commande n° {n}")
    r = admin.post(url(suite, f"/admin/orders/{n}/messages"),
                   json={"message": "Le carton part demain matin."})
    assert r.status_code == 201, r.text
    smtp.wait_for(people["collectivite"]["email"],
                  subject_contains="au sujet de votre")
    r = admin.post(url(suite, f"/admin/orders/{n}/closed"), json={})
    assert r.status_code == 200 and r.json()["status_label"] == "Clôturée", r.text
    smtp.wait_for(people["collectivite"]["email"], count=2,
                  subject_contains=f"Votre commande n° {n}")
    closed = admin.get(url(suite, "/admin/orders"), params={"tab": "closed"}).json()
    assert n in [o["number"] for o in closed["orders"]]
    mine = s["collectivite"].get(url(suite, f"/documents/order/{n}")).json()
    assert mine["status_label"] == "Clôturée"
    assert mine["messages"][-1]["message"] == "Le carton part demain matin."
    page = admin.get(suite.gateway_url + f"/admin/commandes-collectivite/{n}")
    assert page.status_code == 200 and "Réinitialiser le statut" in page.text


def test_a_quote_request_picked_up_and_archived(suite, s, people, demo_feeds, smtp, state):
    coll, admin = s["collectivite"], s["admin"]
    bid = coll.post(url(suite, "/baskets"), json={"name": "Devis rentrée"}).json()["id"]
    assert coll.post(url(suite, f"/baskets/{bid}/lines"),
                     json={"ean": CEMETERY, "quantity": 10}).status_code == 201
    basket = coll.get(url(suite, f"/baskets/{bid}")).json()
    assert basket["action_labels"]["transform_quote"] == \
        "Transformer ce panier en demande de devis"
    r = coll.post(url(suite, f"/baskets/{bid}/transformation"),
                  json={"kind": "quote", "reference": "DEVIS-RENTREE-2026"})
    assert r.status_code == 200, r.text
    quote = r.json()
    q = quote["number"]
    x = pricing.line(CEMETERY, "CEMETERY ROAD", 10, Decimal("25.00"), "5.5", False, DISCOUNTS)
    assert (quote["total_ttc"], quote["status_label"]) == \
        (str(x.total_ttc), "Devis en attente de traitement")
    assert quote["total_ttc"] == "227.50"
    smtp.wait_for(people["collectivite"]["email"],
                  subject_contains=f"Demande de devis n° {q} enregistrée")
    state["quote"] = q

    found = admin.get(url(suite, "/admin/quotes"), params={"search": "RENTREE-2026"}).json()
    assert [d["number"] for d in found["quotes"]] == [q]
    row = found["quotes"][0]
    assert (row["basket_id"], row["basket_name"], row["list_action"]) == \
        (bid, "Devis rentrée", "archive")
    page = admin.get(suite.gateway_url + "/admin/devis-collectivite")
    assert page.status_code == 200 and f"Panier d'origine n°&nbsp;{bid} (Devis rentrée)" in page.text

    r = admin.post(url(suite, f"/admin/quotes/{q}/messages"),
                   json={"message": "Votre devis est en préparation."})
    assert r.status_code == 201, r.text
    smtp.wait_for(people["collectivite"]["email"], subject_contains=f"n° {q}")

    order = picked_up(suite, demo_feeds, "quote", q)
    key = {"X-Api-Key": demo_feeds}
    base = f"{suite.bridge_url}/librisoft/v1/orders/{order['number']}"
    assert requests.post(base + "/ack", headers=key, timeout=10).status_code == 200
    wait_until(lambda: admin.get(url(suite, f"/admin/quotes/{q}")).json()["status_label"]
               == "Devis récupéré par le libraire", timeout=60, message="the quote picked up")

    counts = admin.get(url(suite, "/admin/quotes")).json()["counts"]
    r = admin.post(url(suite, f"/admin/quotes/{q}/archive"), json={})
    assert r.status_code == 200 and r.json()["archived"], r.text
    assert admin.post(url(suite, f"/admin/quotes/{q}/archive"), json={}).status_code == 409
    after = admin.get(url(suite, "/admin/quotes"), params={"archived": "true"}).json()
    assert q in [d["number"] for d in after["quotes"]]
    assert after["counts"]["archived"] == counts["archived"] + 1
    assert coll.get(url(suite, f"/documents/quote/{q}")).json()["archived"]

    # « Commander ce devis » over the API: a new basket of its lines at today's prices, once
    # per key; another collectivity's quote is not found
    r = coll.post(url(suite, f"/documents/quote/{q}/basket"), json={},
                  headers={"Idempotency-Key": f"reorder-{q}"})
    assert r.status_code == 201, r.text
    again = coll.post(url(suite, f"/documents/quote/{q}/basket"), json={},
                      headers={"Idempotency-Key": f"reorder-{q}"})
    assert again.json()["id"] == r.json()["id"]
    made = r.json()
    assert made["id"] != bid and made["state"] == "draft" and made["skipped"] == []
    assert [(x["ean"], x["quantity"]) for x in made["lines"]] == [(CEMETERY, 10)]
    assert made["totals"]["total_ttc"] == "227.50"
    assert s["other"].post(url(suite, f"/documents/quote/{q}/basket"),
                           json={}).status_code == 404


def test_another_collectivity_can_neither_see_nor_act(suite, s, state):
    assert {"basket_id", "order"} <= set(state), "the chain test did not finish"
    other = s["other"]
    bid, n = state["basket_id"], state["order"]
    # a fresh draft of the first collectivity too, so that edits would be possible at all
    draft = s["utilisateur"].post(url(suite, "/baskets"), json={"name": "Brouillon"}).json()
    s["utilisateur"].post(url(suite, f"/baskets/{draft['id']}/lines"),
                          json={"ean": CEMETERY, "quantity": 1})
    for basket in (bid, draft["id"]):
        calls = [("get", f"/baskets/{basket}", None),
                 ("put", f"/baskets/{basket}", {"name": "Pris"}),
                 ("delete", f"/baskets/{basket}", None),
                 ("post", f"/baskets/{basket}/lines", {"ean": WESTERN, "quantity": 1}),
                 ("put", f"/baskets/{basket}/lines/{CEMETERY}", {"quantity": 5}),
                 ("delete", f"/baskets/{basket}/lines/{CEMETERY}", None),
                 ("post", f"/baskets/{basket}/submission", {}),
                 ("post", f"/baskets/{basket}/unlock", {}),
                 ("post", f"/baskets/{basket}/lock", {}),
                 ("post", f"/baskets/{basket}/return", {"comment": "non"}),
                 ("post", f"/baskets/{basket}/transformation",
                  {"kind": "order", "reference": "VOL"})]
        for method, path, body in calls:
            r = getattr(other, method)(url(suite, path),
                                       **({"json": body} if body is not None else {}))
            assert r.status_code in (403, 404), (method, path, r.status_code, r.text)
    assert s["utilisateur"].get(url(suite, f"/baskets/{draft['id']}")).json()["lines"][0][
        "quantity"] == 1
    assert other.get(url(suite, f"/documents/order/{n}")).status_code == 404
    assert n not in [d["number"] for d in other.get(url(suite, "/documents/order")).json()]
    if "quote" in state:
        assert other.get(url(suite, f"/documents/quote/{state['quote']}")).status_code == 404
    assert bid not in [b["id"] for b in other.get(url(suite, "/baskets"),
                                                  params={"view": "validated"}).json()]
    # the pages too
    for path in (f"/paniers/{bid}", f"/paniers/{draft['id']}",
                 f"/paniers/{draft['id']}/transformer/commande",
                 f"/mes-commandes-collectivite/{n}"):
        assert other.get(suite.gateway_url + path).status_code in (403, 404), path
    token = csrf_token(other, suite.gateway_url + "/paniers")
    r = other.post(suite.gateway_url + f"/paniers/{draft['id']}/lignes", allow_redirects=False,
                   data={"csrf_token": token, "ean": WESTERN, "quantity": "3"})
    assert r.status_code in (403, 404)
    # and the bookshop's routes are the bookshop's
    assert other.get(url(suite, "/admin/orders")).status_code == 403
    assert other.post(url(suite, f"/admin/orders/{n}/reset"), json={}).status_code == 403
