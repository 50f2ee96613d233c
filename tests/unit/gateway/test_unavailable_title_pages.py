"""A title becomes unavailable (issue 10, K3) on the grouped order's pages: the bookshop's form
per title, its confirmation, a bad quantity refused in French (400, nothing asked), the
adjusted lines in red with before → after on the bookshop's and the initiator's pages until
« J'ai vérifié »."""
import html

from services.common.errors import DomainError
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

URL = "/admin/commandes-groupees/7/titres/1/disponibles"
LINES = [{"sub_order_number": 31, "title_id": 1, "title": "WESTERN COQUILLETTES",
          "ean": samples.ARTICLE["ean"], "buyer": "Ana Lys", "before": 2, "after": 1,
          "refunded": "14.90", "to_give_back": "0.00", "cancelled": False,
          "refund_state": "requested", "unchecked": True},
         {"sub_order_number": 32, "title_id": 1, "title": "WESTERN COQUILLETTES",
          "ean": samples.ARTICLE["ean"], "buyer": "Léo Roux", "before": 1, "after": 0,
          "refunded": "0.00", "to_give_back": "14.90", "cancelled": True,
          "refund_state": None, "unchecked": True}]


PREVIEW = {"title": "WESTERN COQUILLETTES", "ordered": 6, "available": 2, "unchanged": False,
           "changes": [{"sub_order_number": 31, "buyer": "Ana Lys", "before": 2, "after": 1,
                        "paid": True},
                       {"sub_order_number": 32, "buyer": "Léo Roux", "before": 1, "after": 0,
                        "paid": False}]}


def adjustments(lines=(), unchecked=True, can_adjust=True, available=None):
    return {"number": 7, "status": "awaiting_validation", "can_adjust": can_adjust,
            "titles": [{"title_id": 1, "ean": samples.ARTICLE["ean"],
                        "title": "WESTERN COQUILLETTES", "available": available,
                        "adjusted_at": None, "checked_at": None}],
            "lines": [dict(x, unchecked=unchecked) for x in lines], "unchecked": unchecked}


def test_the_bookshop_sees_a_form_per_title_and_the_adjusted_lines_in_red(client, rpc):
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped("awaiting_validation")
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments(LINES, available=1)
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert 'id="indisponibles">Titres indisponibles' in page
    assert "Exemplaires disponibles de « WESTERN COQUILLETTES » " in page
    assert "(actuellement 1)" in page and f'action="{URL}"' in page
    assert page.count('class="adjusted-line"') == 2
    assert "2 → 1" in page and "14,90\xa0€ remboursés" in page and "(en cours)" in page
    assert "1 → 0" in page and "(sous-commande annulée)" in page
    assert "14,90\xa0€ à rendre (chèque ou espèces)" in page
    assert "J'ai vérifié</button>" in page
    # checked: no longer red, no button
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments(LINES, unchecked=False,
                                                                       can_adjust=False)
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert 'class="adjusted-line"' not in page and "J'ai vérifié" not in page and "2 → 1" in page
    assert "Exemplaires disponibles de" not in page


def test_the_initiator_sees_the_red_lines_but_no_form(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        "awaiting_validation")
    rpc.answers[("grouped_orders", "my_adjustments")] = adjustments(LINES)
    page = html.unescape(client.get("/commandes-groupees/7").text)
    assert page.count('class="adjusted-line"') == 2 and "La librairie les vérifie." in page
    assert "Exemplaires disponibles de" not in page and "J'ai vérifié" not in page
    assert rpc.called("grouped_orders", "my_adjustments") == [(2, 7)]


def test_a_cut_is_confirmed_first_then_asked_once(client, rpc):
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments()
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = PREVIEW
    rpc.answers[("grouped_orders", "admin_set_title_available")] = adjustments(LINES)
    r = client.post(URL, data={"available": "2"})
    page = html.unescape(r.text)
    assert r.status_code == 200 and "premier inscrit, premier servi" in page
    assert 'name="available" value="2"' in page
    assert rpc.called("grouped_orders", "admin_set_title_available") == []
    r = client.post(URL, data={"available": "2", "confirmed": "1", "idempotency_key": "k" * 32})
    assert r.status_code == 302 and r.headers["Location"].endswith(
        "/admin/commandes-groupees/7#indisponibles")
    assert rpc.called("grouped_orders", "admin_set_title_available") == [(1, 7, 1, "2")]


