"""The buyer's pages (issue 8 §5)."""
import html
import re

import pytest

from services.common.errors import DomainError
from tests.unit.gateway import samples

TOKEN, BUYER = "T" * 32, "B" * 32


@pytest.fixture
def public(rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = samples.PUBLIC
    return rpc


def test_the_name_inputs_are_text_inputs_styled_like_the_others(client, public):
    html = client.get(f"/souscription/{TOKEN}").text
    for name in ("first_name", "last_name"):
        tag = re.search(rf'<input id="{name}"[^>]*>', html).group(0)
        assert 'type="text"' in tag, tag


def test_the_page_shows_the_book_and_who_sells_it(client, public):
    html = client.get(f"/souscription/{TOKEN}").text
    for shown in ("WESTERN COQUILLETTES", "LE GUEN/XENARD", "ORSO", "Librairie des Collectivités",
                  "contact@librairie.test", "12 rue Saint-Dizier"):
        assert shown in html, shown
    assert "<img" not in html  # no cover in the article's data: none shown
    public.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, article=dict(samples.ARTICLE, cover_url="https://img.test/c.jpg"))
    html = client.get(f"/souscription/{TOKEN}").text
    assert 'src="https://img.test/c.jpg" alt="Couverture de « WESTERN COQUILLETTES »"' in html


def test_the_terms_checkbox_links_to_real_terms(client, public):
    html = client.get(f"/souscription/{TOKEN}").text
    link = re.search(r'<a href="([^"]+)"[^>]*>Lire les conditions générales de vente', html)
    assert link
    terms = client.get(link.group(1))
    assert terms.status_code == 200
    for part in ("Le prix", "Le paiement", "Droit de rétractation", "retrait",
                 "rembours", "données personnelles", "Librairie des Collectivités"):
        assert part in terms.text, part


def test_no_inline_script_on_the_form(client, public):
    """A strict CSP forbids inline scripts: the total's script is a static file."""
    html = client.get(f"/souscription/{TOKEN}").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "/static/subscription.js" in html
    assert client.get("/static/subscription.js").status_code == 200


@pytest.mark.parametrize("status,payment,shown,not_shown", [
    ("awaiting_payment", "refused", "Non payée : paiement refusé", "—"),
    ("awaiting_payment", "cancelled", "Non payée : paiement abandonné", "Annulé"),
    ("cancelled", "cancelled", "Annulée", "En attente"),
    ("paid", "succeeded", "Payée", "En attente"),
])
def test_the_result_page_has_one_status_in_words(client, rpc, status, payment, shown,
                                                 not_shown):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(status,
                                                                  last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": payment, "state_label": {
        "refused": "Paiement refusé", "cancelled": "Annulé",
        "succeeded": "Paiement confirmé"}[payment]}
    html = client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text
    status_dd = re.search(r"<dt>Statut</dt><dd>(.*?)</dd>", html).group(1)
    assert shown in status_dd and not_shown not in status_dd
    # « Votre commande n° 2 » no longer stands beside « Commande groupée n° 2 »
    assert "Votre commande n° 2" not in html and "Commande groupée n° 2" not in html
    assert "<h1>Votre commande de «&nbsp;WESTERN COQUILLETTES&nbsp;»</h1>" in html


def test_a_pending_payment_is_polled_quietly_not_reloaded(client, rpc):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "processing",
                                                "state_label": "Paiement en cours"}
    html = client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text
    assert 'http-equiv="refresh"' not in html
    assert 'aria-live="polite"' in html and "/static/payment-status.js" in html
    assert "Actualiser la page" in html  # the no-JS fallback
    poll = re.search(r'data-poll-url="([^"]+)"', html).group(1)
    assert client.get(poll).get_json() == {
        "waiting": True, "status": "Paiement non terminé",
        "message": "Votre paiement n'est pas terminé. Si vous venez de payer, le résultat "
                   "s'affiche ici dans un instant. Si vous avez quitté la page de paiement "
                   "sans payer, vous pouvez reprendre le paiement ou annuler votre commande."}
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "succeeded", "state_label": "x"}
    answer = client.get(poll).get_json()
    assert answer["waiting"] is False and answer["message"].startswith("Paiement confirmé")


