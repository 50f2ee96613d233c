"""Manual payments (a cheque or cash received by the bookshop) and `payment_state_changed` at
every state a payment enters (issue 9, reference 003), on a temporary SQLite database."""
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.payments import domain, use_cases
from services.payments.adapters import sandbox
from services.payments.adapters.providers import ProviderError, parse_notification
from services.payments.domain import payouts
from services.payments.models import Payment, PayoutLine, SandboxNotification

from .conftest import NOW, checkout_id
from .test_use_cases import callback, event, paid, refund, start


# ---- the cheque number's rule ----------------------------------------------------------------
@pytest.mark.parametrize("typed, kept", [("1234567", "1234567"), (" 0012345 ", "0012345"),
                                         ("123 4567", "1234567"), ("9999999", "9999999")])
def test_a_cheque_number_is_seven_digits(typed, kept):
    assert domain.check_cheque_number("cheque", typed) == kept


@pytest.mark.parametrize("typed", ["", "   ", None, "123456", "12345678", "12a4567", "123-4567",
                                   "１２３４５６７", "١٢٣٤٥٦٧", "0000000", "1234567\x00", 1234567,
                                   "12345.7", "+123456"])
def test_anything_else_is_refused_in_french(typed):
    with pytest.raises(DomainError) as exc:
        domain.check_cheque_number("cheque", typed)
    assert exc.value.code == "invalid"
    assert "chèque" in exc.value.message and exc.value.details["cheque_number"]


def test_cash_has_no_cheque_number():
    assert domain.check_cheque_number("cash", "") == ""
    assert domain.check_cheque_number("cash", None) == ""
    with pytest.raises(DomainError) as exc:
        domain.check_cheque_number("cash", "1234567")
    assert "espèces" in exc.value.message


# ---- the manual payment's decision -------------------------------------------------------------
def test_a_manual_payment_is_checked_whole():
    m = domain.manual_payment("sub_order", "154", "14.90", "cheque", "1234567",
                              "admin@librairie.test")
    assert (m.amount, m.method, m.cheque_number, m.key) == (
        Decimal("14.90"), "cheque", "1234567", "manual:sub_order:154")
    assert m.description == "Chèque n° 1234567 reçu à la librairie"
    cash = domain.manual_payment("sub_order", "154", "14.90", "cash", "", "admin")
    assert cash.cheque_number == "" and cash.description == "Espèces reçues à la librairie"


@pytest.mark.parametrize("args, field", [
    (("quote", "154", "14.90", "cheque", "1234567", "a"), "reference_kind"),
    (("sub_order", "", "14.90", "cheque", "1234567", "a"), "reference_id"),
    (("sub_order", "154", "14.90", "online", "", "a"), "method"),
    (("sub_order", "154", "14.90", "carte", "", "a"), "method"),
    (("sub_order", "154", "0", "cash", "", "a"), "amount"),
    (("sub_order", "154", 14.9, "cash", "", "a"), "amount"),
    (("sub_order", "154", "14.90", "cheque", "12", "a"), "cheque_number"),
    (("sub_order", "154", "14.90", "cash", "", ""), "by"),
])
def test_a_bad_manual_payment_is_refused(args, field):
    with pytest.raises(DomainError) as exc:
        domain.manual_payment(*args)
    assert exc.value.code == "invalid" and field in exc.value.details


def test_manual_payments_have_no_fee_and_are_never_paid_out():
    rule = payouts.PayoutRule()
    assert payouts.payment_fee("online", Decimal("14.90"), rule) == Decimal("0.68")
    assert payouts.payment_fee("cheque", Decimal("14.90"), rule) == Decimal("0.00")
    assert payouts.payment_fee("cash", Decimal("14.90"), rule) == Decimal("0.00")
    assert domain.paid_out("online") and not domain.paid_out("cheque") \
        and not domain.paid_out("cash")


# ---- recording one ----------------------------------------------------------------------------
def manual(db, record, method="cheque", number="1234567", amount="14.90", reference_id="154"):
    with db.transaction() as s:
        return use_cases.record_manual_payment(s, "sub_order", reference_id, amount, method,
                                               number, "admin@librairie.test", NOW, record)


def test_a_cheque_is_one_confirmed_payment_with_its_number(db, record):
    view = manual(db, record)
    assert view == {**view, "state": "succeeded", "state_label": "Paiement confirmé",
                    "method": "cheque", "method_label": "Chèque", "cheque_number": "1234567",
                    "recorded_by": "admin@librairie.test", "provider": "manual",
                    "amount": "14.90", "reference_id": "154"}
    assert record.types() == ["payment_succeeded"]
    (succeeded,) = [p for _, p in record.events()]
    assert (succeeded["method"], succeeded["cheque_number"], succeeded["amount"]) == (
        "cheque", "1234567", Decimal("14.90"))
    assert record.states() == [(view["payment_id"], "succeeded", "Paiement confirmé")]
    (changed,) = [p for t, p in record.all_events() if t == "payment_state_changed"]
    assert (changed["method"], changed["cheque_number"], changed["reference_kind"]) == (
        "cheque", "1234567", "sub_order")
    # no provider fee, not in a payout
    with db.transaction() as s:
        assert s.query(PayoutLine).count() == 0
    with db.transaction() as s:
        assert use_cases.list_payouts(s) == []


