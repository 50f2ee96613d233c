"""The buyer's own page (and the payment's result page, the same one) says what was refunded to
them, how much and when, in French: a payment refunded automatically because the grouped order
was cancelled while they paid, a cancelled order's payment, a title cut's difference."""
import html as entities
import re

from tests.unit.gateway import samples

TOKEN, BUYER = "T" * 32, "B" * 32
PAGE = f"/souscription/{TOKEN}/commande/{BUYER}"
AUTO = {"kind": "automatic", "state": "refunded", "amount": "29.80",
        "at": "2026-12-07T09:05:00+00:00",
        "text": "Votre paiement est arrivé alors qu'il n'était plus dû (paiement reçu après "
                "annulation) : il vous a été remboursé automatiquement"}


def page(client, rpc, sub, payment_state=None):
    rpc.answers[("grouped_orders", "buyer_status")] = sub
    if payment_state:
        rpc.answers[("payments", "get_payment")] = {"state": payment_state, "state_label": "x"}
    return client.get(PAGE).text


def test_a_payment_refunded_automatically_after_the_order_was_cancelled(client, rpc):
    sub = samples.sub("cancelled", last_payment_id="p1", cancel_reason="Titre épuisé",
                      refunds=[AUTO], refunded_total="29.80", refunding_total="0.00")
    html = page(client, rpc, sub, "succeeded")
    status = re.search(r"<dt>Statut</dt><dd>(.*?)</dd>", html).group(1)
    assert "Annulée et remboursée" in status
    section = re.search(r'<section[^>]*aria-labelledby="refunds-title".*?</section>', html,
                        re.S).group(0)
    assert '<h2 id="refunds-title">Remboursements</h2>' in section
    text = entities.unescape(" ".join(re.sub(r"<[^>]+>", " ", section).split()))
    assert ("29,80 € : Votre paiement est arrivé alors qu'il n'était plus dû (paiement reçu "
            "après annulation) : il vous a été remboursé automatiquement le 7 décembre 2026 à "
            "10:05, sur le moyen de paiement utilisé.") in text.replace("\xa0", " ")
    assert "Total remboursé : 29,80 €" in text.replace("\xa0", " ")
    # the message at the top says it too
    flash = re.search(r'<p class="flash[^"]*" role="status">(.*?)</p>', html).group(1)
    assert "29,80\xa0€ vous ont été remboursés le 7 décembre 2026 à 10:05" in flash
    # and the polled state (no reload) the same
    answer = client.get(PAGE + "/etat").get_json()
    assert answer["status"] == "Annulée et remboursée"
    assert "vous ont été remboursés le 7 décembre 2026 à 10:05" in answer["message"]


def test_a_refund_in_progress_is_said_in_progress(client, rpc):
    asked = dict(AUTO, state="requested", at=None,
                 text="Votre commande a été annulée (Minimum non atteint) : le montant payé "
                      "vous est remboursé", kind="cancellation", amount="14.90")
    sub = samples.sub("cancelled", refund_state="requested", refund_label="Remboursement "
                      "demandé", refunds=[asked], refunded_total="0.00",
                      refunding_total="14.90")
    html = page(client, rpc, sub).replace("\xa0", " ")
    assert "Annulée, remboursement en cours" in html
    text = entities.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))
    assert ("14,90 € : Votre commande a été annulée (Minimum non atteint) : le montant payé "
            "vous est remboursé (en cours : il peut mettre quelques jours à apparaître sur "
            "votre relevé).") in text
    assert "Remboursement en cours : 14,90 €" in text


def test_a_paid_order_with_a_title_cut_keeps_paid_and_shows_the_difference(client, rpc):
    cut = {"kind": "title_cut", "state": "refunded", "amount": "14.90",
           "at": "2026-12-07T09:05:00+00:00",
           "text": "« WESTERN COQUILLETTES » : 2 → 1 exemplaire : la différence vous a été "
                   "remboursée"}
    html = page(client, rpc, samples.sub("paid", total="14.90", refunds=[cut],
                                         refunded_total="14.90", refunding_total="0.00"))
    status = re.search(r"<dt>Statut</dt><dd>(.*?)</dd>", html).group(1)
    assert "Payée" in status
    assert "la différence vous a été remboursée le 7 décembre 2026 à 10:05" in \
        entities.unescape(html)


def test_no_refund_no_section(client, rpc):
    html = page(client, rpc, samples.sub("paid", refunds=[], refunded_total="0.00",
                                         refunding_total="0.00"))
    assert "Remboursements" not in html
    html = page(client, rpc, samples.sub("paid"))  # an older service: no `refunds`
    assert "Remboursements" not in html


def test_a_cheque_handed_back_is_not_said_refunded_online(client, rpc):
    back = {"kind": "cancellation", "state": "refunded", "amount": "14.90", "by_hand": True,
            "at": "2026-12-07T09:05:00+00:00",
            "text": "Votre commande a été annulée : votre chèque vous est rendu par la "
                    "librairie"}
    html = page(client, rpc, samples.sub("cancelled", refund_state="refunded", refunds=[back],
                                         refunded_total="14.90", refunding_total="0.00"))
    text = entities.unescape(html)
    # recorded at once by the bookshop; the parent still fetches it (« vous a été rendu … le »
    # said it was done when nothing had been handed back yet)
    assert ("votre chèque vous est rendu par la librairie : passez le reprendre à la librairie "
            "(enregistré le 7 décembre 2026 à 10:05).") in text
    assert "14,90\xa0€ vous sont rendus par la librairie : passez les reprendre" in text
    assert "été rendu" not in text
    assert "moyen de paiement utilisé" not in text


def test_money_handed_back_at_pickup_is_listed_as_such(client, rpc):
    handed = {"kind": "at_pickup", "state": "refunded", "amount": "4.90", "by_hand": False,
              "at": "2026-12-07T09:05:00+00:00",
              "text": "Rendu au retrait des livres (Exemplaire abîmé)"}
    text = entities.unescape(page(client, rpc, samples.sub(
        "paid", refunds=[handed], refunded_total="4.90", refunding_total="0.00")))
    assert "Rendu au retrait des livres (Exemplaire abîmé) le 7 décembre 2026 à 10:05." in text
    assert "Total remboursé : <strong>4,90\xa0€</strong>" in text
    assert "moyen de paiement utilisé" not in text and "passez le reprendre" not in text
