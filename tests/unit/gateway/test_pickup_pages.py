"""A buyer paying at pickup (issue 10 K5) reads their result page in French: the amount as
French writes it, with its euro sign (Flask's test client, a fake RPC pool)."""
import html

from tests.unit.gateway import samples

TOKEN, BUYER = "T" * 32, "B" * 32


def test_the_pickup_message_writes_the_amount_in_french(client, rpc):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="pickup", total="46.30", last_payment_id=None)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "Vous la paierez au retrait des livres (46,30\xa0€, par chèque" in page
    assert "46.30" not in page


CLOSED = dict(samples.PUBLIC, status="awaiting_validation", subscriptions_open=False)


def _result(client, rpc, method, **kw):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method=method, grouped_order=CLOSED, can_pay=False, **kw)
    return html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)


def test_once_closed_a_parent_paying_at_pickup_is_not_told_no_payment_can_start(client, rpc):
    """Subscriptions closed, a parent paying at pickup read under « Payer au retrait des
    livres » that « aucun nouveau paiement ne peut être commencé », as if they could no longer
    pay for the books reserved for them."""
    page = _result(client, rpc, "pickup")
    assert "Payer au retrait des livres" in page and "Réservée : à payer au retrait" in page
    assert "aucun nouveau paiement" not in page and "closed-note" not in page
    # a cheque not brought yet: online is closed, the bookshop is the one to ask
    page = _result(client, rpc, "cheque")
    assert ("Les souscriptions sont closes : le paiement en ligne n'est plus possible. Si vous "
            "n'avez pas encore apporté votre chèque à la librairie, contactez-la") in page
    assert "aucun nouveau paiement" not in page
    # online, abandoned: still the plain sentence
    page = _result(client, rpc, "online")
    assert "Les souscriptions sont closes : aucun nouveau paiement ne peut être commencé." in page


def _hint(client, rpc, methods):
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, payment_methods=methods,
        payment_method_choices=[{"value": m, "label": m} for m in methods])
    page = html.unescape(client.get(f"/souscription/{TOKEN}").text)
    return page.split('id="payment-method-hint">', 1)[1].split("</p>", 1)[0]


def test_the_form_explains_only_the_methods_offered(client, rpc):
    """Online and « au retrait » offered, the form said « Par chèque ou en espèces : vous
    apportez votre paiement à la librairie au plus tard le … » although neither was offered and
    a parent paying at pickup pays on distribution day."""
    hint = _hint(client, rpc, ["online", "pickup"])
    assert "chèque ou en espèces le jour de la distribution" in hint
    assert "au plus tard" not in hint and "apportez" not in hint
    hint = _hint(client, rpc, ["online", "cheque"])
    assert hint.startswith("Par chèque à la librairie : vous apportez votre paiement")
    assert "distribution" not in hint and "espèces" not in hint
    hint = _hint(client, rpc, ["online", "cheque", "cash", "pickup"])
    assert hint.startswith("Par chèque ou en espèces à la librairie : vous apportez")
    assert hint.endswith("le jour de la distribution.")


def test_after_the_distribution_an_absent_parent_is_not_sent_to_a_day_past(client, rpc):
    done = dict(samples.PUBLIC, status="closed", subscriptions_open=False, distributed=True,
                distribution_label="le jeudi 10 décembre 2026, de 16 h 30 à 18 h")
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="pickup", grouped_order=done, can_pay=False)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "La distribution a eu lieu</strong> : vos livres vous attendent au lieu de retrait. " \
           "Pour convenir d'un moment, contactez ECOLE JULES FERRY ou la librairie" in page
    assert "venez les retirer" not in page
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="pickup", grouped_order=dict(done, distributed=False), can_pay=False)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "venez les retirer le jeudi 10 décembre 2026" in page


def test_a_parent_paying_at_pickup_is_promised_the_ready_mail_only_if_it_will_come(client, rpc):
    told = "vous serez prévenu par e-mail quand les livres seront disponibles"
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="pickup", last_payment_id=None)
    assert told in html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="pickup", last_payment_id=None,
        grouped_order=dict(samples.PUBLIC, buyers_told_when_ready=False))
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert told not in page
    assert f"{samples.PUBLIC['client_name']} vous dira quand les livres seront disponibles" \
        in page
