"""The progress state machine of the desk (references 002 §2 and 003 step 2): the forward path
and its jumps, Annulée with its reason, Erreur and how it is left, the quote's shorter path, the
moves asked of the owner, the owners' events, the mails."""
import pytest

from services.common.errors import DomainError
from services.common.progress import (CANCELLED, CONFIRMING, DELIVERING, DONE, ERROR, PATH,
                                      PROCESSING, READY, REGISTERED)
from services.order_desk.domain import progress as p


def codes(kind, current, before=None):
    return p.next_states(kind, current, before)


def test_the_reference_menu_on_a_registered_order():
    # 002 §2: from « Commande Enregistrée »: Confirmation en cours, En cours de traitement,
    # Terminé, Annulée, Erreur
    assert codes("collectivity_order", REGISTERED) == (CONFIRMING, PROCESSING, DONE, CANCELLED,
                                                       ERROR)


def test_ready_only_after_processing_and_delivering_only_after_ready():
    for kind in ("sub_order", "collectivity_order"):
        assert READY not in codes(kind, REGISTERED) and READY not in codes(kind, CONFIRMING)
        assert codes(kind, PROCESSING)[:2] == (READY, DONE)
        assert DELIVERING not in codes(kind, PROCESSING)
        assert codes(kind, READY)[:2] == (DELIVERING, DONE)
        assert codes(kind, DELIVERING) == (DONE, CANCELLED, ERROR)


def test_nothing_goes_back_on_the_path():
    for i, current in enumerate(PATH[:-1]):
        for earlier in PATH[:i]:
            with pytest.raises(DomainError) as e:
                p.check_move("sub_order", current, earlier)
            assert e.value.code == "conflict"


def test_done_and_cancelled_are_final():
    for final in (DONE, CANCELLED):
        assert codes("sub_order", final) == ()
        with pytest.raises(DomainError, match="ne change plus"):
            p.check_move("sub_order", final, ERROR)
    with pytest.raises(DomainError):
        p.check_move("sub_order", DONE, CANCELLED, "trop tard")


def test_cancelled_and_error_from_any_state_but_done():
    for current in PATH[:-1]:
        assert {CANCELLED, ERROR} <= set(codes("sub_order", current))
        assert p.check_move("sub_order", current, ERROR).to_status == ERROR


def test_cancelling_needs_a_reason():
    with pytest.raises(DomainError) as e:
        p.check_move("sub_order", PROCESSING, CANCELLED, "   ")
    assert e.value.code == "invalid" and "motif" in e.value.message
    assert "comment" in e.value.details
    move = p.check_move("quote", PROCESSING, CANCELLED, "  Le client renonce ")
    assert move.comment == "Le client renonce"
    with pytest.raises(DomainError, match="trop long"):
        p.check_move("quote", PROCESSING, CANCELLED, "x" * (p.REASON_MAX + 1))


def test_error_is_left_for_the_state_before_it_or_cancelled():
    history = [(None, REGISTERED), (REGISTERED, PROCESSING), (PROCESSING, ERROR)]
    before = p.before_error(history)
    assert before == PROCESSING
    assert codes("sub_order", ERROR, before) == (PROCESSING, CANCELLED)
    move = p.check_move("collectivity_order", ERROR, PROCESSING, before_error=before)
    assert move.recorded_by_desk
    with pytest.raises(DomainError):
        p.check_move("sub_order", ERROR, DONE, before_error=before)
    # without a known state before it: only Annulée
    assert codes("sub_order", ERROR, None) == (CANCELLED,)
    # back to ready after an error: the owner made it available already, the desk records it
    assert p.check_move("grouped_order", ERROR, READY, before_error=READY).owner is None
    assert p.check_move("grouped_order", ERROR, CANCELLED, "x", before_error=READY).owner


def test_a_quote_is_never_ready_nor_delivering():
    assert codes("quote", PROCESSING) == (DONE, CANCELLED, ERROR)
    with pytest.raises(DomainError, match="jamais"):
        p.check_move("quote", PROCESSING, READY)


def test_unknown_kind_or_state_is_a_400():
    for args in (("commande", REGISTERED, DONE), ("quote", REGISTERED, "fini")):
        with pytest.raises(DomainError) as e:
            p.check_move(*args)
        assert e.value.code == "invalid"


