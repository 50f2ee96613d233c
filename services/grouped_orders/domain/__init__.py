"""Grouped orders (reference 000, "Gestion des commandes groupées"). Pure Python: the standard
library and the pure modules of services.common only.

A collectivity account initiates a grouped order for one article at its public price, with a
deadline (the last day of subscriptions) and a pickup place. Buyers subscribe from a public link
and pay online; after the deadline the bookshop validates it (every sub-order paid or cancelled)
and it becomes a classic order for Librisoft; once the books are in, it is made available.

One module per topic, each re-exported here (`domain.X`):
- `status`: the statuses, their labels and tabs, the guarded transitions, the bookshop's
  actions on a grouped order and its sub-orders;
- `deadlines`: the deadline day (Paris time), when subscriptions close, days left, the warning;
- `closing`: subscriptions open or closed, what blocks the bookshop's validation;
- `creation`: the initiator's form (deadline, pickup place, comment, the public price);
- `buyers`: a buyer's subscription form, whether a sub-order may be paid;
- `payments`: what a payment, a failure or a refund does to a sub-order (the refund decisions);
- `payment_methods`: online, cheque or cash at the bookshop (what a grouped order allows, the
  buyer's choice);
- `titles`: a reading list's titles and a sub-order's lines (issue 10);
- `summary`: a sub-order's total and the summary of a grouped order's sub-orders, per title;
- `documents`: the lines, totals and payment of an order's document (`order_document`);
- `reminders`: who gets a reminder mail before the deadline, and from which day;
- `opening`: when the initiator may still move the opening day;
- `capacity`: the minimum of copies to go ahead and the capacity cap (issue 10);
- `title_minimums`: a minimum per title, and what the deadline does with each (issue 10);
- `suppliers`: the totals to send to suppliers, per publisher and title, for one grouped order
  or every one closing in a period (issue 10 K2);
- `unavailability`: a title cut (issue 10, K3): first subscribed served first, the
  difference refunded or noted « à rendre »;
- `distribution`: distribution day's ticks, notes and validation (issue 10 K5);
- `refunds`: what a buyer's own page says of the money given back to them."""
from .buyers import *  # noqa: F401,F403
from .closing import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .deadlines import *  # noqa: F401,F403
from .payment_methods import *  # noqa: F401,F403
from .payments import *  # noqa: F401,F403
from .status import *  # noqa: F401,F403
from .summary import *  # noqa: F401,F403
from .documents import *  # noqa: F401,F403
from .titles import *  # noqa: F401,F403
from .reminders import *  # noqa: F401,F403,E402
from .opening import *  # noqa: F401,F403,E402
from .capacity import *  # noqa: F401,F403
from .title_minimums import *  # noqa: F401,F403
from .suppliers import *  # noqa: F401,F403
from .unavailability import *  # noqa: F401,F403
from .distribution import *  # noqa: F401,F403
from .distribution_date import *  # noqa: F401,F403
from .refunds import *  # noqa: F401,F403
