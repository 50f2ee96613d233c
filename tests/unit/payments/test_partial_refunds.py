"""Partial refunds (issue 10, K3: a title cut, the difference given back): several refunds per
payment, each once under its own key, together never more than was paid; the payment stays
confirmed until all is given back; each refund reduces the payout its payment is in."""
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.payments import domain, use_cases
from services.payments.models import SandboxRefund

from .conftest import NOW
from .test_payouts_use_cases import payouts_of
from .test_use_cases import paid, refund


def part(db, provider, record, payment_id, amount, key):
    with db.transaction() as s:
        return use_cases.refund_payment(s, provider, payment_id, amount, "titre indisponible",
                                        NOW, record, request_key=key)


def test_the_partial_refund_rules():
    assert domain.refundable_left(Decimal("39.80"), [("succeeded", "14.90"),
                                                     ("pending", "5.00")]) == Decimal("19.90")
    assert domain.partial_refund_needed("succeeded", Decimal("39.80"), [("succeeded", "14.90")],
                                        Decimal("24.90"), False)
    assert not domain.partial_refund_needed("succeeded", Decimal("39.80"), [], Decimal("1"), True)
    with pytest.raises(DomainError, match="reste remboursable sur ce paiement \\(24.90 €"):
        domain.partial_refund_needed("succeeded", Decimal("39.80"), [("succeeded", "14.90")],
                                     Decimal("24.91"), False)
    with pytest.raises(DomainError, match="supérieur à 0"):
        domain.partial_refund_needed("succeeded", Decimal("39.80"), [], Decimal("0"), False)
    with pytest.raises(DomainError, match="Seul un paiement confirmé"):
        domain.partial_refund_needed("refunded", Decimal("39.80"), [], Decimal("1"), False)
    with pytest.raises(DomainError, match="Clé"):
        domain.check_partial_key("")
    assert domain.fully_refunded(Decimal("10"), [("succeeded", "4"), ("succeeded", "6")])
    assert not domain.fully_refunded(Decimal("10"), [("succeeded", "4"), ("pending", "6")])


def test_partial_refunds_add_up_to_the_payment_at_most(db, provider, record):
    payment_id = paid(db, provider, record, amount="39.80")
    first = part(db, provider, record, payment_id, "14.90", "adjust-1-sub-7")
    assert first["state"] == "succeeded" and [r["amount"] for r in first["refunds"]] == ["14.90"]
    # the same key again (a double click, a redelivered event): nothing more
    again = part(db, provider, record, payment_id, "14.90", "adjust-1-sub-7")
    assert [r["amount"] for r in again["refunds"]] == ["14.90"]
    with pytest.raises(DomainError, match="reste remboursable"):
        part(db, provider, record, payment_id, "24.91", "adjust-2-sub-7")
    last = part(db, provider, record, payment_id, "24.90", "adjust-2-sub-7")
    assert last["state"] == "refunded"   # all given back
    assert [r["amount"] for r in last["refunds"]] == ["14.90", "24.90"]
    with db.transaction() as s:  # the provider was asked twice, for these amounts
        assert sorted(str(r.amount) for r in s.query(SandboxRefund)) == ["14.90", "24.90"]
    refunded = [p for t, p in record.events() if t == "payment_refunded"]
    assert [(p["amount"], p["partial"], p["request_key"]) for p in refunded] == [
        (Decimal("14.90"), True, "adjust-1-sub-7"), (Decimal("24.90"), True, "adjust-2-sub-7")]
    (payout,) = payouts_of(db)
    assert [line["kind"] for line in payout["lines"]] == ["payment", "refund", "refund"]
    # the fee stays the payment's (2.9 % of 39.80 + 0.25 = 1.40): net = gross - fees - refunds
    assert (payout["gross"], payout["fees"], payout["refunds"], payout["net"]) == (
        "39.80", "1.40", "39.80", "-1.40")


def test_a_whole_refund_after_a_partial_one_gives_back_what_is_left(db, provider, record):
    payment_id = paid(db, provider, record, amount="39.80")
    part(db, provider, record, payment_id, "14.90", "adjust-1-sub-7")
    done = refund(db, provider, record, payment_id)
    assert done["state"] == "refunded"
    assert [r["amount"] for r in done["refunds"]] == ["14.90", "24.90"]
    assert payouts_of(db)[0]["refunds"] == "39.80"


