"""The payment state machine and the checks on a payment request and a refund, without I/O."""
from decimal import Decimal
from itertools import product

import pytest

from services.common.errors import DomainError
from services.common.money import money_str
from services.payments import domain

ALLOWED = {
    ("pending", "processing"), ("pending", "error"),
    ("processing", "succeeded"), ("processing", "refused"), ("processing", "cancelled"),
    ("processing", "error"),
    ("succeeded", "refunded"),
}


def start(**changes):
    data = {"reference_kind": "sub_order", "reference_id": "154", "amount": "14.90",
            "description": "Commande groupée n° 65 – 2 exemplaires",
            "customer_email": "Oscar.Benhattia@laposte.net",
            "return_url": "https://librairie.test/paiement/retour", "idempotency_key": "so-154-1"}
    data.update(changes)
    return data


@pytest.mark.parametrize("current,target", list(product(domain.STATES, domain.STATES)))
def test_every_transition_is_allowed_or_refused(current, target):
    if (current, target) in ALLOWED:
        assert domain.can_move(current, target)
        assert domain.move(current, target) == target
    else:
        assert not domain.can_move(current, target)
        with pytest.raises(DomainError) as exc:
            domain.move(current, target)
        assert exc.value.code == "conflict"
        assert "ne peut pas passer" in exc.value.message


def test_the_machine_only_moves_forward():
    order = {s: i for i, s in enumerate(domain.STATES)}
    for current, target in ALLOWED:
        assert order[target] > order[current]
    for final in ("refused", "cancelled", "error", "refunded"):
        assert domain.TRANSITIONS[final] == frozenset()


def test_every_state_has_its_french_label():
    assert domain.state_label("pending") == "En attente du paiement"
    assert domain.state_label("processing") == "Paiement en cours de traitement"
    assert domain.state_label("succeeded") == "Paiement confirmé"
    assert domain.state_label("refused") == "Paiement refusé"
    assert domain.state_label("cancelled") == "Annulé"
    assert domain.state_label("error") == "Erreur technique"
    assert domain.state_label("refunded") == "Annulé"
    assert set(domain.STATE_LABELS.values()) == set(domain.LABELS) == {
        "Annulé", "Erreur technique", "En attente du paiement",
        "Paiement en cours de traitement", "Paiement refusé", "Paiement confirmé"}
    assert set(domain.FAILURE_REASONS) == set(domain.FAILED_STATES)


@pytest.mark.parametrize("value,expected", [("14.90", "14.90"), ("14.9", "14.90"), (" 7 ", "7.00"),
                                            (12, "12.00"), (Decimal("0.01"), "0.01")])
def test_money_is_read_as_decimal(value, expected):
    assert money_str(domain.parse_money(value)) == expected


@pytest.mark.parametrize("value", [14.9, True, None, "", "abc", "1e3", "14,90", "14.999",
                                   "١٤", "NaN", "Infinity", "1" * 30, Decimal("1E+999999"),
                                   Decimal("NaN"), 10 ** 40, [], {"a": 1}])
def test_anything_but_a_decimal_amount_is_refused(value):
    with pytest.raises(DomainError) as exc:
        domain.parse_money(value)
    assert exc.value.code == "invalid" and "amount" in exc.value.details


def test_a_valid_start_request_is_normalised():
    req = domain.start_request(start(customer_email=" Parent@Example.ORG "))
    assert req.amount == Decimal("14.90") and req.customer_email == "parent@example.org"
    assert req.reference_kind == "sub_order" and req.idempotency_key == "so-154-1"


@pytest.mark.parametrize("amount,ok", [("0", False), ("-1.00", False), ("0.01", True),
                                       ("10000", True), ("10000.00", True), ("10000.01", False)])
def test_the_amount_is_above_zero_and_at_most_10000(amount, ok):
    if ok:
        assert domain.start_request(start(amount=amount)).amount == Decimal(amount)
    else:
        with pytest.raises(DomainError) as exc:
            domain.start_request(start(amount=amount))
        assert exc.value.code == "invalid"
        assert "10 000 €" in exc.value.message


@pytest.mark.parametrize("field,value", [
    ("reference_kind", "basket"), ("reference_kind", ""), ("reference_id", None),
    ("reference_id", "x" * 65), ("description", "  "), ("customer_email", "pas-une-adresse"),
    ("return_url", "javascript:alert(1)"), ("return_url", "/relatif"),
    ("idempotency_key", ""), ("idempotency_key", "k" * 101), ("amount", 14.9)])