def test_a_parent_who_left_the_payment_page_can_resume_or_cancel(client, rpc):
    """A parent who closed the provider's tab without choosing came back to « Paiement en cours
    de vérification… », with neither « Payer » nor « Annuler ma commande », for good. A payment
    opened and not heard of since now says both cases, keeps waiting for the provider's word,
    and offers to resume the payment or cancel; once subscriptions are closed, neither."""
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "processing",
                                                "state_label": "Paiement en cours"}
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "Paiement non terminé" in page and "Si vous venez de payer" in page
    assert "Reprendre le paiement" in page and "Annuler ma commande" in page
    assert 'data-waiting="1"' in page  # the provider's word still shows without a reload
    assert f"/souscription/{TOKEN}/commande/{BUYER}/payer" in page
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(last_payment_id="p1",
                                                                  can_pay=False)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "Paiement en cours de vérification" in page
    assert "Reprendre le paiement" not in page and "Annuler ma commande" not in page


FORM = {"first_name": "Jean", "last_name": "Dupont", "email": "jean.dupont@exemple.fr",
        "quantity": "2", "accepted_terms": "y", "idempotency_key": "a" * 32}


def test_the_form_post_is_one_rpc_then_the_payment_page_starts_the_payment(client, rpc):
    """Issue 11: `subscribe_and_pay` answers for the grouped order (unknown, closed, bad
    input) and records the attempt to pay: the POST makes one RPC and sends the buyer to the
    payment page, whose GET creates the payment (one RPC) and leads to the provider's page."""
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
        "buyer_token": BUYER, "attempt_id": 7}
    r = client.post(f"/souscription/{TOKEN}", data=FORM)
    pay_page = f"http://localhost/souscription/{TOKEN}/commande/{BUYER}/paiement"
    assert r.status_code == 303 and r.headers["Location"] == pay_page
    assert [m for _, m, _ in rpc.calls] == ["subscribe_and_pay"]
    token, form = rpc.calls[0][2]
    assert token == TOKEN and form["last_name"] == "Dupont"
    rpc.answers[("grouped_orders", "pay_subscription")] = {
        "payment_id": "p1", "redirect_url": "http://pay.test/p1"}
    r = client.get(pay_page)
    assert r.status_code == 303 and r.headers["Location"] == "http://pay.test/p1"
    (call,) = rpc.called("grouped_orders", "pay_subscription")
    assert call == (TOKEN, BUYER, f"http://localhost/souscription/{TOKEN}/commande/{BUYER}")


def test_the_payment_page_with_nothing_to_pay_leads_to_the_result_page(client, rpc):
    rpc.answers[("grouped_orders", "pay_subscription")] = {"payment_id": None,
                                                           "redirect_url": None}
    r = client.get(f"/souscription/{TOKEN}/commande/{BUYER}/paiement")
    assert r.status_code == 303
    assert r.headers["Location"] == f"http://localhost/souscription/{TOKEN}/commande/{BUYER}"


def test_the_payment_page_after_the_deadline_says_so_in_french(client, rpc):
    rpc.answers[("grouped_orders", "pay_subscription")] = DomainError(
        "Les souscriptions à cette commande sont closes.", code="conflict")
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub()
    r = client.get(f"/souscription/{TOKEN}/commande/{BUYER}/paiement")
    assert r.status_code == 409
    assert "Les souscriptions à cette commande sont closes." in r.text
    rpc.answers[("grouped_orders", "pay_subscription")] = DomainError("Introuvable.",
                                                                      code="not_found")
    assert client.get(f"/souscription/{TOKEN}/commande/{BUYER}/paiement").status_code == 404


