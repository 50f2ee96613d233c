"""What a quote's or a collectivity order's document says (issue 9, `order_document`): its
frozen lines and their totals to the cent, VAT per rate, the payment and the customer (a public
buyer when its client has a SIRET). Pure Python.

The lines are the document's frozen ones, each rebuilt from its frozen unit price TTC and
quantity by docs/prices.md's rule (line TTC = unit × quantity exactly, HT = TTC / (1 + VAT)
rounded half-up, VAT = TTC − HT): for every document placed since the rule (issue 8) these are
the stored figures themselves, and an older document still prints figures that add up."""
from services.common.errors import invalid
from services.common.money import DocLine, balanced, document_totals, money  # noqa: F401

from . import status
from .chain import ROLES
from .prices import vat_key

WIRE_KINDS = {"quote": status.QUOTE, "collectivity_order": status.ORDER}
TITLES = {status.QUOTE: "Demande de devis n°\u00a0{number}",
          status.ORDER: "Commande collectivité n°\u00a0{number}"}
QUOTE_PAYMENT = "rien à payer sur une demande de devis"
AWAITING, CANCELLED_LABEL = "En attente du paiement", "Annulé"


def kind_of(wire_kind) -> str:
    """`quote` / `collectivity_order` (the order desk's kinds) -> this service's kind."""
    try:
        return WIRE_KINDS[wire_kind]
    except (KeyError, TypeError):
        raise invalid("Type de commande inconnu : quote ou collectivity_order.",
                             {"kind": ["quote ou collectivity_order."]}) from None


def document_lines(rows) -> list:
    """The document's lines from its frozen rows (ean, title, publisher, quantity, vat_rate,
    unit_price_ttc, public_price_ttc, discount_percent), their HT shared out per VAT rate."""
    return balanced(DocLine(r.ean, r.title, r.publisher or "", int(r.quantity),
                            vat_key(r.vat_rate), money(r.unit_price_ttc),
                            getattr(r, "public_price_ttc", None),
                            getattr(r, "discount_percent", None))
                    for r in rows)


def payment(kind: str, doc_status: str) -> dict:
    """A collectivity order is paid on account (« En compte », after its invoice); a quote is
    not paid."""
    if kind == status.QUOTE:
        return {"method": "none", "state_label": QUOTE_PAYMENT, "cheque_number": None}
    label = CANCELLED_LABEL if doc_status == status.CANCELLED else AWAITING
    return {"method": "account", "state_label": label, "cheque_number": None}


def customer_billing(client) -> dict:
    """What the client's record adds to the customer: its SIRET and Chorus Pro service code
    (accounts), a public buyer when a SIRET is set. `client`: accounts' client, or None."""
    siret = (client or {}).get("siret") or None
    return {"siret": siret, "chorus_service_code": (client or {}).get("chorus_service_code")
            or None, "public_buyer": siret is not None}


def title(kind: str, number: int) -> str:
    return TITLES[kind].format(number=number)


def may_read(role: str, client_numbers, doc_client_number: str) -> bool:
    """The bookshop reads every document; a collectivity account, its clients' only."""
    return role == "admin" or (role in ROLES and doc_client_number in set(client_numbers))
