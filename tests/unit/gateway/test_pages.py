"""The pages of the bookshop, the teacher and the collectivities (issue 8 §5 and §6)."""
import html
import re

import pytest

from services.common.errors import DomainError, conflict
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in


def paid(number, name, status="paid"):
    return {"number": number, "first_name": name, "last_name": "Lys", "email": f"{name}@x.fr",
            "quantity": 2, "unit_price": "14.90", "total": "29.80", "status": status,
            "status_label": {"paid": "Payée", "awaiting_payment": "En attente de paiement"}[
                status], "created_at": "2026-12-06T10:00:00+00:00", "paid_manually": False,
            "refund_label": "", "last_payment_state": None}


# -- confirmation of the irreversible actions ---------------------------------------------------
@pytest.mark.parametrize("url,form,method", [
    ("/admin/commandes-groupees/7/annuler", {"reason": "Épuisé"}, "cancel_grouped_order"),
    ("/admin/sous-commandes/31/annuler", {"grouped_order": "7"}, "admin_cancel_sub_order"),
    ("/admin/commandes-groupees/7/clore", {}, "close_subscriptions_now"),
    ("/admin/commandes-collectivite/12/cancelled", {"reason": "Épuisé"}, "admin_order_action"),
    ("/admin/commandes-collectivite/12/closed", {}, "admin_order_action"),
    # « Réinitialiser le statut » reopened a closed order on one click (an outside tester)
    ("/admin/commandes-collectivite/12/reset", {}, "admin_order_action"),
])
def test_an_irreversible_action_asks_for_confirmation_first(client, rpc, url, form, method):
    """Issue 8 §5: these ran on one click."""
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        subs=[paid(31, "Ana")])
    rpc.answers[("grouped_orders", method)] = samples.grouped()
    rpc.answers[("baskets", method)] = {}
    sign_in(client, "admin")
    first = client.post(url, data=form)
    # a closed collectivity order can be reset, a grouped order closed early reopened by its
    # initiator: their confirmations do not say « définitive »
    final = not url.endswith(("/closed", "/reset", "/clore"))
    assert first.status_code == 200 and ("Cette action est définitive" in first.text) == final
    assert 'name="confirmed" value="1"' in first.text
    assert rpc.called("grouped_orders", method) == rpc.called("baskets", method) == []
    confirmed = client.post(url, data=dict(form, confirmed="1"))
    assert confirmed.status_code == 302
    assert len(rpc.called("grouped_orders", method) + rpc.called("baskets", method)) == 1


def test_cancelling_a_paid_sub_order_says_who_is_refunded_and_takes_a_reason(client, rpc):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[paid(31, "Ana")])
    rpc.answers[("grouped_orders", "admin_cancel_sub_order")] = samples.grouped()
    sign_in(client, "admin")
    page = html.unescape(client.post("/admin/sous-commandes/31/annuler",
                                     data={"grouped_order": "7"}).text)
    assert "29,80\xa0€ seront remboursés à Ana Lys (Ana@x.fr)" in page
    assert "Motif (envoyé à l'acheteur par e-mail)" in page
    client.post("/admin/sous-commandes/31/annuler",
                data={"grouped_order": "7", "confirmed": "1", "reason": "Doublon"})
    assert rpc.called("grouped_orders", "admin_cancel_sub_order") == [(1, 31, "Doublon")]


def test_cancelling_a_sub_order_its_credit_notes_refunded_says_only_the_rest(client, rpc):
    """The confirmation said « 61,20 € seront remboursés » of a sub-order whose credit notes
    had given all of it back (a clerk refunding a cheque by hand would have paid twice)."""
    sign_in(client, "admin")
    for credited, said in (("29.80", "ses avoirs lui ont déjà rendu 29,80\xa0€ : rien de plus "
                                     "à rembourser."),
                           ("10.00", "ses avoirs lui ont déjà rendu 10,00\xa0€ : 19,80\xa0€ "
                                     "seront encore remboursés à Ana Lys (Ana@x.fr).")):
        rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
            subs=[dict(paid(31, "Ana"), credited=credited, credited_in_total=credited)])
        page = html.unescape(client.post("/admin/sous-commandes/31/annuler",
                                         data={"grouped_order": "7"}).text)
        assert said in page and "29,80\xa0€ seront remboursés" not in page