@pytest.mark.parametrize("error,status", [
    (DomainError("Le formulaire contient des erreurs.",
                 {"email": ["Adresse e-mail invalide."]}), 400),
    (DomainError("Plus assez d'exemplaires disponibles.", code="conflict"), 409),
])
def test_a_refused_subscription_shows_the_form_again_with_its_french_message(client, rpc,
                                                                            error, status):
    rpc.answers[("grouped_orders", "public_grouped_order")] = samples.PUBLIC
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = error
    r = client.post(f"/souscription/{TOKEN}", data=FORM)
    assert r.status_code == status
    assert error.message.replace("'", "&#39;") in r.text
    assert 'value="Dupont"' in r.text  # what the buyer typed is kept


def test_a_post_once_subscriptions_are_closed_shows_the_page_as_a_get_does(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(samples.PUBLIC,
                                                                   subscriptions_open=False)
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = DomainError(
        "Les souscriptions à cette commande sont closes.", code="conflict")
    posted = client.post(f"/souscription/{TOKEN}", data=FORM)
    assert posted.status_code == 200
    assert posted.text == client.get(f"/souscription/{TOKEN}").text


def test_a_cancelled_grouped_order_says_cancelled_not_closed(client, public):
    """A parent following the link of a grouped order the bookshop cancelled (or the minimum
    not reached) read « Souscriptions closes », as if it would still be ordered."""
    public.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, status="cancelled", status_label="Annulée", subscriptions_open=False)
    page = html.unescape(client.get("/souscription/" + "T" * 32).text)
    assert "Statut</dt><dd>Annulée" in page and "Cette commande groupée est annulée" in page
    assert "Souscriptions closes" not in page and "sont closes" not in page


def test_the_same_order_sent_again_from_this_browser_is_asked_before_a_second(client, public):
    """A parent who paid, pressed Back twice (the browser restores the form as typed) and sent
    it again got a second sub-order and paid twice. Now the form sent again with the same
    content from the same browser is the page again (409), nothing ordered, with a link to the
    order already placed; « Passer une seconde commande identique » ticked, it is ordered. The
    link's page lists the orders placed from this browser; another order is not held up (the
    API, without a session, is not concerned)."""
    rpc = public
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
        "number": 31, "buyer_token": BUYER, "attempt_id": 7}
    assert client.post(f"/souscription/{TOKEN}", data=FORM).status_code == 303
    mine = f"/souscription/{TOKEN}/commande/{BUYER}"
    page = html.unescape(client.get(f"/souscription/{TOKEN}").text)
    assert "Vous avez déjà commandé sur ce lien depuis cet appareil" in page
    assert f'href="{mine}">commande n°\xa0' + "31</a>" in page
    # the Back button: the same form, a new one-time token
    r = client.post(f"/souscription/{TOKEN}", data=dict(FORM, idempotency_key="b" * 32))
    page = html.unescape(r.text)
    assert r.status_code == 409 and len(rpc.called("grouped_orders", "subscribe_and_pay")) == 1
    assert "Vous avez déjà passé cette même commande depuis cet appareil" in page
    assert f'href="{mine}">voir ma commande n°\xa031</a>' in page
    assert 'value="Dupont"' in page and 'name="again"' in page  # nothing typed is lost
    # a second, identical order on purpose (another child)
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
        "number": 32, "buyer_token": "C" * 32, "attempt_id": 8}
    r = client.post(f"/souscription/{TOKEN}", data=dict(FORM, idempotency_key="c" * 32,
                                                          again="1"))
    assert r.status_code == 303 and len(rpc.called("grouped_orders", "subscribe_and_pay")) == 2
    # another order (other quantity) from the same browser: no question
    r = client.post(f"/souscription/{TOKEN}", data=dict(FORM, quantity="3",
                                                          idempotency_key="d" * 32))
    assert r.status_code == 303 and len(rpc.called("grouped_orders", "subscribe_and_pay")) == 3


