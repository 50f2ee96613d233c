"""Baskets use cases on a real (SQLite) database with the clock in hand: prices of the
reference's basket to the cent, lines and quantities, the approval chain with a return and its
comment, what each role sees, and that another collectivity sees and does nothing."""
from datetime import timedelta
from decimal import Decimal

import pytest

from services.baskets.use_cases import baskets
from services.common.errors import DomainError

from .conftest import (APPROVER, ARTICLES, BOTH, CEMETERY, COLLECTIVITY, FERRY, NOTEBOOK, NOW,
                       OTHER, PRESS, PROUVE, SCHOOL, URL, USER, USER2, WESTERN, tx)


def new_basket(db, account=USER, client=FERRY, name="Mon panier", lines=()):
    basket = tx(db, baskets.create, account, client, name, NOW)
    for article, quantity in lines:
        basket = tx(db, baskets.add_line, account, basket["id"], article, quantity, NOW, client)
    return basket


def by_ean(view):
    return {x["ean"]: x for x in view["lines"]}


def test_the_cemetery_road_line_of_the_reference_to_the_cent(db):
    view = new_basket(db, lines=[(CEMETERY, 1)])
    (line,) = view["lines"]
    assert {k: line[k] for k in ("ean", "title", "quantity", "public_price_ht",
                                 "public_price_ttc", "discount_percent", "discount_amount",
                                 "unit_price_ttc", "total_ttc")} == {
        "ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 1,
        "public_price_ht": "23.70", "public_price_ttc": "25.00", "discount_percent": "9.00",
        "discount_amount": "2.25", "unit_price_ttc": "22.75", "total_ttc": "22.75"}
    assert (line["total_ht"], line["vat_amount"], line["author"]) == ("21.56", "1.19",
                                                                      "ILES GREG")
    assert view["totals"] == {"discount_total": "2.25", "subtotal_ht": "21.56",
                              "vat_total": "1.19", "subtotal_ttc": "22.75",
                              "total_ttc": "22.75"}


def test_each_vat_rate_and_a_school_book_to_the_cent(db):
    view = new_basket(db, lines=[(CEMETERY, 1), (WESTERN, 2), (PRESS, 3), (NOTEBOOK, 4),
                                 (SCHOOL, 2)])
    lines = by_ean(view)
    expected = {  # public TTC, discount %, discount, TTC, HT, VAT
        CEMETERY["ean"]: ("25.00", "9.00", "2.25", "22.75", "21.56", "1.19"),
        WESTERN["ean"]: ("14.90", "9.00", "2.68", "27.12", "25.71", "1.41"),   # 2.682
        PRESS["ean"]: ("5.90", "0.00", "0.00", "17.70", "17.34", "0.36"),
        NOTEBOOK["ean"]: ("3.50", "0.00", "0.00", "14.00", "11.67", "2.33"),
        SCHOOL["ean"]: ("19.50", "0.00", "0.00", "39.00", "36.97", "2.03"),     # school: 0 %
    }
    for ean, values in expected.items():
        x = lines[ean]
        assert (x["public_price_ttc"], x["discount_percent"], x["discount_amount"],
                x["total_ttc"], x["total_ht"], x["vat_amount"]) == values, x["title"]
    assert view["totals"] == {"discount_total": "4.93", "subtotal_ht": "113.25",
                              "vat_total": "7.32", "subtotal_ttc": "120.57",
                              "total_ttc": "120.57"}
    assert (view["line_count"], view["article_count"]) == (5, 12)


