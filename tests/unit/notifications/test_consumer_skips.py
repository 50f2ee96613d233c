"""Issue 11: notifications receives every `sub_order_placed` but mails only the buyers paying at
the bookshop; an online buyer's event is acknowledged before any transaction (`consumes`'s
`wanted`), and what it does want is handled as before."""
from services.notifications import use_cases
from services.notifications.service import NotificationsService

from .test_cheque_mails import placed


def test_only_the_buyers_paying_at_the_bookshop_open_a_transaction():
    wanted = NotificationsService.on_sub_order_placed.__wanted__
    assert not wanted(placed())  # online: the provider's page, then sub_order_paid
    assert not wanted(placed(payment_method="online"))
    for method in ("cheque", "cash", "pickup"):
        assert wanted(placed(payment_method=method))


def test_an_event_that_alerts_the_bookshop_is_always_wanted():
    assert use_cases.gives_anything("sub_order_paid", {"buyer": {"email": "a@b.fr"}})
    assert use_cases.gives_anything("quote_requested", {})