def test_a_refused_payment_says_until_when_the_order_can_be_paid(client, rpc):
    """« Votre paiement a été refusé. Votre commande est conservée. »: conserved until when?
    The parent is told the last day they can pay (while they still can)."""
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"payment_id": "p1", "state": "refused"}
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert ("Votre paiement a été refusé. Votre commande est conservée. Vous pouvez la payer "
            "jusqu'au 20 décembre 2026 inclus.") in page
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(last_payment_id="p1",
                                                                   can_pay=False)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "Votre commande est conservée." in page and "jusqu'au" not in page


def test_the_orders_remembered_keep_the_session_cookie_small(client, public):
    """The orders placed from this browser live in the session cookie: many orders on many
    links, with the longest names a form takes, keep it far under the 4 KB a browser keeps
    (over it the cookie, and the form's CSRF token with it, would be dropped)."""
    import hashlib
    rpc = public

    def letters(seed, n):  # names that do not compress away
        return "".join(hashlib.sha256(f"{seed}{i}".encode()).hexdigest()[:8]
                       for i in range(n // 8 + 1))[:n]
    for link in range(6):
        for n in range(6):
            rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
                "number": 1000 + n, "buyer_token": letters(f"b{link}{n}", 32), "attempt_id": 7}
            long_form = dict(FORM, first_name=letters(f"f{link}{n}", 100),
                             last_name=letters(f"l{link}{n}", 100),
                             email=letters(f"e{link}{n}", 240) + "@x.fr")
            r = client.post(f"/souscription/{letters(link, 32)}",
                            data=dict(long_form, quantity=str(n + 1),
                                      idempotency_key=f"{link}{n}".ljust(32, "k")))
            assert r.status_code == 303
    cookie = client.get_cookie("libr_session")
    assert len(cookie.value) < 2000


def test_once_closed_the_link_still_leads_a_parent_to_their_order(client, public):
    """Subscriptions closed, a parent opening the class's link again (to know when the books
    come) read only « closes »: the orders placed from this browser are linked there too."""
    rpc = public
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
        "number": 31, "buyer_token": BUYER, "attempt_id": 7}
    assert client.post(f"/souscription/{TOKEN}", data=FORM).status_code == 303
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, status="processing", subscriptions_open=False)
    page = html.unescape(client.get(f"/souscription/{TOKEN}").text)
    assert "Les souscriptions à cette commande groupée sont closes" in page
    assert f'href="/souscription/{TOKEN}/commande/{BUYER}">commande n°\xa031</a> (son état, ' \
           "son paiement, la distribution)." in page
    assert "remplissez le formulaire" not in page


def test_the_terms_say_what_the_form_offers(client):
    """The terms a parent accepts said « pour un seul livre », « enregistrée une fois payée »
    and « Le paiement se fait en ligne, par carte bancaire » only, whereas a grouped order may
    be a reading list, paid by cheque, in cash or at pickup, with a minimum or a title cut."""
    page = html.unescape(client.get("/souscription/conditions-de-vente").text)
    assert "un seul livre" not in page and "enregistrée une fois payée" not in page
    for said in ("pour un livre ou une liste de livres", "par chèque ou en espèces à la "
                 "librairie", "au retrait des livres, par chèque ou en espèces, le jour de la "
                 "distribution", "nombre minimum d'exemplaires payés",
                 "les exemplaires reçus sont servis dans l'ordre des commandes",
                 "un chèque ou des espèces vous sont rendus par la librairie"):
        assert said in page, said