def test_a_client_with_discounts_at_every_rate_and_the_lang_law_cap(db):
    other = new_basket(db, OTHER, PROUVE, lines=[(WESTERN, 2), (PRESS, 3), (NOTEBOOK, 1),
                                                 (SCHOOL, 4)])
    lines = by_ean(other)
    assert (lines[WESTERN["ean"]]["discount_percent"],
            lines[WESTERN["ean"]]["lang_law_capped"]) == ("9.00", True)     # 12 % asked
    # 5.90 x 95 % = 5.605 -> 5.61 a copy, x 3 = 16.83: 0.87 off 17.70
    assert (lines[PRESS["ean"]]["unit_price_ttc"], lines[PRESS["ean"]]["total_ttc"],
            lines[PRESS["ean"]]["discount_amount"]) == ("5.61", "16.83", "0.87")
    assert (lines[NOTEBOOK["ean"]]["total_ttc"], lines[NOTEBOOK["ean"]]["total_ht"]) == \
        ("3.15", "2.63")                                   # 10 %; 3.15 / 1.2 = 2.625, half-up
    assert (lines[SCHOOL["ean"]]["discount_percent"], lines[SCHOOL["ean"]]["total_ttc"]) == \
        ("15.00", "66.32")                             # not capped; 16.575 -> 16.58, x 4
    assert other["lang_law_capped"] is True
    t = other["totals"]
    # HT 25.71 + 16.48 + 2.63 + 62.86, TVA 1.41 + 0.35 + 0.52 + 3.46
    assert (t["subtotal_ht"], t["vat_total"], t["total_ttc"], t["discount_total"]) == \
        ("107.68", "5.74", "113.42", "15.58")
    for x in lines.values():  # what is printed multiplies out
        assert Decimal(x["unit_price_ttc"]) * x["quantity"] == Decimal(x["total_ttc"])
    price = baskets.article_price(OTHER, PROUVE, WESTERN)
    assert (price["public_price_ttc"], price["price_ttc"], price["discount_percent"],
            price["lang_law_capped"], price["lang_law_warning"]) == (
        "14.90", "13.56", "9.00", True, True)


def test_lines_and_quantities_saved_on_every_change(db):
    basket = new_basket(db, lines=[(CEMETERY, 1)])
    view = tx(db, baskets.add_line, USER, basket["id"], CEMETERY, 2, NOW, FERRY)
    assert by_ean(view)[CEMETERY["ean"]]["quantity"] == 3          # added to, not doubled
    view = tx(db, baskets.set_quantity, USER, basket["id"], CEMETERY["ean"], 999, NOW, FERRY)
    assert view["totals"]["total_ttc"] == "22727.25"                # 24975.00 - 2247.75
    for bad in (0, 1000, "deux"):
        with pytest.raises(DomainError) as exc:
            tx(db, baskets.set_quantity, USER, basket["id"], CEMETERY["ean"], bad, NOW)
        assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.add_line, USER, basket["id"], CEMETERY, 1, NOW)   # 1000
    assert exc.value.code == "invalid"
    view = tx(db, baskets.add_line, USER, basket["id"], WESTERN, 1, NOW)
    view = tx(db, baskets.remove_line, USER, basket["id"], CEMETERY["ean"], NOW)
    assert [x["ean"] for x in view["lines"]] == [WESTERN["ean"]]
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.remove_line, USER, basket["id"], CEMETERY["ean"], NOW)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError):
        tx(db, baskets.add_line, USER, basket["id"], dict(PRESS, price_ttc=None), 1, NOW)
    assert tx(db, baskets.get, USER, basket["id"], NOW)["lines"] == view["lines"]


def test_the_chain_with_one_return_and_its_comment(db):
    basket = new_basket(db, name="CDI rentrée", lines=[(CEMETERY, 1)])
    bid = basket["id"]
    assert basket["actions"] == ["rename", "delete", "edit", "submit"]
    assert basket["action_labels"]["submit"] == "Envoyer ce panier à l'approbateur"
    later = NOW + timedelta(minutes=5)
    view = tx(db, baskets.submit, USER, bid, later)
    # sent, untouched: its creator may take it back (« Reprendre ce panier »)
    assert (view["state"], view["locked"], view["actions"]) == ("at_approver", True,
                                                                ["rename", "recall"])
    assert view["action_labels"]["recall"] == "Reprendre ce panier"
    assert [b["id"] for b in tx(db, baskets.to_validate, APPROVER)] == [bid]
    assert tx(db, baskets.to_validate, COLLECTIVITY) == []
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.add_line, USER, bid, WESTERN, 1, later)     # locked for its owner
    assert exc.value.code == "forbidden"
    view = tx(db, baskets.get, APPROVER, bid, later)
    assert view["actions"] == ["rename", "submit", "unlock", "return"]
    view = tx(db, baskets.return_, APPROVER, bid, "Le titre 2 est épuisé, changez-le.", later)
    assert (view["state"], view["locked"]) == ("draft", False)
    mine = tx(db, baskets.get, USER, bid, later)
    assert mine["last_return"]["comment"] == "Le titre 2 est épuisé, changez-le."
    assert mine["last_return"]["actor_email"] == APPROVER["email"]
    tx(db, baskets.add_line, USER, bid, WESTERN, 1, later)
    tx(db, baskets.submit, USER, bid, later)
    # the approbateur edits before passing it on
    tx(db, baskets.unlock, APPROVER, bid, later)
    tx(db, baskets.set_quantity, APPROVER, bid, WESTERN["ean"], 3, later)
    tx(db, baskets.rename, APPROVER, bid, "CDI rentrée 2021", later)
    view = tx(db, baskets.submit, APPROVER, bid, later)
    assert (view["state"], view["locked"], view["name"]) == ("at_collectivity", True,
                                                             "CDI rentrée 2021")
    assert view["last_return"] is None
    assert [b["id"] for b in tx(db, baskets.to_validate, COLLECTIVITY)] == [bid]
    assert [b["id"] for b in tx(db, baskets.validated, APPROVER)] == [bid]
    assert tx(db, baskets.to_validate, APPROVER) == []
    view = tx(db, baskets.get, COLLECTIVITY, bid, later)
    assert view["actions"] == ["rename", "unlock", "return", "transform"]
    assert [(h["action"], h["from_level"], h["to_level"], h["actor_email"])
            for h in view["history"]] == [
        ("created", 0, 0, USER["email"]), ("submit", 0, 1, USER["email"]),
        ("return", 1, 0, APPROVER["email"]), ("submit", 0, 1, USER["email"]),
        ("unlock", 1, 1, APPROVER["email"]), ("edited", 1, 1, APPROVER["email"]),
        ("renamed", 1, 1, APPROVER["email"]), ("submit", 1, 2, APPROVER["email"])]
    # the Approbateur's change is there for whoever sent it (their own draft's are not)
    assert view["history"][5]["comment"] == "« WESTERN COQUILLETTES » : quantité 1 → 3"
    assert view["history"][5]["action_label"] == "Panier modifié"
    assert view["history"][2]["comment"] == "Le titre 2 est épuisé, changez-le."
    assert view["history"][2]["at"] == later.isoformat()


