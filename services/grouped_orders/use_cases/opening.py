"""The initiator moves the opening day (issue 10, K1) while subscriptions have not opened yet:
a later or earlier day up to the deadline, or none (open at once)."""
from services.common.guards import transition

from .. import domain
from ..models import GroupedOrder
from ..presenters import grouped_order_view
from .load import own


def change_opening(session, number, account_id, opens_on, now, public_url) -> dict:
    go = own(session, number, account_id)
    session.refresh(go, with_for_update=True)
    domain.check_opening_change(go.status, go.opens_on, now)
    new = domain.check_opening(opens_on, go.deadline, now)
    # guarded: still open and still on the day this decision was made from
    transition(session, GroupedOrder, go.number, [domain.OPEN], {"opens_on": new},
               where=(GroupedOrder.opens_on == go.opens_on,),
               message=domain.ALREADY_OPENED)
    return grouped_order_view(go, now, public_url)