def test_a_parent_cancels_their_unpaid_order_from_its_page(client, rpc):
    """« Annuler ma commande »: offered while the order can still be paid (not once paid),
    one RPC with the form's one-time key, back to the page with a French confirmation; a
    refusal (paid meanwhile, closed) is the page again with its French message, a 409."""
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub()
    page = client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text
    action = f"/souscription/{TOKEN}/commande/{BUYER}/annulation"
    assert f'action="{action}"' in page and "Annuler ma commande" in page
    rpc.answers[("grouped_orders", "cancel_subscription")] = samples.sub("cancelled",
                                                                         can_pay=False)
    r = client.post(action, data={"idempotency_key": "k" * 32})
    assert r.status_code == 303
    assert r.headers["Location"] == f"http://localhost/souscription/{TOKEN}/commande/{BUYER}"
    assert rpc.called("grouped_orders", "cancel_subscription") == [(TOKEN, BUYER)]
    assert rpc.keywords[("grouped_orders", "cancel_subscription")]["idempotency_key"]
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("cancelled", can_pay=False)
    after = client.get(r.headers["Location"]).text
    assert "Votre commande est annulée : rien ne vous sera débité." in html.unescape(after)
    assert "Annuler ma commande" not in after
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", can_pay=False)
    assert "Annuler ma commande" not in client.get(
        f"/souscription/{TOKEN}/commande/{BUYER}").text
    rpc.answers[("grouped_orders", "cancel_subscription")] = DomainError(
        "Une commande payée ne s'annule plus depuis cette page : contactez la librairie, qui "
        "l'annulera et vous remboursera.", code="conflict")
    refused = client.post(action, data={"idempotency_key": "k" * 31 + "x"})
    assert refused.status_code == 409
    assert "ne s'annule plus depuis cette page" in html.unescape(refused.text)


def test_a_reading_list_with_less_room_than_one_order_says_complet(client, rpc):
    progress = {"paid": 11, "awaiting": 0, "at_pickup": 0, "minimum": None, "maximum": 12,
                "minimum_reached": True, "percent": None, "left": 1, "full": True,
                "label": "11 exemplaires payés", "titles": []}
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, full=True, subscriptions_open=False, progress=progress)
    page = html.unescape(client.get(f"/souscription/{TOKEN}").text)
    assert "<strong>Complet</strong> : plus aucune commande possible" in page
    assert "il reste moins d'exemplaires qu'il n'en faut pour une commande" in page
    assert "Complet : il ne reste qu'un exemplaire" in page
    assert 'name="first_name"' not in page  # no form to be refused


def test_too_many_orders_from_one_address_is_a_429_with_the_form_kept(client, public):
    from services.common.errors import throttled
    public.answers[("grouped_orders", "subscribe_and_pay")] = throttled(
        "Cette adresse e-mail a déjà passé 5 commandes sur cette commande groupée en quelques "
        "minutes. Réessayez dans 10 minutes, ou contactez la librairie.")
    r = client.post(f"/souscription/{TOKEN}", data=FORM)
    page = html.unescape(r.text)
    assert r.status_code == 429 and "Réessayez dans 10 minutes" in page
    assert 'value="jean.dupont@exemple.fr"' in page


def test_a_parents_page_says_where_the_desk_says_their_order_stands(client, rpc):
    """The desk's progress mails (« Commande prête », « Terminé ») link to the parent's page,
    which said « Payée » only; a desk that does not answer leaves the page as it was."""
    from services.common.errors import unavailable
    from tests.unit.gateway import samples
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", last_payment_id="p1")
    rpc.answers[("payments", "get_payment")] = {"state": "succeeded",
                                                "state_label": "Paiement confirmé"}
    rpc.answers[("order_desk", "get_order")] = {
        "progress": "ready", "progress_label": "Commande prête",
        "progress_at": "2026-12-08T09:00:00+00:00"}
    page = client.get("/souscription/tok/commande/btok").text
    assert "Avancement" in page and "Commande prête" in page and "08/12/2026" in page
    rpc.answers[("order_desk", "get_order")] = unavailable()
    page = client.get("/souscription/tok/commande/btok")
    assert page.status_code == 200 and "Avancement" not in page.text
