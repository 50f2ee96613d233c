"""Which order may be invoiced, decided from its document (`order_document`, asked of its
owner just before the invoice is made; docs/invoicing.md § What is invoiced):

- a parent's **sub-order** once it is paid (online, by cheque or cash at the bookshop, or on
  distribution day for one paid at pickup): its document's payment says « Paiement confirmé ».
  Invoiced unpaid, it could no longer be cancelled (the invoice locks it);
- a **collectivity order** whatever its payment: it is paid on account, after its invoice;
- never a **grouped order** (the sum of its sub-orders: invoiced each to its buyer) nor a
  **quote** (no sale); never a cancelled order."""
from decimal import Decimal

from services.common.errors import conflict
from services.common.money import eur

from .mentions import paid_already

CANCELLED_STATUSES = ("cancelled", "annulée", "annulee", "annulé")
CANCELLED = "Cette commande est annulée : elle ne peut pas être facturée."
SUB_ORDER_UNPAID = ("Cette sous-commande n'est pas encore payée : elle ne peut pas être "
                    "facturée. Elle se facture une fois payée (une facture émise la rendrait "
                    "impossible à annuler).")
SUB_ORDER_CREDITED = ("Cette sous-commande a déjà été remboursée par avoir ({amount}) : une "
                      "nouvelle facture la dirait acquittée d'un paiement rendu. Ses avoirs "
                      "restent son dernier document.")
SUB_ORDER_AT_PICKUP = ("Cette sous-commande n'est pas encore payée : elle sera payée au retrait "
                       "des livres et se facture une fois payée le jour de la distribution.")


def check_document(kind: str, document: dict):
    """Refuses (409, in French) an order its document says may not be invoiced yet."""
    if str(document.get("status") or "").strip().lower() in CANCELLED_STATUSES:
        raise conflict(CANCELLED)
    payment = document.get("payment") or {}
    if kind == "sub_order" and not paid_already(payment):
        raise conflict(SUB_ORDER_AT_PICKUP if payment.get("method") == "pickup"
                       else SUB_ORDER_UNPAID)
    credited = Decimal(str(payment.get("refunded_by_credit_notes") or "0"))
    if kind == "sub_order" and credited > 0:
        raise conflict(SUB_ORDER_CREDITED.format(amount=eur(credited)))