def test_a_cancellation_without_reason_is_asked_again_not_sent(client, rpc):
    sign_in(client, "admin")
    r = client.post("/admin/commandes-groupees/7/annuler", data={"confirmed": "1",
                                                                 "reason": " "})
    assert r.status_code == 400 and "Le motif est obligatoire" in r.text
    assert rpc.called("grouped_orders", "cancel_grouped_order") == []


# -- the admin's grouped order ------------------------------------------------------------------
def test_the_pending_payment_warning_shows_once(client, rpc):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        subs=[paid(31, "Ana", "awaiting_payment")], pending_payments=True,
        validation_blockers=["Vous pourrez valider cette commande groupée dans 2 jours.",
                             "Des paiements sont en attente de traitement (sous-commande n° "
                             "31) : validez-les ou annulez-les."])
    sign_in(client, "admin")
    html = client.get("/admin/commandes-groupees/7").text
    assert html.count("paiements sont en attente") == 1
    # « Il reste 2 jours » beside « dans 2 jours »: the same count
    assert "Il reste 2 jours de souscription" in html and "dans 2 jours" in html
    assert "Clore les souscriptions maintenant" in html


def test_close_now_is_offered_only_on_an_open_grouped_order(client, rpc):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        "awaiting_validation", validation_blockers=["Aucune sous-commande n'est payée."])
    sign_in(client, "admin")
    assert "Clore les souscriptions maintenant" not in \
        client.get("/admin/commandes-groupees/7").text


def test_closing_now_speaks_of_the_deadline_to_come(client, rpc):
    """It said « la date limite était le 21/12/2026 » of a deadline still to come."""
    go = samples.grouped()
    rpc.answers[("grouped_orders", "admin_get")] = go
    sign_in(client, "admin")
    page = html.unescape(client.post("/admin/commandes-groupees/7/clore").text)
    day = f"{go['deadline'][8:10]}/{go['deadline'][5:7]}/{go['deadline'][:4]}"
    assert f"avant la date limite du {day}" in page and "était" not in page


def test_closing_now_below_a_minimum_warns_before_and_says_what_it_did(client, rpc):
    """It asked to confirm « vous pourrez ensuite valider la commande groupée », then said « Les
    souscriptions sont closes » of a grouped order the minimum had just cancelled."""
    go = samples.grouped()
    go["if_closed_now"] = {"fails": True, "dropped": [], "reason": (
        "Minimum non atteint à la clôture des souscriptions : 1 exemplaire payé sur les 5 "
        "nécessaires.")}
    rpc.answers[("grouped_orders", "admin_get")] = go
    sign_in(client, "admin")
    page = html.unescape(client.post("/admin/commandes-groupees/7/clore").text)
    assert "1 exemplaire payé sur les 5 nécessaires" in page
    assert "Clore maintenant annule donc la commande groupée" in page
    assert "Clore les souscriptions et annuler la commande groupée" in page
    assert "vous pourrez ensuite valider" not in page.lower()
    rpc.answers[("grouped_orders", "close_subscriptions_now")] = dict(go, status="cancelled")
    done = html.unescape(client.post("/admin/commandes-groupees/7/clore",
                                     data={"confirmed": "1"}, follow_redirects=True).text)
    assert "Minimum non atteint : la commande groupée est annulée" in done
    go["if_closed_now"] = {"fails": False, "reason": "", "dropped": ["FRANÇAIS CM2"]}
    page = html.unescape(client.post("/admin/commandes-groupees/7/clore").text)
    assert "Le titre facultatif « FRANÇAIS CM2 » n'a pas atteint leur minimum" not in page
    assert "« FRANÇAIS CM2 » n'a pas atteint son minimum : il sera retiré" in page