def test_what_each_role_sees(db):
    draft = new_basket(db, name="Brouillon", lines=[(CEMETERY, 1)])
    sent = new_basket(db, name="Envoyé", lines=[(CEMETERY, 1)])
    tx(db, baskets.submit, USER, sent["id"], NOW)
    own = new_basket(db, APPROVER, name="Le mien", lines=[(WESTERN, 1)])
    assert [b["name"] for b in tx(db, baskets.list_mine, USER)] == ["Envoyé", "Brouillon"]
    assert [b["name"] for b in tx(db, baskets.list_mine, APPROVER)] == ["Le mien"]
    assert [b["name"] for b in tx(db, baskets.to_validate, APPROVER)] == ["Envoyé"]
    assert tx(db, baskets.list_mine, USER2) == []
    for account in (APPROVER, COLLECTIVITY, USER2):
        with pytest.raises(DomainError) as exc:
            tx(db, baskets.get, account, draft["id"], NOW)          # a draft is its owner's
        assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.to_validate, USER)
    assert exc.value.code == "forbidden"
    assert [(m["key"], m["label"], m["count"]) for m in tx(db, baskets.menus, APPROVER)] == [
        ("my_baskets", "Mon panier", 1), ("to_validate", "Paniers à valider", 1),
        ("sent_or_validated", "Paniers envoyés/validés par la collectivité", 0)]
    assert [m["key"] for m in tx(db, baskets.menus, USER)] == ["my_baskets"]
    assert [m["label"] for m in tx(db, baskets.menus, COLLECTIVITY)] == [
        "Mon panier", "Paniers à valider", "Paniers validés"]
    assert own["owner_role"] == "approbateur"


def test_another_collectivity_can_neither_see_nor_act(db):
    basket = new_basket(db, COLLECTIVITY, lines=[(CEMETERY, 1)])
    bid = basket["id"]
    calls = [(baskets.get, (NOW,)), (baskets.rename, ("Volé", NOW)), (baskets.delete, ()),
             (baskets.add_line, (WESTERN, 1, NOW)),
             (baskets.set_quantity, (CEMETERY["ean"], 2, NOW)),
             (baskets.remove_line, (CEMETERY["ean"], NOW)), (baskets.submit, (NOW,)),
             (baskets.unlock, (NOW,)), (baskets.return_, ("", NOW)),
             (baskets.pricing_targets, ())]
    for fn, args in calls:
        with pytest.raises(DomainError) as exc:
            tx(db, fn, OTHER, bid, *args)
        assert exc.value.code == "not_found", fn.__name__
    assert tx(db, baskets.list_mine, OTHER) == []
    assert tx(db, baskets.to_validate, OTHER) == [] and tx(db, baskets.validated, OTHER) == []
    assert tx(db, baskets.get, COLLECTIVITY, bid, NOW)["name"] == "Mon panier"
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.get, COLLECTIVITY, "../1", NOW)
    assert exc.value.code == "not_found"


