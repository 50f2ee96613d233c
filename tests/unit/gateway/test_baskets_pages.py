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
    assert page.status_code == 200 and "retourné au rôle précédent" in page.text
    assert rpc.called("baskets", "return_basket") == [(3, 5, "Deux suffisent.")]


def test_a_refused_return_stays_on_the_basket_with_its_message(client, rpc):
    from services.common.errors import conflict
    rpc.answers[("baskets", "return_basket")] = conflict("Ce panier n'est plus à valider.")
    sign_in(client, "approbateur")
    r = client.post("/paniers/5/retourner", data={"comment": "x"})
    assert r.headers["Location"].endswith("/paniers/5")