def test_a_second_close_now_is_a_message_not_an_error(client, rpc):
    rpc.answers[("grouped_orders", "close_subscriptions_now")] = conflict(
        "Les souscriptions de cette commande groupée sont déjà closes.")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped("awaiting_validation")
    sign_in(client, "admin")
    rpc.answers[("librisoft_bridge", "find_orders_by_source")] = []
    r = client.post("/admin/commandes-groupees/7/clore", data={"confirmed": "1"})
    # the grouped order's page, with why nothing happened, answered 409 (was a 302 then a 200)
    assert r.status_code == 409 and "déjà closes" in r.text
    assert "Commande groupée n°" in r.text or "commande groupée" in r.text.lower()


def test_collectivity_orders_open_on_the_first_tab_that_has_orders(client, rpc):
    tabs = [{"key": "pending", "label": "En attente", "count": 0},
            {"key": "processing", "label": "En cours", "count": 3}]

    def listing(actor, tab, filters):
        return {"tab": tab, "tabs": tabs, "delivery_modes": {}, "total": 0, "page": 1,
                "per_page": 50, "orders": [] if tab == "pending" else []}
    rpc.answers[("baskets", "admin_list_orders")] = listing
    sign_in(client, "admin")
    client.get("/admin/commandes-collectivite")
    assert [a[1] for a in rpc.called("baskets", "admin_list_orders")] == \
        ["pending", "processing"]
    client.get("/admin/commandes-collectivite?onglet=pending")  # asked for: kept
    assert rpc.called("baskets", "admin_list_orders")[-1][1] == "pending"


def test_a_long_list_of_orders_has_one_pager_keeping_its_tab_and_filters(client, rpc):
    """The pager is one macro for the orders, the quotes and the catalogue (issue 12)."""
    rpc.answers[("baskets", "admin_list_orders")] = lambda actor, tab, filters: {
        "tab": tab, "tabs": [{"key": "closed", "label": "Clôturées", "count": 120}],
        "delivery_modes": {}, "total": 120, "page": 2, "per_page": 50, "orders": []}
    sign_in(client, "admin")
    text = html.unescape(client.get("/admin/commandes-collectivite?onglet=closed&page=2"
                                    "&number=7").text)
    pager = re.search(r'<nav aria-label="Pages" class="pager">(.*?)</nav>', text, re.S)[1]
    assert "Page 2 sur 3" in pager
    links = re.findall(r'href="([^"]+)" rel="(prev|next)"', pager)
    assert [(rel, sorted(href.split("?")[1].split("&"))) for href, rel in links] == [
        ("prev", ["number=7", "onglet=closed", "page=1"]),
        ("next", ["number=7", "onglet=closed", "page=3"])]


def test_the_collectivity_orders_list_says_which_are_invoiced(client, rpc):
    """The bookshop sees in the list which orders are still to invoice (one RPC for the page)."""
    row = {"number": 7, "placed_at": "2021-06-17T13:06:32+00:00", "client_name": "ECOLE",
           "contact_phone": "", "placed_by_email": "a@b.fr", "reference": "", "total_ttc": "10.00",
           "article_count": 1, "payment_mode": "En compte", "status": "pending",
           "status_label": "En attente", "list_action": None, "action_labels": {}}
    rpc.answers[("baskets", "admin_list_orders")] = lambda actor, tab, filters: {
        "tab": tab, "tabs": [{"key": "pending", "label": "En attente", "count": 2}],
        "delivery_modes": {}, "total": 2, "page": 1, "per_page": 50,
        "orders": [row, dict(row, number=8)]}
    rpc.answers[("invoicing", "invoices_for_orders")] = lambda kind, numbers: {
        "7": [{"number": "2021-06-000000001", "kind": "invoice", "cancelled": True},
              {"number": "2021-06-000000003", "kind": "invoice", "cancelled": False}]}
    sign_in(client, "admin")
    text = html.unescape(client.get("/admin/commandes-collectivite?onglet=pending").text)
    assert 'href="/admin/factures/2021-06-000000003.pdf">Facture n° 2021-06-000000003' in text
    assert "2021-06-000000001" not in text and text.count("Non facturée") == 1
    assert rpc.called("invoicing", "invoices_for_orders") == [("collectivity_order", [7, 8])]
    # invoicing down: the list still shows, and says nothing of invoices rather than « Non »
    rpc.answers[("invoicing", "invoices_for_orders")] = DomainError(
        "Service indisponible.", None, "unavailable")
    page = client.get("/admin/commandes-collectivite?onglet=pending")
    assert page.status_code == 200 and "Non facturée" not in page.text


