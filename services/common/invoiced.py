"""An invoiced order is locked, for its owners (grouped_orders: sub-orders; baskets:
collectivity orders) (reference 003 step 2: « Lorsque la facture est établie il
devient impossible de Supprimer la commande »): invoicing's `invoice_issued` says which order
has a live invoice; a credit note that cancels the whole invoice unlocks it. Pure rules."""
from services.common.errors import conflict


def invoiced_state(current, event: dict):
    """(invoice_number, live) after `invoice_issued`, from the current (invoice_number, live)
    or None. An invoice locks the order; a credit note cancelling that very invoice unlocks it,
    whichever of the two events arrives first."""
    if event["kind"] == "invoice":
        if current is not None and current[0] == event["number"]:
            return current  # the same invoice again, or already cancelled by its credit note
        return event["number"], True
    if event.get("cancels_invoice"):
        if current is None or current[0] == event.get("invoice_number"):
            return event.get("invoice_number") or "", False
    return current


def check_not_invoiced(invoice_number, what: str):
    """`what`: "Cette sous-commande", "Cette commande groupée" (a sub-order of it)…"""
    if invoice_number:
        raise conflict(f"{what} est facturée (facture n° {invoice_number}) : elle ne peut plus "
                       "être annulée ni modifiée. Émettez d'abord un avoir qui annule la "
                       "facture (« Émettre un avoir » sur la page de la commande ou sur la page "
                       "Finances).")


def credited_copies(event: dict) -> dict:
    """{EAN: copies} a credit note (`invoice_issued` of kind credit_note) takes back, from its
    `lines`; none for an invoice or an older event without lines. The owners take them off
    what they order, count and hand over."""
    if event.get("kind") != "credit_note":
        return {}
    taken = {}
    for line in event.get("lines") or ():
        ean = str(line.get("ean") or "")
        taken[ean] = taken.get(ean, 0) + int(line.get("quantity") or 0)
    return taken
