import html

from tests.unit.gateway.conftest import sign_in


def test_after_returning_a_basket_the_approver_lands_on_the_baskets_to_validate(client, rpc):
    """Issue 8 §5: « Retourner ce panier » led to « Panier introuvable » under a green
    message — the basket is no longer the Approbateur's to see."""
    rpc.answers[("baskets", "return_basket")] = {"id": 5, "state": "draft"}
    rpc.answers[("baskets", "baskets_to_validate")] = []
    sign_in(client, "approbateur")
    r = client.post("/paniers/5/retourner", data={"comment": "Deux suffisent."})
    assert r.status_code == 302 and r.headers["Location"].endswith("/paniers/a-valider")
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and \
        "retourné à l'utilisateur qui l'a préparé" in html.unescape(page.text)
    assert rpc.called("baskets", "return_basket") == [(3, 5, "Deux suffisent.")]


def test_a_refused_return_stays_on_the_basket_with_its_message(client, rpc):
    from services.common.errors import conflict
    rpc.answers[("baskets", "return_basket")] = conflict("Ce panier n'est plus à valider.")
    sign_in(client, "approbateur")
    rpc.answers[("baskets", "get_basket")] = {"id": 5, "name": "CM2"}
    r = client.post("/paniers/5/retourner", data={"comment": "x"})
    assert r.status_code == 409 and "n'est plus à valider" in html.unescape(r.text)
    assert "CM2" in r.text  # the basket's own page