# -- the teacher --------------------------------------------------------------------------------
def test_the_teacher_list_shows_the_book(client, rpc):
    rpc.answers[("grouped_orders", "list_my_grouped_orders")] = [samples.grouped()]
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/").text
    assert "WESTERN COQUILLETTES" in html


def test_the_public_link_has_copy_and_share_buttons_with_a_visible_fallback(client, rpc):
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/7").text
    assert "Copier le lien" in html and "Partager le lien" in html
    assert re.search(r'<input id="share-url" type="text" readonly value="http://localhost/'
                     r'souscription/T+"', html)
    assert "/static/share.js" in html and client.get("/static/share.js").status_code == 200
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_each_pupil_is_one_row_of_a_compact_table(client, rpc):
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        subs=[paid(n, f"P{n}") for n in range(1, 5)])
    sign_in(client, "collectivite")
    html = client.get("/commandes-groupees/7").text
    table = re.search(r'<table class="compact">.*?</table>', html, re.S).group(0)
    assert table.count("<tr>") == 5  # a header and one row per pupil
    assert table.count("<td") == 4 * 4  # four cells each, not eight lines of a card
    assert "data-label" not in table


def test_an_empty_date_says_what_to_do(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    r = client.post("/commandes-groupees/7/date-limite", data={"deadline": ""},
                    follow_redirects=True)
    assert "Choisissez la nouvelle date limite" in r.text and "Date invalide" not in r.text
    assert rpc.called("grouped_orders", "change_deadline") == []


# -- navigation, catalogue, account form ------------------------------------------------------
def test_the_navigation_folds_into_a_menu_disclosure(client):
    sign_in(client, "collectivite")
    html = client.get("/compte").text
    assert re.search(r'<details class="menu" id="menu">\s*<summary>.*Menu</summary>\s*'
                     r'<nav aria-label="Navigation principale">', html)


def test_the_catalogue_list_shows_the_own_price_an_add_button_and_a_french_vat(client, rpc):
    rpc.answers[("librisoft_bridge", "search_articles")] = {
        "total": 1, "page": 1, "per_page": 20, "items": [dict(samples.ARTICLE)]}
    rpc.answers[("baskets", "article_prices")] = {"9791097284657": {
        "unit_price_ttc": "13.56", "discount_percent": "9.00", "public_price_ttc": "14.90"}}
    rpc.answers[("baskets", "list_my_baskets")] = [
        {"id": 4, "name": "CDI", "state": "draft", "client_number": "16"}]
    sign_in(client, "utilisateur")
    html = client.get("/catalogue/?q=western").text
    assert "TVA 5,5\xa0%" in html and "5.5" not in html
    assert "13,56\xa0€ TTC" in html and "votre prix" in html
    assert "Ajouter au panier" in html and '<option value="4">CDI</option>' in html
    assert rpc.called("baskets", "article_prices") == [(4, "16", ["9791097284657"])]


def test_the_bookshop_sees_no_collectivity_price_in_the_list(client, rpc):
    rpc.answers[("librisoft_bridge", "search_articles")] = {
        "total": 1, "page": 1, "per_page": 20, "items": [dict(samples.ARTICLE)]}
    sign_in(client, "admin")
    html = client.get("/catalogue/?q=western").text
    assert "14,90\xa0€ TTC" in html and "Ajouter au panier" not in html


@pytest.mark.parametrize("who,hint", [("collectivite", False), ("admin", True)])
def test_the_librarian_account_hint_is_for_admins_only(client, rpc, who, hint):
    rpc.answers[("accounts", "assignable_clients")] = [{"number": "16",
                                                        "name": "ECOLE JULES FERRY"}]
    sign_in(client, who)
    assert ("aucun pour un compte libraire" in client.get("/comptes/nouveau").text) is hint


def test_a_sub_order_cancellation_without_its_grouped_order_still_asks(client, rpc):
    sign_in(client, "admin")
    r = client.post("/admin/sous-commandes/31/annuler", data={})
    assert r.status_code == 200 and "Annuler la sous-commande n° 31" in r.text
    assert rpc.called("grouped_orders", "admin_get") == []


def test_an_expired_reset_link_says_so_before_the_form(client, rpc):
    rpc.answers[("accounts", "reset_link_valid")] = False
    r = client.get("/mot-de-passe/nouveau/old-token")
    assert r.status_code == 400
    assert "n'est plus valable" in html.unescape(r.text) and 'name="password"' not in r.text
    assert 'href="/mot-de-passe/oublie"' in r.text
    rpc.answers[("accounts", "reset_link_valid")] = True
    r = client.get("/mot-de-passe/nouveau/good-token")
    assert r.status_code == 200 and 'name="password"' in r.text
    assert rpc.called("accounts", "reset_link_valid") == [("old-token",), ("good-token",)]


def test_forgotten_password_without_a_valid_address_says_so(client, rpc):
    """An empty or malformed address was answered « Si un compte existe pour cette adresse, un
    e-mail vient de lui être envoyé »: nothing could have been sent."""
    for bad in ("", "   ", "pas-une-adresse"):
        r = client.post("/mot-de-passe/oublie", data={"email": bad})
        assert r.status_code == 400, bad
        assert "Si un compte existe" not in html.unescape(r.text) and 'name="email"' in r.text
    assert rpc.called("accounts", "request_password_reset") == []
    rpc.answers[("accounts", "request_password_reset")] = {"status": "ok"}
    r = client.post("/mot-de-passe/oublie", data={"email": "Prof@Ecole.fr"})
    assert r.status_code == 200 and "Si un compte existe" in html.unescape(r.text)


def test_a_grouped_order_cancelled_before_its_deadline_is_not_said_closed_by_the_bookshop(
        client, rpc):
    """A grouped order cancelled before its deadline read « Souscriptions closes par la
    librairie avant la date limite » under its date: it was cancelled, not closed."""
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        status="cancelled", subscriptions_open=False, cancel_reason="Trop peu de commandes")
    sign_in(client, "collectivite")
    page = html.unescape(client.get("/commandes-groupees/7").text)
    assert "Souscriptions closes par la librairie" not in page
    assert "Commande groupée annulée avant la date limite" in page