def test_an_invalid_field_is_named_in_french(field, value):
    with pytest.raises(DomainError) as exc:
        domain.start_request(start(**{field: value}))
    assert exc.value.code == "invalid" and field in exc.value.details
    assert exc.value.message.startswith(("La ", "Le "))


def test_every_problem_is_listed_at_once():
    with pytest.raises(DomainError) as exc:
        domain.start_request({"amount": "abc"})
    assert {"reference_kind", "reference_id", "description", "customer_email", "return_url",
            "idempotency_key", "amount"} <= set(exc.value.details)
    with pytest.raises(DomainError):
        domain.start_request(["not", "a", "dict"])


def test_the_same_key_must_name_the_same_payment():
    first = domain.start_request(start())
    domain.same_request(first, domain.start_request(start(description="autre texte")))
    for change in ({"amount": "15.00"}, {"reference_id": "155"}):
        with pytest.raises(DomainError) as exc:
            domain.same_request(first, domain.start_request(start(**change)))
        assert exc.value.code == "conflict"


def test_a_paid_reference_takes_no_new_payment():
    domain.check_not_already_paid(["refused", "cancelled", "processing", "refunded"])
    with pytest.raises(DomainError) as exc:
        domain.check_not_already_paid(["refused", "succeeded"])
    assert exc.value.code == "conflict" and "déjà payée" in exc.value.message


def test_the_return_url_gets_the_payment_id():
    assert domain.with_payment_param("http://127.0.0.1:9/retour", "pay_1") == \
        "http://127.0.0.1:9/retour?payment=pay_1"
    assert domain.with_payment_param("https://a.test/r?x=1&payment=old", "pay_2") == \
        "https://a.test/r?x=1&payment=pay_2"


def test_refund_rules():
    paid = Decimal("14.90")
    assert domain.refund_needed("succeeded", paid, paid) is True
    assert domain.refund_needed("succeeded", paid, Decimal("4.90")) is True
    assert domain.refund_needed("refunded", paid, paid) is False
    for state in ("pending", "processing", "refused", "cancelled", "error"):
        with pytest.raises(DomainError) as exc:
            domain.refund_needed(state, paid, paid)
        assert "confirmé" in exc.value.message
    with pytest.raises(DomainError) as exc:
        domain.refund_needed("succeeded", paid, Decimal("14.91"))
    assert "dépasser" in exc.value.message
    with pytest.raises(DomainError):
        domain.refund_needed("succeeded", paid, Decimal("0"))


def test_a_success_after_a_failure_is_a_late_success_to_refund():
    from services.payments import domain as d
    for failed in (d.REFUSED, d.CANCELLED, d.ERROR):
        assert d.late_success(failed, d.SUCCEEDED)
        assert not d.can_move(failed, d.SUCCEEDED)  # the machine itself still moves forward
    for other in (d.PENDING, d.PROCESSING, d.SUCCEEDED, d.REFUNDED):
        assert not d.late_success(other, d.SUCCEEDED)
    assert not d.late_success(d.REFUSED, d.CANCELLED)


def test_what_a_notification_does_to_a_payment():
    """Forward: applied; backwards: ignored; a success after a failure: refunded at once. A
    success tells the provider the money is captured, whatever is done with it."""
    d = domain
    assert d.decide_callback(d.PROCESSING, d.SUCCEEDED) == d.CallbackDecision(d.APPLIED, True)
    assert d.decide_callback(d.PROCESSING, d.REFUSED) == d.CallbackDecision(d.APPLIED, False)
    assert d.decide_callback(d.REFUSED, d.SUCCEEDED) == \
        d.CallbackDecision(d.REFUNDED_AT_ONCE, True)
    assert d.decide_callback(d.SUCCEEDED, d.REFUSED) == d.CallbackDecision(d.IGNORED, False)
    assert d.decide_callback(d.REFUNDED, d.SUCCEEDED) == d.CallbackDecision(d.IGNORED, False)
    with pytest.raises(DomainError):
        d.check_notified_amount(Decimal("14.90"), Decimal("14.91"))
    assert not d.refund_confirmable("succeeded", d.SUCCEEDED)
    assert d.refund_confirmable("pending", d.SUCCEEDED)
    assert not d.refund_needed(d.SUCCEEDED, Decimal("10"), Decimal("5"),
                               awaiting_confirmation=True)