def test_an_account_with_several_clients_chooses_the_one_it_buys_for(db):
    with pytest.raises(DomainError) as exc:
        baskets.client_of(BOTH, None)
    assert "client_number" in exc.value.details
    assert baskets.client_of(BOTH, "21") == "21" and baskets.client_of(USER, None) == "16"
    basket = new_basket(db, BOTH, PROUVE, lines=[(WESTERN, 1)])
    assert (basket["client_number"], basket["client_name"]) == ("21", "COLLEGE VICTOR PROUVE")
    assert basket["client"]["addresses"][1]["label"] == "Intendance"
    # the basket is the client's: the other client's accounts do not see it
    with pytest.raises(DomainError):
        tx(db, baskets.get, COLLECTIVITY, basket["id"], NOW)
    assert [b["client_number"] for b in tx(db, baskets.list_mine, BOTH)] == ["21"]


def test_rename_and_delete(db):
    basket = new_basket(db, lines=[(CEMETERY, 1)])
    bid = basket["id"]
    assert tx(db, baskets.rename, USER, bid, "  Sélection   CM2 ", NOW)["name"] == \
        "Sélection CM2"
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.rename, USER, bid, "x" * 101, NOW)
    assert exc.value.code == "invalid"
    for empty in ("", "   ", None):  # refused, not silently « Mon panier »
        with pytest.raises(DomainError) as exc:
            tx(db, baskets.rename, USER, bid, empty, NOW)
        assert exc.value.message == "Donnez un nom au panier."
    assert tx(db, baskets.get, USER, bid, NOW)["name"] == "Sélection CM2"
    tx(db, baskets.submit, USER, bid, NOW)
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.delete, USER, bid)
    assert exc.value.code == "conflict"
    tx(db, baskets.return_, APPROVER, bid, "", NOW)
    assert tx(db, baskets.delete, USER, bid) == {"deleted": bid}
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.get, USER, bid, NOW)
    assert exc.value.code == "not_found"


def test_article_snapshots_come_from_the_bridge_article(db):
    view = new_basket(db, lines=[(ARTICLES[SCHOOL["ean"]], 1)])
    (line,) = view["lines"]
    assert (line["school_book"], line["publisher"], line["author"]) == (True, "HATIER", "")


def test_whoever_a_basket_now_waits_for_is_told(db):
    """Sent to the approvers: they are told (basket_moved, validated against its contract);
    returned to the draft: its owner, with the comment; on to the collectivity: its accounts.
    Never the one who moved it, nobody for a lock, and no holder no event."""
    from services.common.contracts.events import load_envelope, make_envelope
    from tests.support.fakes import Events
    holders = {"approbateur": [APPROVER["email"], "adjoint@ecole-jules-ferry.test"],
               "collectivite": [COLLECTIVITY["email"]], "utilisateur": [USER["email"]]}
    bid = new_basket(db, name="CDI rentrée", lines=[(CEMETERY, 2)])["id"]
    events = Events()
    tx(db, baskets.submit, USER, bid, NOW, holders, events, URL)
    (sent,) = events.of("basket_moved")
    assert load_envelope("basket_moved", make_envelope("basket_moved", sent, "baskets"))
    assert (sent["action"], sent["to_level"], sent["by_email"], sent["to_emails"]) == \
        ("submitted", 1, USER["email"], [APPROVER["email"], "adjoint@ecole-jules-ferry.test"])
    assert (sent["basket_name"], sent["client_name"], sent["lines"], sent["copies"],
            sent["total_ttc"]) == ("CDI rentrée", "ECOLE JULES FERRY", 1, 2, "45.50")
    assert sent["detail_url"] == f"{URL}/paniers/{bid}"
    tx(db, baskets.unlock, APPROVER, bid, NOW)                   # no move: nobody told
    tx(db, baskets.lock, APPROVER, bid, NOW)
    assert len(events.of("basket_moved")) == 1
    tx(db, baskets.return_, APPROVER, bid, "Un seul exemplaire.", NOW, holders, events, URL)
    back = events.of("basket_moved")[-1]
    assert (back["action"], back["to_level"], back["to_emails"], back["comment"]) == \
        ("returned", 0, [USER["email"]], "Un seul exemplaire.")
    tx(db, baskets.submit, USER, bid, NOW, holders, events, URL)
    # an approver passing it on: the collectivity accounts, not the approver himself
    tx(db, baskets.submit, APPROVER, bid, NOW, dict(holders, collectivite=[
        COLLECTIVITY["email"], APPROVER["email"]]), events, URL)
    assert events.of("basket_moved")[-1]["to_emails"] == [COLLECTIVITY["email"]]
    assert len(events.of("basket_moved")) == 4