def test_a_grouped_order_closed_without_a_buyer_does_not_say_encore(client, rpc):
    """Closed with no sub-order, the teacher's page said « Aucune sous-commande n'est encore
    enregistrée », as if some could still come."""
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(
        "awaiting_validation")
    page = client.get("/commandes-groupees/7").text
    assert "Aucune sous-commande n'a été enregistrée : les souscriptions sont closes." in page
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    assert "Aucune sous-commande n'est encore enregistrée." in \
        client.get("/commandes-groupees/7").text


def test_the_teacher_list_says_a_grouped_order_is_not_open_yet(client, rpc):
    """A grouped order opening in five days read « Commande ouverte » in « Mes commandes
    groupées », while its page and its link say it is not open yet."""
    rpc.answers[("grouped_orders", "list_my_grouped_orders")] = [samples.grouped(
        opens_on="2026-12-12", not_open_yet=True, subscriptions_open=False)]
    sign_in(client, "collectivite")
    page = client.get("/commandes-groupees/").text
    assert "Pas encore ouverte : souscriptions à partir du 12 décembre 2026" in page
    assert "Commande ouverte" not in page
    rpc.answers[("grouped_orders", "list_my_grouped_orders")] = [samples.grouped()]
    assert "Commande ouverte" in client.get("/commandes-groupees/").text