@pytest.mark.parametrize("partial_confirmed_first", [True, False])
def test_a_partial_refund_still_pending_does_not_swallow_the_rest(db, provider, record,
                                                                   partial_confirmed_first):
    """A provider that confirms refunds later: a title cut's (or a credit note's) partial
    refund still pending, then the sub-order cancelled: the cancellation's refund of the rest
    was taken for a duplicate (« awaiting confirmation ») and dropped, the parent never
    refunded. Both go to the provider now; confirmed in either order, the payment ends
    refunded, each refund counted once in the payout."""
    from dataclasses import replace

    from services.payments.adapters import sandbox
    from services.payments.adapters.providers import CallbackEvent
    from services.payments.models import Payment

    from .test_use_cases import callback, get

    class Later(sandbox.SandboxProvider):
        def refund(self, session, request):
            return replace(super().refund(session, request), confirmed=False)

    later = Later(provider.settings)
    payment_id = paid(db, later, record, amount="39.80")
    part(db, later, record, payment_id, "14.90", "credit-2027-03-000000002")
    view = refund(db, later, record, payment_id, amount="24.90")  # the cancellation: the rest
    assert [(r["amount"], r["state"]) for r in view["refunds"]] == [
        ("14.90", "pending"), ("24.90", "pending")]
    assert refund(db, later, record, payment_id, amount="24.90") == view  # its duplicate
    with db.transaction() as s:
        p = s.get(Payment, payment_id)
        refs = [(r.provider_ref, r.amount) for r in p.refunds]
        checkout = p.checkout_id
    order = refs if partial_confirmed_first else list(reversed(refs))
    for i, (ref, amount) in enumerate(order):
        done = callback(db, record, CallbackEvent(f"evt_r{i}", "refund.succeeded", checkout,
                                                  amount, NOW, ref))
        assert done["status"] == "applied"
    assert done["state"] == "refunded"
    final = get(db, payment_id)
    assert sorted(r["state"] for r in final["refunds"]) == ["succeeded", "succeeded"]
    assert payouts_of(db)[0]["refunds"] == "39.80"
    with pytest.raises(DomainError, match="reste remboursable|remboursé"):
        part(db, later, record, payment_id, "0.01", "credit-2027-03-000000009")


def test_a_keyless_refund_never_gives_back_more_than_is_left(db, provider, record):
    payment_id = paid(db, provider, record, amount="39.80")
    part(db, provider, record, payment_id, "14.90", "credit-2027-03-000000002")
    done = refund(db, provider, record, payment_id, amount="30.00")  # asked too much
    assert done["state"] == "refunded"
    assert [r["amount"] for r in done["refunds"]] == ["14.90", "24.90"]


def test_the_provider_is_asked_each_refund_with_its_own_stable_key(db, provider, record):
    """A refund asked again after the transaction that asked it rolled back (the provider had
    answered; an HTTP provider would have refunded twice): the same key, the same refund."""
    from services.payments.adapters.providers import RefundRequest
    from services.payments.models import Payment
    seen = []

    class Keeping(type(provider)):
        def refund(self, session, request):
            seen.append(request.idempotency_key)
            return super().refund(session, request)

    keeping = Keeping(provider.settings)
    payment_id = paid(db, keeping, record, amount="39.80")
    part(db, keeping, record, payment_id, "14.90", "credit-2027-03-000000002")
    refund(db, keeping, record, payment_id)
    assert seen == [f"{payment_id}:credit-2027-03-000000002", f"{payment_id}:all"]
    with db.transaction() as s:
        checkout = s.get(Payment, payment_id).checkout_id
        again = [keeping.refund(s, RefundRequest(payment_id, checkout, Decimal("14.90"), "x",
                                                 idempotency_key=seen[0])).provider_ref
                 for _ in range(2)]
        assert again[0] == again[1]
        assert s.query(SandboxRefund).count() == 2  # no third refund


def test_the_rest_refunded_first_leaves_the_payment_open_for_the_partial_one(db, provider,
                                                                           record):
    """The cancellation's refund of the rest (no key) handled before a credit note's partial
    refund (a retry, two relays): it closed the payment (« refunded » with 24,90 of 39,80 given
    back) and the partial refund was then refused (« Seul un paiement confirmé… ») for good."""
    payment_id = paid(db, provider, record, amount="39.80")
    first = refund(db, provider, record, payment_id, amount="24.90")
    assert first["state"] == "succeeded"  # 14,90 still paid
    last = part(db, provider, record, payment_id, "14.90", "credit-2027-03-000000002")
    assert last["state"] == "refunded"
    assert sorted(r["amount"] for r in last["refunds"]) == ["14.90", "24.90"]
    assert payouts_of(db)[0]["refunds"] == "39.80"
