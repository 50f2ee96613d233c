"""What each owner's event tells the register of an order: a dict of facts (column -> value)
that the use case upserts on (kind, number). Each event sets only what it knows, so events may
arrive in any order without one erasing another's facts. Pure Python."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


from services.common.money import money
from services.common.progress import CANCELLED
from services.common.validation import fold

PARIS = ZoneInfo("Europe/Paris")
ORDER_KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
KIND_LABELS = {
    "sub_order": "Sous-commande",
    "grouped_order": "Commande groupée",
    "collectivity_order": "Commande collectivité",
    "quote": "Demande de devis",
}
# reference 003's six payment labels (payments owns the states; the events carry the label)
PAYMENT_LABELS = {
    "pending": "En attente du paiement",
    "processing": "Paiement en cours de traitement",
    "succeeded": "Paiement confirmé",
    "refused": "Paiement refusé",
    "cancelled": "Annulé",
    "error": "Erreur technique",
    "refunded": "Annulé",
}
PAYMENT_METHODS = {"online": "En ligne", "cheque": "Chèque", "cash": "Espèces",
                   "pickup": "Au retrait", "account": "En compte (sur facture)"}
# a collectivity's invoice on account marked paid by the bookshop (« Marquer réglée »)
SETTLED_LABEL = "Facture réglée"
# a sub-order to be paid on distribution day (issue 10 K5): pending, never « confirmé »
AT_PICKUP_LABEL = "À encaisser au retrait"


def parse_instant(value) -> datetime | None:
    """An ISO instant (a naive one is UTC) -> aware UTC datetime; None for none."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        at = value
    else:
        at = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc)


def paris_day(at: datetime) -> date:
    """The day in Paris of an instant (the calendar's day): 23:30 UTC on 31 March is 1 April."""
    return parse_instant(at).astimezone(PARIS).date()


def search_key(facts: dict) -> str:
    return fold(" ".join(facts.get(k) or "" for k in
                         ("customer_name", "customer_email", "client_name")))


def placed(at) -> dict:
    instant = parse_instant(at)
    return {"placed_at": instant, "placed_day": paris_day(instant)} if instant else {}


def _buyer(payload):
    buyer = payload.get("buyer") or {}
    name = " ".join(p for p in (buyer.get("first_name", ""), buyer.get("last_name", "")) if p)
    return {"customer_name": name, "customer_email": buyer.get("email", "")}


def _grouped(ref):
    return {"client_name": ref.get("client_name", ""),
            "client_number": str(ref.get("client_number", "") or "")}


def grouped_order_facts(payload, occurred_at=None) -> dict:
    facts = {"customer_email": payload.get("initiator_email", ""),
             "customer_name": payload.get("client_name", ""), **_grouped(payload)}
    if payload.get("detail_url"):
        facts["detail_url"] = payload["detail_url"]
    return facts


def sub_order_facts(payload) -> dict:
    ref = payload.get("grouped_order") or {}
    facts = {"grouped_order_number": ref.get("number"), **_grouped(ref), **_buyer(payload)}
    if payload.get("buyer_url"):  # the parent's own page: their progress mails link to it
        facts["detail_url"] = payload["buyer_url"]
    if payload.get("total_ttc") is not None:
        facts["total_ttc"] = money(payload["total_ttc"])
    return facts


def collectivity_facts(payload) -> dict:
    customer_email = payload.get("contact_email") or payload.get("placed_by_email", "")
    return {"customer_name": payload.get("contact_name") or payload.get("placed_by_email", ""),
            "customer_email": customer_email,
            "cc_emails": " ".join(copied_emails(
                customer_email, payload.get("placed_by_email"),
                payload.get("basket_creator_email"))),
            "client_name": payload.get("client_name", ""),
            "client_number": str(payload.get("client_number", "") or ""),
            "total_ttc": money(payload["totals"]["total_ttc"]),
            "detail_url": payload.get("detail_url", ""),
            **placed(payload.get("placed_at"))}