def test_a_basket_is_never_sent_where_nobody_can_take_it(db):
    """A client without an active Approbateur (none created, or deactivated): « Envoyer » is
    refused in French and the basket stays the Utilisateur's draft, not locked away from all;
    the same for a Collectivité level without an account."""
    from tests.support.fakes import Events
    events = Events()
    bid = new_basket(db, lines=[(CEMETERY, 1)])["id"]
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.submit, USER, bid, NOW, {"collectivite": [COLLECTIVITY["email"]]},
           events, URL)
    assert exc.value.code == "conflict"
    assert "Aucun compte approbateur actif n'est rattaché à ECOLE JULES FERRY" in \
        exc.value.message
    view = tx(db, baskets.get, USER, bid, NOW)
    assert (view["state"], view["locked"]) == ("draft", False) and events == []
    tx(db, baskets.submit, USER, bid, NOW, {"approbateur": [APPROVER["email"]]}, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.submit, APPROVER, bid, NOW, {"approbateur": [APPROVER["email"]]},
           events, URL)
    assert "Aucun compte collectivité actif" in exc.value.message
    assert tx(db, baskets.get, APPROVER, bid, NOW)["state"] == "at_approver"


def test_an_out_of_print_or_forthcoming_article_is_flagged_on_its_line(db):
    """Articles « Épuisé » or « À paraître » in the catalogue were ordered with no word of it:
    the basket re-priced from the current articles says so on their lines and in one list the
    order's review page shows."""
    basket = tx(db, baskets.create, USER, FERRY, "CDI", NOW)
    for article in (CEMETERY, WESTERN, NOTEBOOK):
        tx(db, baskets.add_line, USER, basket["id"], article, 1, NOW, FERRY)
    articles = {CEMETERY["ean"]: dict(CEMETERY, availability="epuise"),
                WESTERN["ean"]: dict(WESTERN, availability="a_paraitre"),
                NOTEBOOK["ean"]: dict(NOTEBOOK, availability="disponible")}
    view = tx(db, baskets.get, USER, basket["id"], NOW, FERRY, articles)
    flags = {x["ean"]: x["availability_warning"] for x in view["lines"]}
    assert flags == {CEMETERY["ean"]: "Épuisé", WESTERN["ean"]: "À paraître",
                     NOTEBOOK["ean"]: ""}
    assert [(w["ean"], w["label"]) for w in view["availability_warnings"]] == [
        (CEMETERY["ean"], "Épuisé"), (WESTERN["ean"], "À paraître")]
    # without the current articles (a transformed basket, frozen) nothing is claimed
    assert tx(db, baskets.get, USER, basket["id"], NOW)["availability_warnings"] == []


def test_its_creator_takes_back_a_basket_sent_a_moment_ago(db):
    """A line forgotten: the Utilisateur could not take back the basket just sent (« Ce panier
    n'est pas entre vos mains »); now « Reprendre ce panier » while it waits untouched, once
    (a double click: the second is a conflict); not once the Approbateur opened it."""
    bid = new_basket(db, name="CM2", lines=[(CEMETERY, 1)])["id"]
    tx(db, baskets.submit, USER, bid, NOW)
    back = tx(db, baskets.recall, USER, bid, NOW + timedelta(minutes=1))
    assert (back["state"], back["locked"], "edit" in back["actions"]) == ("draft", False, True)
    assert back["history"][-1]["action"] == "recall"
    assert tx(db, baskets.to_validate, APPROVER) == []
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.recall, USER, bid, NOW + timedelta(minutes=2))
    assert exc.value.code == "conflict"
    tx(db, baskets.submit, USER, bid, NOW + timedelta(minutes=3))
    tx(db, baskets.unlock, APPROVER, bid, NOW + timedelta(minutes=4))  # being changed
    with pytest.raises(DomainError) as exc:
        tx(db, baskets.recall, USER, bid, NOW + timedelta(minutes=5))
    assert exc.value.code == "conflict" and "demandez-lui de vous le retourner" in \
        exc.value.message
