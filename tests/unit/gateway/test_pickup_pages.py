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