def test_a_refusal_whose_page_cannot_be_shown_keeps_its_redirect_and_message(client, rpc):
    """The basket deleted meanwhile (its page a 404 now): the redirect as before, the message
    waiting on the next page rather than lost."""
    from services.common.errors import conflict, not_found
    rpc.answers[("baskets", "return_basket")] = conflict("Ce panier n'est plus à valider.")
    sign_in(client, "approbateur")
    rpc.answers[("baskets", "get_basket")] = not_found("Panier introuvable.")
    r = client.post("/paniers/5/retourner", data={"comment": "x"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/paniers/5")
    with client.session_transaction() as session:
        assert ("error", "Ce panier n'est plus à valider.") in session.get("_flashes", [])


def test_a_missing_article_or_line_is_a_message_whatever_its_words(client, rpc):
    """Issue 12: the page decides on the error's code, not on the start of its French message
    (a line not in the basket said otherwise was a 404)."""
    from services.common.errors import not_found
    rpc.answers[("baskets", "get_basket")] = {"id": 5, "name": "CM2"}
    sign_in(client, "utilisateur")
    for method, url, words in [
            ("add_line", "/paniers/5/lignes", "Article introuvable : EAN « 1 »."),
            ("remove_line", "/paniers/5/lignes/978/suppression", "Ligne absente du panier."),
            ("set_quantity", "/paniers/5/lignes/978", "Il n'y a plus cet article ici.")]:
        rpc.answers[("baskets", method)] = not_found(words)
        r = client.post(url, data={"ean": "1", "quantity": "2"})
        # the basket's page, with the message, answered 400: what was typed does not exist
        assert r.status_code == 400 and words in html.unescape(r.text), url
        assert "CM2" in r.text, url
        with client.session_transaction() as session:
            assert not session.get("_flashes"), url  # told once, not again on the next page


def test_someone_elses_basket_stays_a_404_not_a_message(client, rpc):
    from services.common.errors import forbidden, not_found
    rpc.answers[("baskets", "get_basket")] = not_found("Panier introuvable.")
    rpc.answers[("baskets", "add_line")] = not_found("Article introuvable : EAN « 1 ».")
    rpc.answers[("baskets", "rename_basket")] = not_found("Panier introuvable.")
    sign_in(client, "utilisateur")
    assert client.post("/paniers/9/lignes", data={"ean": "1"}).status_code == 404
    assert client.post("/paniers/9/nom", data={"name": "x"}).status_code == 404
    rpc.answers[("baskets", "rename_basket")] = forbidden()
    assert client.post("/paniers/9/nom", data={"name": "x"}).status_code == 403


def test_a_basket_sent_already_is_a_message_on_its_page_not_a_403(client, rpc):
    """The back button or a double click: « Envoyer » (or a quantity changed) on a basket one
    sent a moment ago, still one's to see but no longer in one's hands, showed « Accès
    refusé » (403) instead of the basket with why nothing happened."""
    from services.common.errors import forbidden
    words = "Ce panier n'est pas entre vos mains : vous ne pouvez pas agir dessus."
    rpc.answers[("baskets", "get_basket")] = {"id": 5, "name": "CM2"}
    sign_in(client, "utilisateur")
    for method, url in [("submit_basket", "/paniers/5/envoyer"),
                        ("set_quantity", "/paniers/5/lignes/978")]:
        rpc.answers[("baskets", method)] = forbidden(words)
        r = client.post(url, data={"quantity": "2"})
        assert r.status_code == 409 and words in html.unescape(r.text), url
        assert "CM2" in r.text, url


def test_the_order_is_confirmed_at_the_total_the_page_showed(client, rpc):
    """« Valider la commande collectivité » sends the total TTC the page showed; a price that
    changed before the click is the page again (409) with the new total, never an order at a
    total nobody saw."""
    from services.common.errors import conflict
    basket = {"id": 5, "name": "CDI", "client_number": "16", "client_name": "ECOLE JULES FERRY",
              "actions": ["transform"], "action_labels": {"transform_order": "Transformer"},
              "client": {"name": "ECOLE JULES FERRY", "addresses": []}, "lines": [],
              "totals": {"discount_total": "0.00", "subtotal_ht": "163.89",
                         "vat_total": "9.01", "subtotal_ttc": "172.90",
                         "total_ttc": "172.90"}}
    rpc.answers[("baskets", "get_basket")] = basket
    sign_in(client, "collectivite")
    page = client.get("/paniers/5/transformer/commande")
    assert 'name="expected_total" value="172.90"' in page.text
    rpc.answers[("baskets", "transform_basket")] = conflict(
        "Les prix ont changé depuis l'affichage de la page : le total TTC est maintenant de "
        "227,50 € (et non 172,90 €).")
    r = client.post("/paniers/5/transformer/commande", data={
        "reference": "BC-42", "delivery_address": "0", "expected_total": "172.90"})
    assert r.status_code == 409 and "227,50" in html.unescape(r.text)
    assert rpc.keywords[("baskets", "transform_basket")]["expected_total"] == "172.90"


def test_a_stale_page_of_ones_own_basket_is_a_message_not_access_denied(client, rpc):
    """The Utilisateur sent the basket to the Approbateur, then changed a quantity on the page
    still open (back button, another tab): the basket is theirs to see but no longer in their
    hands — a message on its page, not « Accès refusé ». Someone else's basket stays a 403."""
    from services.common.errors import forbidden
    rpc.answers[("baskets", "get_basket")] = {"id": 5, "name": "CM2"}
    words = "Ce panier n'est pas entre vos mains : vous ne pouvez pas agir dessus."
    sign_in(client, "utilisateur")
    for method, url in [("set_quantity", "/paniers/5/lignes/978"),
                        ("add_line", "/paniers/5/lignes"),
                        ("remove_line", "/paniers/5/lignes/978/suppression")]:
        rpc.answers[("baskets", method)] = forbidden(words)
        r = client.post(url, data={"ean": "978", "quantity": "3"})
        assert r.status_code == 409 and words in html.unescape(r.text), url
    rpc.answers[("baskets", "get_basket")] = forbidden("Ce panier ne vous est pas accessible.")
    assert client.post("/paniers/5/lignes/978", data={"quantity": "3"}).status_code == 403


def test_a_double_click_on_ajouter_au_panier_adds_the_copies_once(client, rpc):
    """The same form sent twice (its one-time token) carries the same key to the service,
    which answers the second with the first's result: 2 copies, not 4; a new form is new."""
    rpc.answers[("baskets", "add_line")] = {"id": 5, "name": "CM2"}
    sign_in(client, "utilisateur")
    keys = []
    for url, data in [("/paniers/5/lignes", {"ean": "9782531262867", "quantity": "2"}),
                      ("/paniers/ajout", {"basket_id": "5", "ean": "9782531262867",
                                          "quantity": "2"})]:
        for token in ("t" * 32, "t" * 32, "u" * 32):
            client.post(url, data=dict(data, idempotency_key=token))
            keys.append(rpc.keywords[("baskets", "add_line")]["idempotency_key"])
    assert keys[0] == keys[1] and keys[1] != keys[2] and None not in keys
    assert keys[3] == keys[4] != keys[5]
    assert len(rpc.called("baskets", "add_line")) == 6


def test_an_empty_basket_is_told_empty_not_someone_elses(client, rpc):
    """The Collectivité's own empty basket: « Transformer » said « Seule la collectivité qui
    détient ce panier peut le transformer » — it does hold it; the basket is empty."""
    rpc.answers[("baskets", "get_basket")] = {"id": 9, "name": "CDI", "actions": ["edit"],
                                              "lines": []}
    sign_in(client, "collectivite")
    r = client.get("/paniers/9/transformer/commande")
    assert r.status_code == 302 and r.headers["Location"].endswith("/paniers/9")
    with client.session_transaction() as session:
        (kind, words), = session.pop("_flashes")
    assert kind == "error" and words.startswith("Ce panier est vide")


def test_the_order_review_warns_of_articles_that_cannot_be_supplied(client, rpc):
    line = {"ean": "9782532612302", "title": "LE VIEIL HOMME", "quantity": 2, "vat_rate": "5.5",
            "public_price_ttc": "10.00", "public_price_ht": "9.48", "unit_price_ttc": "9.50",
            "discount_percent": "5.00", "discount_amount": "0.50", "total_ttc": "19.00",
            "total_ht": "18.01", "vat_amount": "0.99", "availability_warning": "Épuisé"}
    rpc.answers[("baskets", "get_basket")] = {
        "id": 5, "name": "CDI", "client_number": "16", "client_name": "ECOLE JULES FERRY",
        "actions": ["transform"], "action_labels": {"transform_order": "Transformer"},
        "client": {"name": "ECOLE JULES FERRY", "addresses": []}, "lines": [line],
        "availability_warnings": [{"ean": line["ean"], "title": line["title"],
                                   "label": "Épuisé"}],
        "totals": {"discount_total": "1.00", "subtotal_ht": "18.01", "vat_total": "0.99",
                   "subtotal_ttc": "19.00", "total_ttc": "19.00"}}
    sign_in(client, "collectivite")
    page = " ".join(html.unescape(client.get("/paniers/5/transformer/commande").text).split())
    assert "Attention, disponibilité" in page
    assert "« LE VIEIL HOMME » (9782532612302) : épuisé" in page
    assert "Cet article sera quand même transmis à la librairie" in page
    assert '<span class="badge warn">Épuisé</span>' in page


def test_commander_a_nouveau_makes_a_basket_and_says_what_was_left_out(client, rpc):
    rpc.answers[("baskets", "basket_from_document")] = {
        "id": 12, "name": "Reprise de la demande de devis n° 1",
        "skipped": [{"ean": "9782330150136", "title": "CEMETERY ROAD"}]}
    sign_in(client, "utilisateur")
    r = client.post("/mes-devis-collectivite/1/nouveau-panier")
    assert r.status_code == 302 and r.headers["Location"].endswith("/paniers/12")
    with client.session_transaction() as session:
        flashes = session.pop("_flashes")
    assert flashes[0][0] == "success" and "« Reprise de la demande de devis n° 1 »" in \
        flashes[0][1]
    assert flashes[1] == ("warning", "« CEMETERY ROAD » (9782330150136) n'est plus au "
                                     "catalogue : il n'a pas été repris.")
    assert rpc.called("baskets", "basket_from_document") == [(4, "quote", 1)]
    from services.common.errors import not_found
    rpc.answers[("baskets", "basket_from_document")] = not_found("Demande de devis introuvable.")
    assert client.post("/mes-commandes-collectivite/9/nouveau-panier").status_code == 404


def test_a_refused_line_keeps_what_was_typed_marked_invalid(client, rpc):
    """A one-digit typo in « Ajouter un article » gave the page back with the EAN field empty
    and the quantity reset to 1; a refused new quantity showed the stored one: what was typed
    stays, marked invalid, the message beside it."""
    from services.common.errors import invalid
    basket = {"id": 5, "name": "CM2", "state": "draft", "actions": ["edit", "submit"],
              "action_labels": {"submit": "Envoyer ce panier à l'approbateur"},
              "lines": [{"ean": "9791097284657", "title": "WESTERN", "quantity": 3,
                         "unit_price_ttc": "13.56", "public_price_ttc": "14.90",
                         "discount_percent": "9.00", "discount_amount": "4.02",
                         "total_ttc": "40.68", "total_ht": "38.56", "vat_rate": "5.5"}],
              "totals": {"discount_total": "4.02", "subtotal_ht": "38.56", "vat_total": "2.12",
                         "subtotal_ttc": "40.68", "total_ttc": "40.68"}}
    rpc.answers[("baskets", "get_basket")] = basket
    rpc.answers[("baskets", "add_line")] = invalid("EAN invalide : « 9791097284658 ».")
    sign_in(client, "utilisateur")
    r = client.post("/paniers/5/lignes", data={"ean": "9791097284658", "quantity": "4"})
    page = html.unescape(r.text)
    assert r.status_code == 400 and page.count("EAN invalide : « 9791097284658 ».") >= 1
    assert 'value="9791097284658" aria-invalid="true"' in page and 'value="4"' in page
    rpc.answers[("baskets", "set_quantity")] = invalid("Quantité : de 1 à 999.")
    r = client.post("/paniers/5/lignes/9791097284657", data={"quantity": "10000"})
    page = html.unescape(r.text)
    assert r.status_code == 400 and 'value="10000" inputmode="numeric" aria-invalid="true"' in page
    assert 'id="qty-error-9791097284657"' in page