def test_a_refused_deadline_keeps_the_date_typed(client, rpc):
    """A deadline refused (in the past, before the opening day) was a redirect: the page showed
    the stored date again and the teacher had to find and type theirs once more."""
    from services.common.errors import invalid
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    rpc.answers[("grouped_orders", "change_deadline")] = invalid(
        "La date limite ne peut pas être dans le passé.")
    r = client.post("/commandes-groupees/7/date-limite", data={"deadline": "2020-01-01"})
    assert r.status_code == 400
    assert "La date limite ne peut pas être dans le passé." in r.text
    assert re.search(r'<input id="deadline" type="date" name="deadline" value="2020-01-01"'
                     r'[^>]*aria-invalid="true"', r.text)


def test_a_session_ended_elsewhere_says_so_on_the_sign_in_page(client, rpc, monkeypatch):
    """Deactivated by the bookshop, or signed out on another device: the next page leads to
    « Connexion » with a word of why, instead of a bare sign-in form (none for the API)."""
    from services.common.errors import forbidden
    sign_in(client, "utilisateur")
    answer = rpc.call

    def ended(service, method, *args, **kwargs):
        if (service, method) == ("accounts", "session_account"):
            raise forbidden("Session terminée.")
        return answer(service, method, *args, **kwargs)
    monkeypatch.setattr(rpc, "call", ended)
    r = client.get("/paniers")
    assert r.status_code == 302 and "/connexion" in r.headers["Location"]
    assert "Votre session a pris fin" in client.get("/connexion").text
    sign_in(client, "utilisateur")
    assert client.get("/api/v1/baskets").status_code == 401
    assert "Votre session a pris fin" not in client.get("/connexion").text


def test_a_double_submit_shows_its_message_once(client, rpc):
    """A double click on an action (each answered once by its idempotency key) flashed
    « Les souscriptions sont closes » twice on the page it led to."""
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped("awaiting_validation")
    rpc.answers[("grouped_orders", "close_subscriptions_now")] = samples.grouped(
        "awaiting_validation")
    sign_in(client, "admin")
    for _ in range(2):
        client.post("/admin/commandes-groupees/7/clore", data={"confirmed": "1"})
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert page.count("Les souscriptions sont closes ; l'initiateur est prévenu") == 1


def test_a_redirect_says_where_it_goes_in_french(client):
    """Every 302 carried werkzeug's English page (« Redirecting... », lang="en")."""
    r = client.get("/admin/commandes-groupees")
    assert r.status_code == 302 and r.headers["Location"].startswith("/connexion")
    body = r.get_data(as_text=True)
    assert '<html lang="fr">' in body and "Redirection" in body and "Redirecting" not in body
    assert 'href="/connexion?next=' in body


def test_closing_early_names_only_the_sub_orders_that_hold_the_validation(client, rpc):
    """It counted a parent paying at pickup among those to settle (« (5) » for 4): ordered
    all the same, they do not hold the validation."""
    go = samples.grouped("open")
    go["summary"] = dict(go["summary"], sub_orders={"cancelled": 0, "awaiting_payment": 5,
                                                    "paid": 3},
                         at_pickup={"sub_orders": 1, "articles": 1, "total": "14.90"})
    rpc.answers[("grouped_orders", "admin_get")] = go
    sign_in(client, "admin")
    page = client.post("/admin/commandes-groupees/7/clore", data={}).text
    assert "en attente de paiement (4)" in page and "(5)" not in page
    assert "Cette action est définitive" not in page