def test_a_bad_quantity_is_refused_in_french_and_nothing_changes(client, rpc):
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments()
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = PREVIEW
    r = client.post(URL, data={"available": "", "confirmed": "1"})
    assert r.status_code == 400 and "Indiquez le nombre d'exemplaires disponibles." in \
        html.unescape(r.text)
    # not a number of copies: no confirmation asked (it asked to confirm « -1 exemplaire »,
    # « Abc exemplaire » and was refused only once confirmed)
    for typed in ("-1", "abc", "2.5", "1e3"):
        r = client.post(URL, data={"available": typed})
        page = html.unescape(r.text)
        assert r.status_code == 400, typed
        assert "un nombre entier positif ou nul" in page and "Nombre entier, 0 ou plus." in page
        assert "Corriger les commandes et rembourser" not in page
        assert f"{typed.capitalize()} exemplaire" not in page
    r = client.post(URL, data={"available": "+3"})
    assert r.status_code == 200 and 'name="available" value="3"' in r.text
    assert rpc.called("grouped_orders", "admin_set_title_available") == []
    rpc.answers[("grouped_orders", "admin_set_title_available")] = DomainError(
        "La quantité disponible (5) doit être inférieure aux exemplaires commandés "
        "(5) : sinon il n'y a rien à corriger.", {"available": ["Moins de 5."]})
    r = client.post(URL, data={"available": "5", "confirmed": "1"})
    assert r.status_code == 400
    assert "doit être inférieure aux exemplaires commandés (5)" in html.unescape(r.text)
    assert client.post("/admin/commandes-groupees/7/titres/9/disponibles",
                       data={"available": "1"}).status_code == 404


def test_i_checked_is_the_bookshops_own(client, rpc):
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_confirm_adjustments")] = adjustments(unchecked=False)
    r = client.post("/admin/commandes-groupees/7/ajustements/verifies")
    assert r.status_code == 302
    assert rpc.called("grouped_orders", "admin_confirm_adjustments") == [(1, 7)]
    sign_in(client, "collectivite")
    assert client.post("/admin/commandes-groupees/7/ajustements/verifies").status_code in (
        403, 404)


def test_the_confirmation_agrees_with_the_number_of_copies(client, rpc):
    """« 1 exemplaire de « … » iront aux acheteurs », « Aucun exemplaire … iront »: the verb
    agrees, and none at all says every order of the title is cut."""
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments()
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = PREVIEW

    def said(available):
        return html.unescape(client.post(URL, data={"available": available}).text)
    assert "1 exemplaire de « WESTERN COQUILLETTES » ira aux acheteurs dans l'ordre" in said("1")
    assert "3 exemplaires de « WESTERN COQUILLETTES » iront aux acheteurs" in said("3")
    none = said("0")
    assert "Aucun exemplaire de « WESTERN COQUILLETTES » ne sera servi : toutes les commandes " \
           "de ce titre sont réduites ou annulées" in none and "iront" not in none
    assert "ce que leurs acheteurs ont payé en trop leur est remboursé" in none


def test_the_confirmation_names_the_copies_ordered_and_each_buyer_cut(client, rpc):
    """It asked to confirm a « définitive » cut without saying how many copies were ordered
    nor whose orders went down, and asked it too of 99 copies for 6 ordered (refused only
    once confirmed)."""
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_adjustments")] = adjustments()
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = PREVIEW
    page = html.unescape(client.post(URL, data={"available": "2"}).text)
    assert "6 exemplaires commandés aujourd'hui." in page
    assert "<li>Ana Lys (n° 31, payée) : 2 → 1</li>" in page
    assert "<li>Léo Roux (n° 32, non payée) : 1 → 0</li>" in page
    assert rpc.called("grouped_orders", "admin_preview_title_available") == [(1, 7, 1, "2")]
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = DomainError(
        "La quantité disponible (99) doit être inférieure aux exemplaires commandés (6) : "
        "sinon il n'y a rien à corriger.", {"available": ["Moins de 6."]})
    r = client.post(URL, data={"available": "99"})
    page = html.unescape(r.text)
    assert r.status_code == 400 and "inférieure aux exemplaires commandés (6)" in page
    assert "Corriger les commandes et rembourser" not in page
    rpc.answers[("grouped_orders", "admin_preview_title_available")] = dict(
        PREVIEW, unchanged=True, available=2, changes=[])
    r = client.post(URL, data={"available": "2"}, follow_redirects=True)
    assert "a déjà 2 exemplaires disponibles : rien à corriger" in html.unescape(r.text)
    assert rpc.called("grouped_orders", "admin_set_title_available") == []
