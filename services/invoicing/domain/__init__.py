"""Invoicing rules (reference 003 step 2, issue 9). Pure Python: no nameko, no SQL, no I/O.

- `numbering`: `YYYY-MM-NNNNNNNNN`, one sequence that runs on, never dated backwards;
- `amounts`: an order's lines as the invoice freezes them, checked, and the totals per rate;
- `credit_notes`: what is left to credit, a credit note's lines, whether it cancels the invoice;
- `mentions`: payment terms and the legal mentions by kind of buyer;
- `orders`: which order may be invoiced (a sub-order once paid), from its document;
- `register`: finding documents in the register (words folded, a period of issue)."""
from . import amounts, credit_notes, mentions, numbering, orders, register

INVOICE = "invoice"
CREDIT_NOTE = "credit_note"
KIND_LABELS = {INVOICE: "Facture", CREDIT_NOTE: "Avoir"}
ORDER_KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
# what is invoiced: a parent's sub-order (the parent buys), a collectivity order. A grouped
# order is the sum of its sub-orders (invoiced each to its buyer: invoicing it too would count
# the sale twice); a quote is no sale.
INVOICEABLE = ("sub_order", "collectivity_order")
NOT_INVOICEABLE = {
    "grouped_order": "Une commande groupée se facture par sous-commande : chaque parent reçoit "
                     "la facture de sa sous-commande.",
    "quote": "Une demande de devis n'est pas une vente : facturez la commande qui la suit."}
ORDER_OWNERS = {"sub_order": "grouped_orders", "grouped_order": "grouped_orders",
                "collectivity_order": "baskets", "quote": "baskets"}

def check_settleable(kind: str, cancelled: bool, paid: bool):
    """« Marquer réglée »: an invoice still to be paid (on account), not a credit note, not one
    cancelled by a credit note, not one paid already (a second click: 409, nothing changes)."""
    from services.common.errors import conflict
    if kind != INVOICE:
        raise conflict("Un avoir ne se règle pas : seule une facture est marquée réglée.")
    if cancelled:
        raise conflict("Cette facture est annulée par avoir : il n'y a rien à encaisser.")
    if paid:
        raise conflict("Cette facture est déjà réglée.")


__all__ = ["amounts", "credit_notes", "mentions", "numbering", "orders", "register", "INVOICE",
           "CREDIT_NOTE", "check_settleable",
           "KIND_LABELS", "ORDER_KINDS", "ORDER_OWNERS", "INVOICEABLE", "NOT_INVOICEABLE"]