def test_a_second_record_is_refused_and_changes_nothing(db, record):
    manual(db, record)
    for method, number in (("cheque", "1234567"), ("cheque", "7654321"), ("cash", "")):
        with pytest.raises(DomainError) as exc:
            manual(db, record, method, number)
        assert exc.value.code == "conflict" and "chèque n° 1234567" in exc.value.message
    with db.transaction() as s:
        assert s.query(Payment).count() == 1
    assert record.types() == ["payment_succeeded"] and len(record.states()) == 1


def test_a_bad_number_records_nothing(db, record):
    with pytest.raises(DomainError) as exc:
        manual(db, record, number="12AB567")
    assert exc.value.code == "invalid"
    with db.transaction() as s:
        assert s.query(Payment).count() == 0
    assert record.all_events() == []


def test_a_reference_paid_online_cannot_be_paid_by_cheque(db, provider, record):
    paid(db, provider, record)
    with pytest.raises(DomainError) as exc:
        manual(db, record)
    assert exc.value.code == "conflict" and "déjà payée" in exc.value.message


def test_a_manual_payment_is_given_back_by_hand_at_once(db, provider, record):
    """Cancelled after the bookshop recorded it: the bookshop hands the cheque or the cash
    back; no provider is asked, the refund is done at once, no payout touched."""
    view = manual(db, record, "cash", "")
    refunded = refund(db, provider, record, view["payment_id"])
    assert (refunded["state"], refunded["state_label"]) == ("refunded", "Annulé")
    (r,) = refunded["refunds"]
    assert (r["amount"], r["state"], r["late"]) == ("14.90", "succeeded", False)
    assert record.types() == ["payment_succeeded", "payment_refunded"]
    assert [s for _, s, _ in record.states()] == ["succeeded", "refunded"]
    refund(db, provider, record, view["payment_id"])  # again: nothing more
    assert len(record.states()) == 2
    with db.transaction() as s:
        assert s.query(PayoutLine).count() == 0


# ---- payment_state_changed: one per state entered, a payment started: one, online -------
def test_starting_publishes_processing_from_pending(db, provider, record):
    """Created pending and sent to the provider's page in one transaction: one event (issue
    11: the order desk's work halved), the state left in `previous_state`."""
    started = start(db, provider, record)
    pid = started["payment_id"]
    assert record.states() == [(pid, "processing", "Paiement en cours de traitement")]
    assert record.moves() == [("pending", "processing")]
    start(db, provider, record)  # the same key: the same payment, no new state
    assert len(record.states()) == 1


def test_a_provider_down_at_start_enters_error(db, record):
    class Broken:
        name = "sandbox"

        def create_checkout(self, session, request):
            raise ProviderError("down")

    pid = start(db, Broken(), record)["payment_id"]
    assert record.states() == [(pid, "error", "Erreur technique")]
    assert record.moves() == [("pending", "error")]


@pytest.mark.parametrize("kind, state, label", [
    ("payment.succeeded", "succeeded", "Paiement confirmé"),
    ("payment.refused", "refused", "Paiement refusé"),
    ("payment.cancelled", "cancelled", "Annulé"),
    ("payment.error", "error", "Erreur technique")])
def test_each_notified_move_records_exactly_one(db, provider, record, kind, state, label):
    started = start(db, provider, record)
    before = len(record.states())
    callback(db, record, event(kind, checkout_id(started)))
    assert record.states()[before:] == [(started["payment_id"], state, label)]
    assert record.moves()[before:] == [("processing", state)]
    callback(db, record, event(kind, checkout_id(started)))  # a duplicate: nothing
    assert len(record.states()) == before + 1


def test_a_refund_enters_refunded_once(db, provider, record):
    pid = paid(db, provider, record)
    before = len(record.states())
    refund(db, provider, record, pid)
    refund(db, provider, record, pid)  # already refunded: nothing
    assert record.states()[before:] == [(pid, "refunded", "Annulé")]


def test_a_late_success_enters_succeeded_then_refunded(db, provider, record):
    started = start(db, provider, record)
    chk = checkout_id(started)
    with db.transaction() as s:
        first, _ = sandbox.complete_checkout(s, chk, "refuse", NOW)
        late, _ = sandbox.complete_checkout(s, chk, sandbox.LATE_PAY, NOW)
        bodies = [s.get(SandboxNotification, n).body.encode() for n in (first, late)]
    for body in bodies:
        callback(db, record, parse_notification(body))
    assert record.moves() == [("pending", "processing"), ("processing", "refused"),
                              ("refused", "succeeded"), ("succeeded", "refunded")]


def test_every_state_changed_event_carries_the_reference_003_label(db, provider, record):
    paid(db, provider, record)
    manual(db, record, reference_id="155")
    for _, state, label in record.states():
        assert label == domain.STATE_LABELS[state] and label in domain.LABELS


def test_seven_zeros_are_refused_for_what_they_are():
    """« 0000000 » was refused as not having « exactement 7 chiffres », which it has."""
    with pytest.raises(DomainError) as exc:
        domain.check_cheque_number("cheque", "0000000")
    assert "exactement" not in exc.value.message
    assert "n'est le numéro d'aucun chèque" in exc.value.message