def copied_emails(customer_email, *others) -> list:
    """The other addresses an order's progress is mailed to (who placed a collectivity's
    order, who made its basket): each once, the customer's own left out, case ignored."""
    seen, kept = {(customer_email or "").strip().lower()}, []
    for email in others:
        email = (email or "").strip()
        if email and email.lower() not in seen:
            seen.add(email.lower())
            kept.append(email)
    return kept


def payment_facts(state, at, method=None, cheque_number=None, label=None) -> dict:
    facts = {"payment_state": state, "payment_label": label or PAYMENT_LABELS.get(state, state),
             "payment_at": parse_instant(at)}
    if method:
        facts["payment_method"] = method
    if cheque_number:
        facts["cheque_number"] = cheque_number
    return facts


# How a fact an event knows joins its order's register row (use_cases/register_row.py writes
# these rules as one statement). A fact the event does not know (None or "") is left out: an
# event that does not know a fact never erases it.
SET = "set"                      # the event's value
KEEP = "keep"                    # only while the row has none (a placed_at is never moved)
IF_NO_PAYMENT = "if_no_payment"  # only while the row knows no payment state (awaiting it)
IF_NEWER = "if_newer"            # a payment fact: unless the row holds a later one (payment_at)
# a payment fact of payments' own for a parent's sub-order: as IF_NEWER, and never over a row
# that says paid, nor over a cancelled order (its owner, grouped_orders, tells what the
# sub-order's payment became: a second payment of a paid sub-order, or one made on the
# provider's page left open after the order was cancelled, refunded automatically, is not the
# sub-order's)
IF_NEWER_UNPAID = "if_newer_unpaid"
LATEST = "latest"                # an invoice number: the later one of the series wins
NAME_FACTS = ("customer_name", "customer_email", "client_name")  # what search_key folds


def changes(facts=None, *, keep=(), awaiting=None, payment=None, latest=None,
            unless_paid=False) -> dict:
    """What an event changes on its order's row: {column: (rule, value)} for the facts it knows.
    `facts` are SET (KEEP if named in `keep`), `awaiting` facts IF_NO_PAYMENT, `payment` facts
    IF_NEWER (`payment_facts`; `newer_payment` is the rule; IF_NEWER_UNPAID `unless_paid`),
    `latest` facts LATEST (invoice numbers: `YYYY-MM-NNNNNNNNN` sort as they were issued)."""
    out = {}
    for group, rule in ((facts, SET), (awaiting, IF_NO_PAYMENT),
                        (payment, IF_NEWER_UNPAID if unless_paid else IF_NEWER),
                        (latest, LATEST)):
        for name, value in (group or {}).items():
            if value is None or value == "":
                continue
            out[name] = (KEEP if rule == SET and name in keep else rule, value)
    return out


def merge(current: dict | None, changed: dict) -> dict:
    """The row's facts once `changed` (`changes`) applied to `current` (None: no row yet), as
    the statement does it: the rules in plain Python (the tests hold the statement to them)."""
    row = dict(current or {})
    newer = current is None or newer_payment(row.get("payment_at"),
                                             changed.get("payment_at", (None, None))[1])
    no_payment = row.get("payment_state") is None
    settled = row.get("payment_state") == "succeeded" or row.get("progress") == CANCELLED
    for name, (rule, value) in changed.items():
        if (rule == SET or (rule == KEEP and row.get(name) in (None, ""))
                or (rule == IF_NO_PAYMENT and no_payment) or (rule == IF_NEWER and newer)
                or (rule == IF_NEWER_UNPAID and newer and not settled)
                or (rule == LATEST and (row.get(name) in (None, "") or row[name] < value))):
            row[name] = value
    row["search_key"] = search_key(row)
    return row


def newer_payment(current_at, at) -> bool:
    """A payment fact applies unless the register already holds a later one."""
    at = parse_instant(at)
    return current_at is None or at is None or parse_instant(current_at) <= at


def fully_credited(invoice_number, credited_invoice) -> bool:
    """Whether the order's invoice was taken entirely by credit notes and the order not invoiced
    again since (`credited_invoice` the latest such invoice; numbers sort as issued): its sale
    is cancelled, nothing of it is due. A credit note heard of before its invoice counts."""
    if not credited_invoice:
        return False
    return not invoice_number or credited_invoice >= invoice_number
