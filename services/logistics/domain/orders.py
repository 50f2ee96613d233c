"""The orders the logistician may be handed (reference 003, step 3): which order is a candidate
(« Commande prête »), and how what the other services tell about it moves its state here.

An order is named by its kind and its owner's number (`OrderKey` on the wire). Its state here:

    known ──ready──> ready ──hand-off──> handed_off   (for good: every later signal is ignored)
      ^                │
      └──not_ready─────┘          known / ready ──withdrawn──> withdrawn ──ready──> ready

A candidate is a ready order whose lines are known (the lines come with the owner's events:
grouped_order_validated / made_available, collectivity_order_placed). A parent's sub-order is
never one: its copies travel in its grouped order's lines.
Pure Python."""
import re
from dataclasses import dataclass, field

from services.common.errors import invalid

KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
# the orders handed to the logistician: a parent's sub-order is not one (its copies are in its
# grouped order's lines: handing both off shipped them twice), nor a quote request
HANDED_KINDS = ("grouped_order", "collectivity_order")
KIND_LABELS = {"sub_order": "Sous-commande", "grouped_order": "Commande groupée",
               "collectivity_order": "Commande collectivité", "quote": "Devis"}

KNOWN, READY, HANDED_OFF, WITHDRAWN = "known", "ready", "handed_off", "withdrawn"
STATES = (KNOWN, READY, HANDED_OFF, WITHDRAWN)
STATE_LABELS = {KNOWN: "Pas encore prête", READY: "Commande prête",
                HANDED_OFF: "Remise au logisticien", WITHDRAWN: "Retirée (annulée ou partie)"}

# what an event says about an order
INFO, SIGNAL_READY, NOT_READY, WITHDRAW = "info", "ready", "not_ready", "withdraw"

# collectivity_order_status_changed's action -> signal
COLLECTIVITY_ACTIONS = {"made_available": SIGNAL_READY, "reset": NOT_READY,
                        "cancelled": WITHDRAW, "shipped": WITHDRAW, "closed": WITHDRAW}
# order_progressed's to_status (services.common.progress) -> signal
PROGRESS_SIGNALS = {"registered": NOT_READY, "confirming": NOT_READY, "processing": NOT_READY,
                    "ready": SIGNAL_READY, "delivering": WITHDRAW, "done": WITHDRAW,
                    "cancelled": WITHDRAW, "error": NOT_READY}

MAX_SELECTION = 500  # orders in one batch


@dataclass(frozen=True)
class Line:
    ean: str
    title: str
    quantity: int


@dataclass(frozen=True)
class Order:
    kind: str
    number: int
    status: str = KNOWN
    customer: str = ""
    destination: str = ""          # the delivery address or the pickup place, one line per part
    lines: tuple = field(default_factory=tuple)
    batch_number: int | None = None

    @property
    def key(self):
        return (self.kind, self.number)

    @property
    def is_candidate(self) -> bool:
        # a sub-order known from before (logistics heard of them then) is never one
        return self.status == READY and bool(self.lines) and self.kind in HANDED_KINDS


def order_name(kind, number) -> str:
    """« Commande groupée n° 62 »."""
    return f"{KIND_LABELS.get(kind, kind)} n° {number}"


def next_state(current: str | None, signal: str) -> str:
    """The state after `signal` (None: the order was not known yet). Handed off is for good."""
    if current == HANDED_OFF:
        return HANDED_OFF
    if signal == SIGNAL_READY:
        return READY
    if signal == WITHDRAW:
        return WITHDRAWN
    if signal == NOT_READY:
        return KNOWN if current in (None, READY) else current
    return current or KNOWN  # INFO


def lines_of(items) -> tuple:
    """(ean, title, quantity) of each line with a positive quantity, as `Line`s."""
    return tuple(Line(str(i["ean"]), str(i["title"]), int(i["quantity"]))
                 for i in items if int(i["quantity"]) > 0)


_KEY = re.compile(r"^(sub_order|grouped_order|collectivity_order|quote):([0-9]{1,9})$")


def parse_key(value) -> tuple:
    """"grouped_order:62" (a check box's value) -> ("grouped_order", 62); else a 400."""
    match = _KEY.match(str(value or "").strip())
    if not match:
        raise invalid("Commande inconnue : choisissez des commandes dans la liste.",
                      {"commandes": [f"« {str(value)[:40]} » ne désigne pas une commande."]})
    return match.group(1), int(match.group(2))


def format_key(kind, number) -> str:
    return f"{kind}:{int(number)}"