def test_a_stale_move_is_a_409():
    with pytest.raises(DomainError) as e:
        p.check_move("sub_order", PROCESSING, READY, expected=CONFIRMING)
    assert e.value.code == "conflict" and "entre-temps" in e.value.message
    assert p.check_move("sub_order", PROCESSING, READY, expected=PROCESSING).to_status == READY
    with pytest.raises(DomainError, match="déjà"):
        p.check_move("sub_order", READY, READY)


def test_owner_moves_are_asked_of_the_owner():
    asked = {(kind, to): p.check_move(kind, frm, to, "motif").owner
             for kind, frm, to in [
                 ("sub_order", PROCESSING, CANCELLED),
                 ("grouped_order", REGISTERED, PROCESSING),
                 ("grouped_order", PROCESSING, READY),
                 ("grouped_order", READY, CANCELLED),
                 ("collectivity_order", PROCESSING, READY),
                 ("collectivity_order", READY, DELIVERING),
                 ("collectivity_order", REGISTERED, DONE),
                 ("collectivity_order", REGISTERED, CANCELLED)]}
    assert {k: (a.service, a.action) for k, a in asked.items()} == {
        ("sub_order", CANCELLED): ("grouped_orders", "admin_cancel_sub_order"),
        ("grouped_order", PROCESSING): ("grouped_orders", "validate_grouped_order"),
        ("grouped_order", READY): ("grouped_orders", "make_available"),
        ("grouped_order", CANCELLED): ("grouped_orders", "cancel_grouped_order"),
        ("collectivity_order", READY): ("baskets", "made_available"),
        ("collectivity_order", DELIVERING): ("baskets", "shipped"),
        ("collectivity_order", DONE): ("baskets", "closed"),
        ("collectivity_order", CANCELLED): ("baskets", "cancelled")}


def test_desk_moves_are_recorded_by_the_desk():
    for kind, frm, to in [("sub_order", REGISTERED, CONFIRMING), ("sub_order", READY, DONE),
                          ("grouped_order", REGISTERED, CONFIRMING),
                          ("grouped_order", READY, DELIVERING), ("grouped_order", READY, DONE),
                          ("collectivity_order", REGISTERED, PROCESSING),
                          ("quote", PROCESSING, DONE), ("quote", REGISTERED, CANCELLED),
                          ("grouped_order", PROCESSING, ERROR)]:
        assert p.check_move(kind, frm, to, "motif").recorded_by_desk, (kind, frm, to)


def test_a_grouped_order_is_done_only_after_its_owner_made_it_available():
    assert DONE not in codes("grouped_order", REGISTERED)
    assert DONE not in codes("grouped_order", PROCESSING)
    with pytest.raises(DomainError, match="Commande prête"):
        p.check_move("grouped_order", PROCESSING, DONE)
    with pytest.raises(DomainError, match="En cours de traitement"):
        p.check_move("grouped_order", CONFIRMING, DONE)


def test_owners_events_move_forward_only():
    assert p.owner_applies(None, REGISTERED)
    assert p.owner_applies(REGISTERED, READY)            # the owner jumped: so be it
    assert p.owner_applies(PROCESSING, DONE)
    assert not p.owner_applies(DELIVERING, READY)        # late made_available after shipped
    assert not p.owner_applies(READY, READY)             # the same event again
    assert p.owner_applies(READY, CANCELLED)
    assert p.owner_applies(ERROR, READY)
    assert not p.owner_applies(DONE, CANCELLED)
    assert not p.owner_applies(CANCELLED, PROCESSING)
    assert p.owner_applies(DONE, PROCESSING, reset=True)  # « Réinitialiser le statut »
    assert not p.owner_applies(PROCESSING, PROCESSING, reset=True)


def test_mails_except_cancelled_and_error_and_not_twice():
    assert [s for s in PATH if p.mails_customer(s)] == list(PATH)
    assert not p.mails_customer(CANCELLED) and not p.mails_customer(ERROR)
    assert not p.mails_customer(READY, owner_mailed=True)


def test_the_menu_says_which_moves_need_a_reason_and_the_owner():
    menu = p.menu("grouped_order", PROCESSING)
    assert [m["code"] for m in menu] == [READY, CANCELLED, ERROR]
    assert menu[0] == {"code": READY, "label": "Commande prête", "owner": True,
                       "needs_reason": False}
    assert menu[1]["needs_reason"] and menu[1]["owner"]
    assert not menu[2]["owner"]
