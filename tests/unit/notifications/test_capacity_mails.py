"""Issue 10: a grouped order whose minimum was not reached mails each buyer and the initiator
(grouped_order_failed), and not the usual cancellation mails."""
from services.common.contracts.events import CONTRACTS, load_envelope, make_envelope
from services.notifications import domain, presenters
from tests.unit.notifications.test_grouped_order_mails import BUYER, REF

FAILED = dict(REF, reason="Minimum non atteint à la clôture des souscriptions : 7 exemplaires payés sur les "
              "10 nécessaires.", min_copies=10, paid_copies=7)


def received(kind, payload):
    return load_envelope(kind, make_envelope(kind, payload, CONTRACTS[kind].source))[1]


def test_the_buyer_who_paid_is_told_of_the_automatic_refund():
    payload = received("grouped_order_failed", dict(
        FAILED, audience="buyer", to_email=BUYER["email"], sub_order_number=148, buyer=BUYER,
        total_ttc="29.80", refund_expected=True,
        lines=[{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "quantity": 2,
                "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "29.80"}]))
    to, subject, body = presenters.render("grouped_order_failed", payload, "http://x")
    assert to == BUYER["email"]
    assert subject == "Commande groupée n° 62 annulée : minimum d'exemplaires non atteint"
    assert "Bonjour Jared Leto" in body and "minimum de 10 exemplaires payés" in body
    assert "7 payés" in body and "2 × « WESTERN COQUILLETTES »" in body
    assert "29,80\xa0€" in body and "remboursé automatiquement" in body


def test_the_buyer_who_had_not_paid_is_not_charged_and_the_initiator_is_told():
    payload = received("grouped_order_failed", dict(
        FAILED, audience="buyer", to_email="bob@free.fr", sub_order_number=149,
        buyer=dict(BUYER, email="bob@free.fr"), total_ttc="14.90", refund_expected=False))
    assert "vous ne serez pas débité" in presenters.render("grouped_order_failed", payload,
                                                            "http://x")[2]
    payload = received("grouped_order_failed", dict(FAILED, audience="initiator",
                                                    to_email=REF["initiator_email"]))
    to, _, body = presenters.render("grouped_order_failed", payload, "http://x")
    assert to == REF["initiator_email"]
    assert "7 exemplaires payés sur les 10 nécessaires" in body
    assert "remboursés automatiquement" in body


def test_the_usual_cancellation_mails_are_not_sent_for_a_failed_minimum():
    assert not domain.wanted("grouped_order_cancelled", dict(REF, minimum_failed=True))
    assert not domain.wanted("sub_order_cancelled", {"minimum_failed": True})
    assert domain.wanted("grouped_order_cancelled", dict(REF))
    assert domain.wanted("sub_order_cancelled", {})


def test_a_title_minimum_names_the_title_in_both_mails():
    reason = ("Minimum non atteint à la clôture des souscriptions pour « WESTERN COQUILLETTES » (titre "
              "obligatoire) : 3 exemplaires payés sur les 5 nécessaires.")
    common = dict(REF, reason=reason, min_copies=None, paid_copies=9, per_title=True)
    payload = received("grouped_order_failed", dict(
        common, audience="buyer", to_email=BUYER["email"], sub_order_number=148, buyer=BUYER,
        total_ttc="29.80", refund_expected=True))
    body = presenters.render("grouped_order_failed", payload, "http://x")[2]
    assert f"ne sera pas passée. {reason} Elle est annulée, et votre commande n° 148" in body
    assert "None" not in body and "remboursé automatiquement" in body
    payload = received("grouped_order_failed", dict(common, audience="initiator",
                                                    to_email=REF["initiator_email"]))
    body = presenters.render("grouped_order_failed", payload, "http://x")[2]
    assert f"ne sera pas passée. {reason}" in body and "None" not in body


def test_the_initiator_is_told_which_optional_title_was_dropped_at_the_deadline():
    from tests.unit.notifications.test_grouped_order_mails import received as passed
    loaded = passed("grouped_order_deadline_passed", dropped_titles=[
        {"ean": "9782362210419", "title": "LE LIVRE", "min_copies": 3}])
    body = presenters.render("grouped_order_deadline_passed", loaded, "http://x")[2]
    assert ("« LE LIVRE » n'a pas atteint son minimum de 3 exemplaires payés : ce titre "
            "facultatif est retiré de la commande") in body
    body = presenters.render("grouped_order_deadline_passed",
                             passed("grouped_order_deadline_passed"), "http://x")[2]
    assert "retiré" not in body
